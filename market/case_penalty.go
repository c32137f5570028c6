package market

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// PenaltyRequest is what a regulator adds to the case's record to compute
// its penalty (POST /v1/regulator/cases/{id}/penalty): per breached
// article, the discretion factors and an optional override with a reason.
// The trades, the party and "corrected" come from the case's record.
type PenaltyRequest struct {
	Violations []PenaltyChoice `json:"violations"`
}

// PenaltyChoice is the regulator's discretion for one breached article.
type PenaltyChoice struct {
	Article  PenaltyArticle   `json:"article"`
	Factors  []PenaltyFactor  `json:"factors"`
	Override *PenaltyOverride `json:"override"`
	// Decision is the regulator's choice among the decision options
	// (reduced, no_penalty, …) with its reasons; it applies to every
	// product's violation of the article.
	Decision *PenaltyDecision `json:"decision,omitempty"`
}

// CaseRecord is what a case holds that the penalty is computed from: the
// party, its flags (whose evidence records the violating trades), the
// refunds recorded for those trades, and the correction order evaluated
// on the day of the computation.
type CaseRecord struct {
	Party PenaltyParty
	Flags []Flag
	// Refunds are the refunds recorded in the money tables by trade id.
	Refunds map[string]Money
	// Correction is the case's correction order (Evaluate already called),
	// or nil when none was ordered.
	Correction *CorrectionOrder
}

// BreachOfRule returns the breach a flag's rule is punished for under the
// penalty engine: shaanxi-36 (Art. 74) and shaanxi-37 (Art. 75); false
// for the other rules (Tianjin Art. 29, Shaanxi Art. 72), which this
// engine does not fine.
func BreachOfRule(rule string) (PenaltyArticle, bool) {
	switch PenaltyArticle(rule) {
	case BreachArt36, BreachArt37:
		return PenaltyArticle(rule), true
	}
	return "", false
}

// evidenceTrades is what the penalty reads of a flag's evidence: a list of
// trades ({"trades": [{"id", "amount", "refunded", "overcharge"}]}), or
// the Art. 37 detector's overcharges (PriceFlag.Overcharges).
type evidenceTrades struct {
	Trades      []PenaltyTrade `json:"trades"`
	Overcharges []Overcharge   `json:"overcharges"`
}

// EvidenceTrades returns the trades a flag's evidence records: its
// "trades" list, else the Art. 37 detector's "overcharges" (amount = unit
// price × quantity, overcharge as found). A flag without either records
// no trade. It returns an ErrInvalid *Error when the evidence holds such a
// list that does not decode.
func EvidenceTrades(f Flag) ([]PenaltyTrade, error) {
	if len(f.Evidence) == 0 {
		return nil, nil
	}
	var ev evidenceTrades
	if err := json.Unmarshal(f.Evidence, &ev); err != nil {
		return nil, Invalid("evidence", "invalid_evidence", "flag %s: its evidence does not record trades readably: %s", f.ID, err.Error())
	}
	if len(ev.Trades) > 0 {
		return ev.Trades, nil
	}
	out := make([]PenaltyTrade, 0, len(ev.Overcharges))
	for _, o := range ev.Overcharges {
		out = append(out, PenaltyTrade{ID: o.TradeID, Amount: o.UnitPrice.Mul(o.Quantity).Round(), Overcharge: o.Overcharge.Round()})
	}
	return out, nil
}

// BuildPenaltyCase turns a case's record and the regulator's choices into
// the penalty engine's case file (the JSON `shujiao penalty` reads), and
// says where each figure came from. One violation per product (the flag's
// listing) and breached article (Art. 36 first); its trades are those the
// flags of that product and article record,
// each counted once (a trade in two flags keeps the larger overcharge),
// with the refunds recorded in the money tables; "corrected" is the
// correction order's (Shaanxi Art. 75), null when none was ordered.
//
// It returns an ErrInvalid *Error for a choice naming an article the case
// does not breach or naming one twice, and an ErrConflict *Error (code
// no_recorded_trades) when no Shaanxi Art. 36 or 37 flag of the case
// records a trade.
func BuildPenaltyCase(rec CaseRecord, req PenaltyRequest) (PenaltyCase, []string, error) {
	var basis []string
	// One violation per product and rule: the key is article + listing.
	type key struct {
		art     PenaltyArticle
		product string
	}
	byKey := map[key][]PenaltyTrade{}
	byArticle := map[PenaltyArticle][]PenaltyTrade{}
	var order []key
	index := map[key]map[string]int{}
	for _, f := range rec.Flags {
		art, ok := BreachOfRule(f.Rule)
		if !ok {
			basis = append(basis, fmt.Sprintf("flag %s cites %s: not fined under Shaanxi Art. 74 or 75, left out of the penalty", f.ID, f.Article))
			continue
		}
		trades, err := EvidenceTrades(f)
		if err != nil {
			return PenaltyCase{}, nil, err
		}
		if len(trades) == 0 {
			basis = append(basis, fmt.Sprintf("flag %s (%s, %s) records no trade", f.ID, f.Article, f.Kind))
			continue
		}
		k := key{art: art}
		if f.ListingID != nil {
			k.product = f.ListingID.String()
		}
		if index[k] == nil {
			index[k] = map[string]int{}
			order = append(order, k)
		}
		ids := make([]string, 0, len(trades))
		for _, t := range trades {
			ids = append(ids, t.ID)
			if i, dup := index[k][t.ID]; dup {
				if t.Overcharge.Cmp(byKey[k][i].Overcharge) > 0 {
					byKey[k][i].Overcharge = t.Overcharge
				}
				continue
			}
			index[k][t.ID] = len(byKey[k])
			byKey[k] = append(byKey[k], t)
			byArticle[art] = append(byArticle[art], t)
		}
		basis = append(basis, fmt.Sprintf("flag %s (%s, %s) records trades %s", f.ID, f.Article, f.Kind, strings.Join(ids, ", ")))
	}
	if len(byKey) == 0 {
		return PenaltyCase{}, basis, Errorf(ErrConflict, "no_recorded_trades",
			"no Shaanxi Art. 36 or Art. 37 flag of this case records a trade: there is nothing to compute a penalty from")
	}
	choices, err := penaltyChoices(req, byArticle)
	if err != nil {
		return PenaltyCase{}, basis, err
	}
	var corrected *bool
	if rec.Correction != nil {
		corrected = rec.Correction.Corrected
		basis = append(basis, rec.Correction.Basis)
	} else {
		basis = append(basis, "no correction order in this case → corrected: null (pending)")
	}
	c := PenaltyCase{Party: rec.Party}
	for _, art := range []PenaltyArticle{BreachArt36, BreachArt37} {
		for _, k := range order {
			if k.art != art {
				continue
			}
			trades, notes := applyRefunds(byKey[k], rec.Refunds)
			basis = append(basis, notes...)
			ch := choices[art]
			factors := ch.Factors
			if factors == nil {
				factors = []PenaltyFactor{}
			}
			c.Violations = append(c.Violations, PenaltyViolation{Article: art, Product: k.product, Trades: trades,
				Corrected: corrected, Factors: factors, Override: ch.Override, Decision: ch.Decision})
		}
	}
	return c, basis, nil
}

// penaltyChoices indexes the request by article, refusing unknown or
// repeated articles.
func penaltyChoices(req PenaltyRequest, present map[PenaltyArticle][]PenaltyTrade) (map[PenaltyArticle]PenaltyChoice, error) {
	out := map[PenaltyArticle]PenaltyChoice{}
	for i, ch := range req.Violations {
		field := fmt.Sprintf("violations[%d].article", i)
		if _, ok := present[ch.Article]; !ok {
			return nil, invalidField(field, "article_not_in_case", "%q: the case has no recorded trade breaching it; want one of %s", ch.Article, articleList(present))
		}
		if _, dup := out[ch.Article]; dup {
			return nil, invalidField(field, "duplicate_article", "%q is given twice", ch.Article)
		}
		out[ch.Article] = ch
	}
	return out, nil
}

func articleList(m map[PenaltyArticle][]PenaltyTrade) string {
	var s []string
	for a := range m {
		s = append(s, string(a))
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}

// applyRefunds raises each trade's refunded to the refunds recorded in the
// money tables (never above the amount); what was refunded beyond the
// evidence's own figure returns the overcharge first (Art. 75's illegal
// gains are the overcharge the seller still holds), and the overcharge is
// kept within what the seller still holds.
func applyRefunds(trades []PenaltyTrade, refunds map[string]Money) ([]PenaltyTrade, []string) {
	var notes []string
	out := slices.Clone(trades)
	for i := range out {
		t := &out[i]
		if r, ok := refunds[t.ID]; ok && r.Cmp(t.Refunded) > 0 {
			if r.Cmp(t.Amount) > 0 {
				r = t.Amount
			}
			notes = append(notes, fmt.Sprintf("trade %s: %s yuan refunded, as recorded in the money postings", t.ID, r))
			// A refund to the overcharged buyer returns the overcharge first.
			if extra := r.Sub(t.Refunded); t.Overcharge.Decimal().IsPositive() {
				left := t.Overcharge.Sub(extra)
				if left.IsNegative() {
					left = Money{}
				}
				notes = append(notes, fmt.Sprintf("trade %s: the %s yuan refunded returns the overcharge first: %s − %s → %s yuan still held",
					t.ID, extra, t.Overcharge, extra, left.Round()))
				t.Overcharge = left.Round()
			}
			t.Refunded = r
		}
		if kept := t.Amount.Sub(t.Refunded); t.Overcharge.Cmp(kept) > 0 {
			notes = append(notes, fmt.Sprintf("trade %s: overcharge %s limited to the %s yuan the seller still holds after refunds", t.ID, t.Overcharge, kept))
			t.Overcharge = kept
		}
	}
	return out, notes
}
