package market

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// CreditRating is a counterparty's credit rating from its party record.
type CreditRating string

// Credit ratings, best first.
const (
	CreditA CreditRating = "A"
	CreditB CreditRating = "B"
	CreditC CreditRating = "C"
	CreditD CreditRating = "D"
)

// Stage is the transaction stage: a direct sale, via an intermediary, or a resale.
type Stage string

// Transaction stages.
const (
	StageDirect       Stage = "direct"
	StageIntermediary Stage = "intermediary"
	StageResale       Stage = "resale"
)

// Security is the transaction-security factor: how the data is delivered
// and the buyer's security certification level.
type Security struct {
	DeliveryMode       string `json:"delivery_mode"`
	CertificationLevel string `json:"certification_level,omitempty"`
}

// Cost is the transaction-cost factor: the volume bought (in the plan's
// unit: licences, thousands of records, calls, months) and the delivery channel.
type Cost struct {
	Volume  decimal.Decimal `json:"volume"`
	Channel string          `json:"channel,omitempty"`
}

// Conditions are the five transaction conditions of Shaanxi Art. 37(2):
// security, cost, credit, stage and duration. Two counterparties whose
// conditions have the same Key must be offered the same price unless an
// Art. 37 exception applies. Conditions never hold buyer-profile
// attributes (see BuyerProfile).
type Conditions struct {
	Security       Security     `json:"security"`
	Cost           Cost         `json:"cost"`
	Credit         CreditRating `json:"credit"`
	Stage          Stage        `json:"stage"`
	DurationMonths int          `json:"duration_months"`
}

// Validate checks the conditions: a delivery mode, a non-negative volume,
// a credit rating A–D, a known stage and a non-negative duration. It
// returns an ErrInvalid *Error naming the field.
func (c Conditions) Validate() error {
	if strings.TrimSpace(c.Security.DeliveryMode) == "" {
		return Invalid("security.delivery_mode", "missing", "security.delivery_mode: missing")
	}
	if c.Cost.Volume.IsNegative() {
		return Invalid("cost.volume", "invalid_number", "cost.volume: %s is negative", c.Cost.Volume)
	}
	switch c.Credit {
	case CreditA, CreditB, CreditC, CreditD:
	default:
		return Invalid("credit", "invalid_enum", "credit: %q, want A, B, C or D", c.Credit)
	}
	switch c.Stage {
	case StageDirect, StageIntermediary, StageResale:
	default:
		return Invalid("stage", "invalid_enum", "stage: %q, want direct, intermediary or resale", c.Stage)
	}
	if c.DurationMonths < 0 {
		return Invalid("duration_months", "invalid_number", "duration_months: %d is negative", c.DurationMonths)
	}
	return nil
}

// Key returns the condition key of c under the Art. 37 rules: the five
// factors, each compared exactly except a numeric one for which the rules
// define bands, where the band stands in for the value. Buyer-profile
// attributes are never part of the key. Safe for concurrent use.
func (c Conditions) Key(r *Art37Rules) string {
	return string(c.appendKey(make([]byte, 0, 96), r, newBandLabels(r)))
}

// bandLabels are the printed bands of the Art. 37 rules, computed once per
// audit rather than once per trade.
type bandLabels struct {
	volume   []string
	duration []string
}

func newBandLabels(r *Art37Rules) *bandLabels {
	b := &bandLabels{}
	lo := "0"
	for _, e := range r.VolumeBands {
		b.volume = append(b.volume, "["+lo+","+e.String()+")")
		lo = e.String()
	}
	b.volume = append(b.volume, "["+lo+",∞)")
	l := 0
	for _, e := range r.DurationBands {
		b.duration = append(b.duration, "["+strconv.Itoa(l)+","+strconv.Itoa(e)+")")
		l = e
	}
	b.duration = append(b.duration, "["+strconv.Itoa(l)+",∞)")
	return b
}

// appendKey appends the condition key to buf.
func (c Conditions) appendKey(buf []byte, r *Art37Rules, labels *bandLabels) []byte {
	buf = append(buf, "security="...)
	buf = append(buf, c.Security.DeliveryMode...)
	if c.Security.CertificationLevel != "" {
		buf = append(buf, '/')
		buf = append(buf, c.Security.CertificationLevel...)
	}
	buf = append(buf, ";cost="...)
	if c.Cost.Channel != "" {
		buf = append(buf, c.Cost.Channel...)
		buf = append(buf, '/')
	}
	if len(r.VolumeBands) == 0 {
		buf = append(buf, c.Cost.Volume.String()...)
	} else {
		k := 0
		for k < len(r.VolumeBands) && !c.Cost.Volume.LessThan(r.VolumeBands[k]) {
			k++
		}
		buf = append(buf, labels.volume[k]...)
	}
	buf = append(buf, ";credit="...)
	buf = append(buf, c.Credit...)
	buf = append(buf, ";stage="...)
	buf = append(buf, c.Stage...)
	buf = append(buf, ";duration="...)
	if len(r.DurationBands) == 0 {
		buf = strconv.AppendInt(buf, int64(c.DurationMonths), 10)
	} else {
		k := 0
		for k < len(r.DurationBands) && c.DurationMonths >= r.DurationBands[k] {
			k++
		}
		buf = append(buf, labels.duration[k]...)
	}
	return buf
}

// BuyerHistory is the one fact about a buyer that pricing may read: whether
// the buyer traded with this seller before, for new-customer promotions
// (Shaanxi Art. 37 exception (2)).
type BuyerHistory struct {
	// PriorTrades is the number of the buyer's earlier trades with this seller.
	PriorTrades int `json:"prior_trades"`
	// FirstTradeAt is the buyer's first trade with this seller, if any.
	FirstTradeAt *time.Time `json:"first_trade_at,omitempty"`
}

// IsNew reports whether the buyer had no trade with this seller before at.
func (h BuyerHistory) IsNew(at time.Time) bool {
	return h.PriorTrades == 0 && (h.FirstTradeAt == nil || !h.FirstTradeAt.Before(at))
}

// BuyerProfile holds the buyer attributes that could drive big-data price
// discrimination. Every quote records them so the detector can look for
// habit patterns, but they are NEVER part of a condition key or an input
// of Price (Shaanxi Art. 37).
type BuyerProfile struct {
	PriorTrades int    `json:"prior_trades"`
	TotalSpend  Money  `json:"total_spend"`
	TenureDays  int    `json:"tenure_days"`
	Region      string `json:"region,omitempty"`
	Channel     string `json:"channel,omitempty"`
}
