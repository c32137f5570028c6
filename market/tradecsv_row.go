package market

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// tradeParser turns the cells of one row into a Trade and rejects
// duplicate trade ids. The trade's strings share the memory of the row
// they were read from (the CSV reader gives each row its own string), so a
// row costs no copy and no look-up beyond the duplicate check.
type tradeParser struct {
	name string
	seen map[string]int
}

// newTradeParser returns a parser for file name expecting about hint rows.
func newTradeParser(name string, hint int) *tradeParser {
	return &tradeParser{name: name, seen: make(map[string]int, hint)}
}

func (p *tradeParser) parse(cells []string, line int) (Trade, error) {
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	fail := func(col int, format string, a ...any) (Trade, error) {
		return Trade{}, tradeErr(p.name, line, TradeColumns[col], format, a...)
	}
	for _, c := range []int{colTradeID, colTime, colSeller, colListing, colBuyer, colUnitPrice, colSecurity, colCredit, colStage} {
		if cells[c] == "" {
			return fail(c, "missing")
		}
	}
	t := Trade{ID: cells[colTradeID], SellerID: cells[colSeller], ListingID: cells[colListing],
		BuyerID: cells[colBuyer], BuyerKind: cells[colBuyerKind], Line: line}
	if first, dup := p.seen[t.ID]; dup {
		return fail(colTradeID, "trade id %q already on line %d", t.ID, first)
	}
	p.seen[t.ID] = line
	var err error
	if t.Time, err = parseTradeTime(cells[colTime]); err != nil {
		return fail(colTime, "%s", err.Error())
	}
	if t.UnitPrice, err = ParseMoney(cells[colUnitPrice]); err != nil || t.UnitPrice.IsNegative() {
		return fail(colUnitPrice, "%q is not a non-negative amount in yuan (at most 4 decimals)", cells[colUnitPrice])
	}
	if t.Quantity, err = parseQuantity(cells[colQuantity]); err != nil {
		return fail(colQuantity, "%s", err.Error())
	}
	switch {
	case cells[colAmount] == "" && t.Quantity.Equal(decOne):
		t.Amount = t.UnitPrice
	case cells[colAmount] == "":
		t.Amount = t.UnitPrice.Mul(t.Quantity).Round()
	default:
		if t.Amount, err = ParseMoney(cells[colAmount]); err != nil {
			return fail(colAmount, "%q is not an amount in yuan", cells[colAmount])
		}
	}
	c := &t.Conditions
	mode, level, _ := strings.Cut(cells[colSecurity], "/")
	c.Security = Security{DeliveryMode: mode, CertificationLevel: level}
	channel, vol, hasVol := strings.Cut(cells[colCost], "/")
	c.Cost = Cost{Channel: channel, Volume: t.Quantity}
	if hasVol {
		if c.Cost.Volume, err = parseQuantity(vol); err != nil {
			return fail(colCost, "volume after '/': %s", err.Error())
		}
	}
	// Credit, stage and duration are kept as written: the detector maps
	// them through the rule set's vocabulary, and reports a value it does
	// not know as unrecognized_condition (Shaanxi Art. 37(2)).
	c.Credit, c.Stage = CreditRating(cells[colCredit]), Stage(cells[colStage])
	if d := cells[colDuration]; d != "" {
		if n, err := strconv.Atoi(d); err == nil {
			if n < 0 {
				return fail(colDuration, "%q is negative", d)
			}
			c.DurationMonths = n
		} else {
			t.DurationText = d
		}
	}
	if c.Security.DeliveryMode == "" {
		return fail(colSecurity, "no delivery mode before '/'")
	}
	if t.BuyerFirstTradeAt, err = parseOptTime(cells[colFirstTrade]); err != nil {
		return fail(colFirstTrade, "%s", err.Error())
	}
	if cells[colPriorTrades] != "" {
		n, err := parseInt(cells[colPriorTrades])
		if err != nil {
			return fail(colPriorTrades, "%s", err.Error())
		}
		t.BuyerPriorTrades = &n
	}
	t.PromotionID, t.PromotionKind = cells[colPromoID], cells[colPromoKind]
	if t.PromotionStart, err = parseOptTime(cells[colPromoStart]); err != nil {
		return fail(colPromoStart, "%s", err.Error())
	}
	if t.PromotionEnd, err = parseOptTime(cells[colPromoEnd]); err != nil {
		return fail(colPromoEnd, "%s", err.Error())
	}
	t.TierID = cells[colTierID]
	if t.TierCriteriaMet, err = parseBool(cells[colTierMet]); err != nil {
		return fail(colTierMet, "%s", err.Error())
	}
	t.RandomRuleID, t.RandomDrawID = cells[colRandomRule], cells[colRandomDraw]
	if (t.RandomRuleID == "") != (t.RandomDrawID == "") {
		return fail(colRandomDraw, "random_rule_id and random_draw_id go together")
	}
	if v := cells[colPlanVersion]; v != "" {
		if t.PlanVersion, err = parseInt(v); err != nil || t.PlanVersion < 1 {
			return fail(colPlanVersion, "%q is not a plan version (a positive integer)", v)
		}
	}
	if v := cells[colTierCriteria]; v != "" {
		k, err := ParseCriteria(v)
		if err != nil {
			return fail(colTierCriteria, "%s", err.Error())
		}
		t.TierCriteria = &k
	}
	t.CostClaimID = cells[colCostClaimID]
	if v := cells[colCostClaimAmount]; v != "" {
		m, err := ParseMoney(v)
		if err != nil || m.IsNegative() {
			return fail(colCostClaimAmount, "%q is not a non-negative amount in yuan", v)
		}
		t.CostClaimAmount = &m
	}
	if t.CostClaimAmount != nil && t.CostClaimID == "" {
		return fail(colCostClaimID, "cost_claim_amount without the cost it is for")
	}
	return t, nil
}

// parseOptTime, parseOptInt and friends read optional cells.
func parseOptTime(s string) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	t, err := parseTradeTime(s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func parseTradeTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		if d, derr := time.ParseInLocation(time.DateOnly, s, chinaTime); derr == nil {
			return d.UTC(), nil
		}
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time (2026-11-01T10:00:00Z) or a date", s)
	}
	return t.UTC(), nil
}

func parseBool(s string) (*bool, error) {
	var b bool
	switch strings.ToLower(s) {
	case "":
		return nil, nil
	case "true", "1", "yes", "y", "t":
		b = true
	case "false", "0", "no", "n", "f":
	default:
		return nil, fmt.Errorf("%q is not true or false", s)
	}
	return &b, nil
}

// decOne is 1; decimals are immutable, so trades may share it.
var decOne = decimal.NewFromInt(1)

func parseQuantity(s string) (decimal.Decimal, error) {
	if s == "" || s == "1" {
		return decOne, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, "eE") || !d.IsPositive() {
		return decimal.Decimal{}, fmt.Errorf("%q is not a positive decimal number", s)
	}
	return d, nil
}

// parseInt reads a non-negative integer.
func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%q is not a non-negative integer", s)
	}
	return n, nil
}
