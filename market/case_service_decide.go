package market

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Decide records a regulator's decision on case id at now: dismiss (the
// flags are dismissed), order correction (the deadline counted in working
// days by cal), confirm a price correction, or proceed to penalty. The
// decision, the correction order and the flag moves are appended to the
// ledger in one transaction.
//
// Errors: those of DecideCase (forbidden_role, invalid input,
// invalid_decision); ErrNotFound (case_not_found); ErrConflict with code
// no_correctable_breach (order_correction on a case without a Shaanxi
// Art. 36 or 37 flag), no_correction_order or calendar_year_not_covered.
func (s *Cases) Decide(ctx context.Context, actor Actor, cal *Calendar, id uuid.UUID, req DecisionRequest, now time.Time) (*Case, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	err := s.store.InCaseTx(ctx, func(tx CaseTx) error {
		from, party, err := tx.LockCase(ctx, id)
		if err != nil {
			return err
		}
		to, err := DecideCase(actor, from, req)
		if err != nil {
			return err
		}
		switch req.Action {
		case DecisionOrderCorrection:
			if err := orderCorrection(ctx, tx, cal, id, party, req, now); err != nil {
				return err
			}
		case DecisionDismiss:
			ids, err := tx.CaseFlagIDs(ctx, id, FlagInCase)
			if err != nil {
				return err
			}
			for _, fid := range ids {
				if err := tx.SetFlagStatus(ctx, fid, FlagDismissed, actor.PartyID, "case "+id.String()+" dismissed: "+req.Reason); err != nil {
					return err
				}
			}
		case DecisionConfirmCorrection:
			if err := s.confirmCorrection(ctx, tx, actor, id, party, now); err != nil {
				return err
			}
		}
		d := &CaseDecision{ID: NewID(), Action: req.Action, From: from, To: to, Reason: req.Reason, DecidedBy: actor.UserID, DecidedAt: now}
		entry, err := appendCaseEvent(ctx, tx, "case.decided", party, id, now, map[string]any{
			"case_id": id, "decision_id": d.ID, "action": req.Action, "from": from, "to": to, "reason": req.Reason,
			"decided_by": actor.UserID, "authority_party_id": actor.PartyID})
		if err != nil {
			return err
		}
		if err := tx.InsertDecision(ctx, id, d, entry); err != nil {
			return err
		}
		return tx.SetCaseStatus(ctx, id, to, now)
	})
	if err != nil {
		return nil, fmt.Errorf("decide case %s: %w", id, err)
	}
	return s.Get(ctx, actor, id, now)
}

// orderCorrection issues the correction order of case id, due
// req.Workdays working days after now by cal, for the Shaanxi Art. 36 and
// 37 breaches of its flags (Shaanxi Art. 74, 75), and appends
// "case.correction_ordered".
func orderCorrection(ctx context.Context, tx CaseTx, cal *Calendar, id uuid.UUID, party PartyID, req DecisionRequest, now time.Time) error {
	rules, err := tx.CaseFlagRules(ctx, id)
	if err != nil {
		return err
	}
	var breaches []PenaltyArticle
	for _, r := range rules {
		if b, ok := BreachOfRule(r); ok {
			breaches = append(breaches, b)
		}
	}
	if len(breaches) == 0 {
		return Errorf(ErrConflict, "no_correctable_breach",
			"the case's flags cite no Shaanxi Art. 36 or 37 breach; a correction order (Shaanxi Art. 74, 75) needs one")
	}
	o, err := NewCorrectionOrder(cal, now, req.Workdays, req.Requirement, breaches)
	if err != nil {
		return err
	}
	o.ID, o.CaseID, o.PartyID = NewID(), id, party
	entry, err := appendCaseEvent(ctx, tx, "case.correction_ordered", party, id, now, map[string]any{
		"case_id": id, "order_id": o.ID, "breaches": o.Breaches, "requirement": o.Requirement,
		"workdays": o.Workdays, "issued_at": o.IssuedAt, "deadline": o.Deadline})
	if err != nil {
		return err
	}
	return tx.InsertCorrectionOrder(ctx, &o, entry)
}

// caseRecord gathers the case's record with its correction order
// evaluated at now.
func (s *Cases) caseRecord(ctx context.Context, tx CaseTx, id uuid.UUID, party PartyID, now time.Time) (CaseRecord, error) {
	rec, err := tx.CaseRecord(ctx, id, party)
	if err == nil && rec.Correction != nil {
		err = s.evaluate(ctx, rec.Correction, now)
	}
	return rec, err
}

// confirmCorrection records a regulator's confirmation of the correction
// of case id (decision confirm_correction): the rules are
// ConfirmCorrection's, over the case's flags and the refund postings of
// their trades; the confirmation, with each overcharged counterparty's
// refund, is stored on the correction order and appended to the ledger as
// "case.correction_confirmed". Errors: ErrConflict (no_correction_order)
// when none was ordered, and ConfirmCorrection's.
func (s *Cases) confirmCorrection(ctx context.Context, tx CaseTx, actor Actor, id uuid.UUID, party PartyID, now time.Time) error {
	noOrder := Errorf(ErrConflict, "no_correction_order", "case %s has no correction order to confirm", id)
	orderID, err := tx.LockCaseCorrectionOrder(ctx, id)
	if IsNotFound(err) {
		return noOrder
	}
	if err != nil {
		return err
	}
	rec, err := s.caseRecord(ctx, tx, id, party, now)
	if err != nil {
		return err
	}
	if rec.Correction == nil {
		return noOrder
	}
	c, err := ConfirmCorrection(actor, *rec.Correction, rec.Flags, rec.Refunds, now)
	if err != nil {
		return err
	}
	if c.LedgerEntryID, err = appendCaseEvent(ctx, tx, "case.correction_confirmed", party, id, now, map[string]any{
		"case_id": id, "order_id": orderID, "confirmed_by": actor.UserID, "refunds": c.Refunds}); err != nil {
		return err
	}
	return tx.SetConfirmation(ctx, orderID, c)
}

// ComputePenalty computes the penalty of case id at now from its record —
// the party, the trades its flags' evidence records, the refunds in the
// money postings, and whether the correction order was complied with by
// its deadline (Shaanxi Art. 75) — with the regulator's factors and
// overrides in req. The case file is built, written as JSON, parsed back
// with ParsePenaltyCase and computed with ComputePenalty, exactly as
// `shujiao penalty` does offline; the file, the result and the basis are
// stored and "case.penalty_computed" is appended to the ledger. The case
// must be at the penalty stage.
//
// Errors: ErrForbidden (forbidden_role); ErrNotFound (case_not_found);
// ErrConflict (penalty_not_decided, no_recorded_trades); ErrInvalid from
// the engine (an override outside the range, contradicting factors…).
func (s *Cases) ComputePenalty(ctx context.Context, actor Actor, id uuid.UUID, req PenaltyRequest, now time.Time) (*Case, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	err := s.store.InCaseTx(ctx, func(tx CaseTx) error {
		status, party, err := tx.LockCase(ctx, id)
		if err != nil {
			return err
		}
		if status != CaseAtPenalty {
			return Errorf(ErrConflict, "penalty_not_decided",
				"case %s is %s; decide proceed_to_penalty before computing the penalty", id, status)
		}
		rec, err := s.caseRecord(ctx, tx, id, party, now)
		if err != nil {
			return err
		}
		pc, basis, err := BuildPenaltyCase(rec, req)
		if err != nil {
			return err
		}
		input, err := json.MarshalIndent(pc, "", "  ")
		if err != nil {
			return fmt.Errorf("encode case file: %w", err)
		}
		parsed, err := ParsePenaltyCase(input)
		if err != nil {
			return err
		}
		res, err := ComputePenalty(parsed)
		if err != nil {
			return err
		}
		p := &CasePenalty{ID: NewID(), Input: input, Result: res, Basis: basis, ComputedBy: actor.UserID, ComputedAt: now}
		entry, err := appendCaseEvent(ctx, tx, "case.penalty_computed", party, id, now, map[string]any{
			"case_id": id, "penalty_id": p.ID, "computed_by": actor.UserID,
			"total_confiscation": res.TotalConfiscation, "total_fine": res.TotalFine, "hearing_notice": res.HearingNotice,
			"input": json.RawMessage(input)})
		if err != nil {
			return err
		}
		if err := tx.InsertPenalty(ctx, id, p, entry); err != nil {
			return err
		}
		return tx.TouchCase(ctx, id, now)
	})
	if err != nil {
		return nil, fmt.Errorf("compute penalty of case %s: %w", id, err)
	}
	return s.Get(ctx, actor, id, now)
}
