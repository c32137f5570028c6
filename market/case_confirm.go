package market

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DecisionConfirmCorrection: the regulator confirms that the party's
// correction of a flagged price (Shaanxi Art. 37) is real — every
// overcharged counterparty was refunded, as the money postings show. Only
// then does the correction count for Shaanxi Art. 75.
const DecisionConfirmCorrection DecisionAction = "confirm_correction"

// CounterpartyRefund is one overcharged counterparty of a correction: the
// trades the flags found at fault, their overcharge, and the refunds the
// money postings record for them.
type CounterpartyRefund struct {
	BuyerID    string   `json:"buyer_id"`
	TradeIDs   []string `json:"trade_ids"`
	Overcharge Money    `json:"overcharge"`
	Refunded   Money    `json:"refunded"`
}

// CorrectionConfirmation is a regulator's confirmation of a price
// correction, with the refund to each overcharged counterparty.
type CorrectionConfirmation struct {
	ConfirmedBy   UserID               `json:"confirmed_by"`
	ConfirmedAt   time.Time            `json:"confirmed_at"`
	Refunds       []CounterpartyRefund `json:"refunds"`
	LedgerEntryID uuid.UUID            `json:"ledger_entry_id,omitzero"`
}

// NeedsConfirmation reports whether a "correct" response to the order
// counts only once a regulator confirms it: when the order is for a
// Shaanxi Art. 37 breach, whose correction must return the overcharges.
// (Delisting needs no confirmation: the platform carries it out itself.)
func (o CorrectionOrder) NeedsConfirmation() bool {
	for _, b := range o.Breaches {
		if b == BreachArt37 {
			return true
		}
	}
	return false
}

// OverchargedCounterparties returns, per buyer, the trades the Shaanxi
// Art. 37 flags found at fault with an overcharge, and their total, read
// from the flags' evidence (each trade once, its largest overcharge).
func OverchargedCounterparties(flags []Flag) ([]CounterpartyRefund, error) {
	type ev struct {
		Overcharges []Overcharge `json:"overcharges"`
	}
	byTrade := map[string]Overcharge{}
	for _, f := range flags {
		if f.Rule != RuleShaanxi37 || len(f.Evidence) == 0 {
			continue
		}
		var e ev
		if err := json.Unmarshal(f.Evidence, &e); err != nil {
			return nil, Invalid("evidence", "invalid_evidence", "flag %s: its evidence does not record overcharges readably: %s", f.ID, err.Error())
		}
		for _, o := range e.Overcharges {
			if o.Overcharge.Decimal().IsPositive() && (byTrade[o.TradeID].Overcharge.Cmp(o.Overcharge) < 0) {
				byTrade[o.TradeID] = o
			}
		}
	}
	byBuyer := map[string]*CounterpartyRefund{}
	for _, o := range byTrade {
		c := byBuyer[o.BuyerID]
		if c == nil {
			c = &CounterpartyRefund{BuyerID: o.BuyerID}
			byBuyer[o.BuyerID] = c
		}
		c.TradeIDs = append(c.TradeIDs, o.TradeID)
		c.Overcharge = c.Overcharge.Add(o.Overcharge)
	}
	out := make([]CounterpartyRefund, 0, len(byBuyer))
	for _, c := range byBuyer {
		sort.Strings(c.TradeIDs)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BuyerID < out[j].BuyerID })
	return out, nil
}

// ConfirmCorrection checks a regulator's confirmation of order o, whose
// case has flags, with refunds the refund postings recorded per trade
// (order) id, and returns the confirmation to record.
//
// Errors: ErrForbidden (forbidden_role) for a caller who is not a
// regulator; ErrConflict (confirmation_not_needed) when the order is not
// for a Shaanxi Art. 37 breach, (no_correction) when the party has not
// answered "correct", (already_confirmed); ErrRefused citing Shaanxi
// Art. 75, code refunds_incomplete, with the shortfalls as Details, when a
// counterparty was refunded less than its overcharge. Pure.
func ConfirmCorrection(actor Actor, o CorrectionOrder, flags []Flag, refunds map[string]Money, now time.Time) (CorrectionConfirmation, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return CorrectionConfirmation{}, err
	}
	switch {
	case !o.NeedsConfirmation():
		return CorrectionConfirmation{}, Errorf(ErrConflict, "confirmation_not_needed", "correction order %s is not for a Shaanxi Art. 37 breach: its correction needs no confirmation", o.ID)
	case o.Confirmation != nil:
		return CorrectionConfirmation{}, Errorf(ErrConflict, "already_confirmed", "correction order %s was confirmed on %s", o.ID, o.Confirmation.ConfirmedAt.Format(time.RFC3339))
	}
	corrected := false
	for _, r := range o.Responses {
		corrected = corrected || r.Action == ResponseCorrect
	}
	if !corrected {
		return CorrectionConfirmation{}, Errorf(ErrConflict, "no_correction", "the party has not answered correction order %s with a correction", o.ID)
	}
	parties, err := OverchargedCounterparties(flags)
	if err != nil {
		return CorrectionConfirmation{}, err
	}
	var short []string
	for i := range parties {
		c := &parties[i]
		for _, id := range c.TradeIDs {
			c.Refunded = c.Refunded.Add(refunds[id])
		}
		if c.Refunded.Cmp(c.Overcharge) < 0 {
			short = append(short, fmt.Sprintf("buyer %s: %s refunded of %s overcharged", c.BuyerID, c.Refunded, c.Overcharge))
		}
	}
	if len(short) > 0 {
		e := Refused("Shaanxi Art. 75", "refunds_incomplete", "the correction cannot be confirmed: %s (refunds are read from the money postings of the trades)", strings.Join(short, "; "))
		e.Details = parties
		return CorrectionConfirmation{}, e
	}
	return CorrectionConfirmation{ConfirmedBy: actor.UserID, ConfirmedAt: now.UTC(), Refunds: parties}, nil
}
