package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// runAuditPrices runs the Shaanxi Art. 37 detector over an exported trade
// file: shujiao audit-prices FILE [--tolerance 0.01] [--json] [--plan
// PLAN.json] [--ruleset FILE]. Exit 0 when nothing is flagged, 1 when
// flags were found (and printed), 2 on bad input.
func runAuditPrices(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "audit-prices", "FILE [--tolerance 0.01] [--json] [--plan PLAN.json] [--ruleset FILE]")
	tolFlag := fs.String("tolerance", "", "relative price difference tolerated without an exception (default: the rule set's, 0.01)")
	asJSON := fs.Bool("json", false, "print {\"flags\": [...], \"groups\": N, \"trades\": N} as JSON")
	planFile := fs.String("plan", "", "price plan(s) of the sellers (one JSON object or an array), to replay tiers, promotions and draws")
	rulesetFile := fs.String("ruleset", "", "a rule-set file (default: the rule set shipped with Shujiao)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("audit-prices: want one trade file (CSV or JSON Lines, or - for standard input), got %d arguments", len(pos))
	}
	rs, err := loadRuleSet(*rulesetFile)
	if err != nil {
		return err
	}
	if *tolFlag != "" {
		tol, err := decimal.NewFromString(*tolFlag)
		if err != nil {
			return usageErrorf("audit-prices: --tolerance %q: want a fraction such as 0.01", *tolFlag)
		}
		rs.Art37.Tolerance = tol
		if err := rs.Validate(); err != nil {
			return usageErrorf("audit-prices: --tolerance %s: %s", *tolFlag, err)
		}
	}
	plans, err := loadPlans(*planFile, rs)
	if err != nil {
		return err
	}
	var r io.Reader = env.stdin
	name := "stdin"
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return inputError(fmt.Errorf("%s: %w", pos[0], err))
		}
		defer f.Close()
		r, name = f, pos[0]
	}
	progress := isTerminal(env.stderr) && !*asJSON
	start := time.Now()
	trades, err := market.ReadTrades(r, name)
	if err != nil {
		return inputError(err)
	}
	if progress {
		fmt.Fprintf(env.stderr, "audit-prices: read %d trades in %s; auditing…\n", len(trades), time.Since(start).Round(time.Millisecond))
	}
	res := market.Audit(trades, rs, plans)
	if *asJSON {
		err = writeJSON(env.stdout, res)
	} else {
		err = writeAudit(env.stdout, res)
	}
	if err != nil {
		return err
	}
	if len(res.Flags) > 0 {
		return failed("audit-prices: %d flag(s)", len(res.Flags))
	}
	return nil
}

// loadPlans reads one price plan or an array of them, each validated.
func loadPlans(file string, rs *market.RuleSet) ([]*market.PricePlan, error) {
	if file == "" {
		return nil, nil
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", file, err))
	}
	var raws []json.RawMessage
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '[' {
		if err := json.Unmarshal(t, &raws); err != nil {
			return nil, inputError(fmt.Errorf("%s: %w", file, err))
		}
	} else {
		raws = []json.RawMessage{data}
	}
	var plans []*market.PricePlan
	for i, raw := range raws {
		p, err := market.ParsePricePlan(raw)
		if err == nil {
			err = p.Validate(rs)
		}
		if err != nil {
			return nil, inputError(fmt.Errorf("%s: plan %d: %w", file, i, err))
		}
		plans = append(plans, p)
	}
	return plans, nil
}

// writeAudit prints the audit for a person.
func writeAudit(w io.Writer, r market.AuditResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%d trades in %d groups, tolerance %s, rule set %d, periods by %s: %d flag(s)\n", r.Trades, r.Groups, r.Tolerance, r.RuleSetVersion, r.Periods, len(r.Flags))
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	for _, c := range r.PriceChanges {
		fmt.Fprintf(&b, "price change (not flagged): seller %s, listing %s, conditions %s: %s → %s at %s (%d trades before, %d after)\n",
			c.SellerID, c.ListingID, c.ConditionKey, c.From, c.To, c.At.Format(time.RFC3339), c.TradesBefore, c.TradesAfter)
	}
	for _, f := range r.Flags {
		fmt.Fprintf(&b, "\n%s %s: seller %s, listing %s, conditions %s\n", f.Article, f.Kind, f.SellerID, f.ListingID, f.ConditionKey)
		switch {
		case f.PlanVersion > 0:
			fmt.Fprintf(&b, "  plan version %d\n", f.PlanVersion)
		case f.Window != nil:
			fmt.Fprintf(&b, "  period %s\n", windowText(f.Window))
		}
		fmt.Fprintf(&b, "  %s\n", f.Reason)
		fmt.Fprintf(&b, "  reference %s (%s); overcharge total %s\n", f.ReferencePrice, f.ReferenceSource, f.OverchargeTotal)
		for _, o := range f.Overcharges {
			fmt.Fprintf(&b, "  trade %s (buyer %s): %s, %s per unit, overcharge %s\n", o.TradeID, o.BuyerID, o.UnitPrice, o.Difference, o.Overcharge)
		}
		for _, x := range f.ExceptionsRejected {
			fmt.Fprintf(&b, "  rejected %s %s for trade %s: %s\n", x.Exception, x.ID, x.TradeID, x.Reason)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// windowText prints an inferred period as "FROM – TO", open ends as "…".
func windowText(w *market.Window) string {
	from, to := "…", "…"
	if w.From != nil {
		from = w.From.Format(time.RFC3339)
	}
	if w.To != nil {
		to = w.To.Format(time.RFC3339)
	}
	return from + " – " + to
}
