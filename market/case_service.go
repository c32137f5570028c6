package market

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Cases is the regulators' use case (Shaanxi Art. 74, 75, 77): a case
// opened from flags, its notes and decisions, the correction order and the
// seller's response to it, and the penalty computed from the record. Every
// change is appended to the ledger in the same transaction. The HTTP API,
// the web pages and the CLI call it alike. It is safe for concurrent use.
type Cases struct {
	store CaseStore
}

// NewCases returns the case service over store.
func NewCases(store CaseStore) *Cases { return &Cases{store: store} }

// appendCaseEvent appends a case ledger event with payload v and returns
// its entry's ID.
func appendCaseEvent(ctx context.Context, tx CaseTx, kind string, party PartyID, subject uuid.UUID, at time.Time, v any) (uuid.UUID, error) {
	ev, err := caseEvent(kind, party, subject, at, v)
	if err != nil {
		return uuid.Nil, fmt.Errorf("encode %s ledger event: %w", kind, err)
	}
	return tx.AppendLedger(ctx, ev)
}

// Open opens a case from req.FlagIDs for a regulator at now: the flags
// must exist, be open, and concern one party; they move to in_case. The
// case, the flag moves and the optional first note are appended to the
// ledger in one transaction.
//
// Errors: ErrForbidden (code forbidden_role) for a non-regulator;
// ErrInvalid (bad request, flags_of_several_parties); ErrNotFound (code
// flag_not_found); ErrConflict (code flag_not_open) for a flag already in
// a case or dismissed.
func (s *Cases) Open(ctx context.Context, actor Actor, req OpenCaseRequest, now time.Time) (*Case, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	id := NewID()
	err := s.store.InCaseTx(ctx, func(tx CaseTx) error {
		flags, err := tx.LockFlags(ctx, req.FlagIDs)
		if err != nil {
			return err
		}
		party, err := checkCaseFlags(req.FlagIDs, flags)
		if err != nil {
			return err
		}
		title := req.Title
		if title == "" {
			title = flags[0].Summary
		}
		ids := make([]uuid.UUID, len(flags))
		for i, f := range flags {
			ids[i] = f.ID
		}
		entry, err := appendCaseEvent(ctx, tx, "case.opened", party, id, now, map[string]any{
			"case_id": id, "flag_ids": ids, "title": title, "opened_by": actor.UserID, "authority_party_id": actor.PartyID})
		if err != nil {
			return err
		}
		c := &Case{ID: id, PartyID: party, AuthorityPartyID: actor.PartyID, OpenedBy: actor.UserID, Title: title,
			Status: CaseOpen, CreatedAt: now, UpdatedAt: now}
		if err := tx.InsertCase(ctx, c, ids, entry); err != nil {
			return err
		}
		for _, f := range flags {
			if err := tx.SetFlagStatus(ctx, f.ID, FlagInCase, actor.PartyID, "taken into case "+id.String()); err != nil {
				return err
			}
		}
		if req.Note != "" {
			_, err = addNote(ctx, tx, actor, id, party, NoteRequest{Text: req.Note}, now)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open case: %w", err)
	}
	return s.Get(ctx, actor, id, now)
}

// checkCaseFlags checks that every requested flag was found, is open, and
// that all concern one party; it returns that party.
func checkCaseFlags(want []uuid.UUID, flags []Flag) (PartyID, error) {
	found := map[uuid.UUID]bool{}
	for _, f := range flags {
		found[f.ID] = true
	}
	for _, id := range want {
		if !found[id] {
			return PartyID{}, Errorf(ErrNotFound, "flag_not_found", "no flag %s", id)
		}
	}
	party := flags[0].PartyID
	for _, f := range flags {
		if f.Status != FlagOpen {
			return PartyID{}, Errorf(ErrConflict, "flag_not_open", "flag %s is %s; a case is opened from open flags only", f.ID, f.Status)
		}
		if f.PartyID != party {
			return PartyID{}, Invalid("flag_ids", "flags_of_several_parties",
				"flag_ids: flags %s and %s concern different parties; a case concerns one party", flags[0].ID, f.ID)
		}
	}
	return party, nil
}

// Get returns case id as it stands at now (the correction order evaluated
// on that day), for a regulator. Errors: ErrForbidden (forbidden_role),
// ErrNotFound (case_not_found).
func (s *Cases) Get(ctx context.Context, actor Actor, id uuid.UUID, now time.Time) (*Case, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return nil, err
	}
	c, err := s.store.Case(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", id, err)
	}
	if c.Correction != nil {
		c.Correction.Evaluate(now)
	}
	return c, nil
}

// List returns the cases matching f, newest first, for a regulator.
// Errors: ErrForbidden (forbidden_role), ErrInvalid (an unknown status).
func (s *Cases) List(ctx context.Context, actor Actor, f CaseFilter) ([]CaseSummary, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return nil, err
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, Invalid("status", "invalid_filter", "status %q is not open, correction_ordered, penalty or dismissed", f.Status)
	}
	switch {
	case f.Limit <= 0:
		f.Limit = 100
	case f.Limit > 1000:
		f.Limit = 1000
	}
	f.Offset = max(f.Offset, 0)
	out, err := s.store.Cases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	return out, nil
}

// AddNote adds a regulator's note (with an optional document reference)
// to case id and appends "case.note_added" to the ledger. Errors:
// ErrForbidden (forbidden_role), ErrInvalid, ErrNotFound (case_not_found).
func (s *Cases) AddNote(ctx context.Context, actor Actor, id uuid.UUID, req NoteRequest, now time.Time) (*CaseNote, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var n *CaseNote
	err := s.store.InCaseTx(ctx, func(tx CaseTx) error {
		_, party, err := tx.LockCase(ctx, id)
		if err != nil {
			return err
		}
		if err := tx.TouchCase(ctx, id, now.UTC()); err != nil {
			return err
		}
		n, err = addNote(ctx, tx, actor, id, party, req, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("add note to case %s: %w", id, err)
	}
	return n, nil
}

// addNote appends "case.note_added" and stores the note.
func addNote(ctx context.Context, tx CaseTx, actor Actor, caseID uuid.UUID, party PartyID, req NoteRequest, now time.Time) (*CaseNote, error) {
	n := &CaseNote{ID: NewID(), Author: actor.UserID, Text: req.Text, Document: req.Document, CreatedAt: now.UTC().Truncate(time.Microsecond)}
	entry, err := appendCaseEvent(ctx, tx, "case.note_added", party, caseID, n.CreatedAt, map[string]any{
		"case_id": caseID, "note_id": n.ID, "author": n.Author, "text": n.Text, "document": n.Document})
	if err != nil {
		return nil, err
	}
	if err := tx.InsertNote(ctx, caseID, n, entry); err != nil {
		return nil, err
	}
	return n, nil
}

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
			if err := confirmCorrection(ctx, tx, actor, id, party, now); err != nil {
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
func caseRecord(ctx context.Context, tx CaseTx, id uuid.UUID, party PartyID, now time.Time) (CaseRecord, error) {
	rec, err := tx.CaseRecord(ctx, id, party)
	if err == nil && rec.Correction != nil {
		rec.Correction.Evaluate(now)
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
func confirmCorrection(ctx context.Context, tx CaseTx, actor Actor, id uuid.UUID, party PartyID, now time.Time) error {
	noOrder := Errorf(ErrConflict, "no_correction_order", "case %s has no correction order to confirm", id)
	orderID, err := tx.LockCaseCorrectionOrder(ctx, id)
	if IsNotFound(err) {
		return noOrder
	}
	if err != nil {
		return err
	}
	rec, err := caseRecord(ctx, tx, id, party, now)
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
		rec, err := caseRecord(ctx, tx, id, party, now)
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

// PartyCorrectionOrders returns the correction orders served on the
// actor's own party, newest first, evaluated at now. Only the party's
// sellers see them. Errors: ErrForbidden (forbidden_role).
func (s *Cases) PartyCorrectionOrders(ctx context.Context, actor Actor, now time.Time) ([]CorrectionOrder, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	orders, err := s.store.CorrectionOrders(ctx, actor.PartyID)
	if err != nil {
		return nil, fmt.Errorf("correction orders of party %s: %w", actor.PartyID, err)
	}
	for i := range orders {
		orders[i].Evaluate(now)
	}
	return orders, nil
}

// PartyFlags returns the flags raised against the actor's own party, for
// its sellers; f.PartyID is replaced by the actor's party. Errors:
// ErrForbidden (forbidden_role), the store's.
func (s *Cases) PartyFlags(ctx context.Context, actor Actor, f FlagFilter) ([]Flag, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	f.PartyID = actor.PartyID
	return s.store.Flags(ctx, f)
}

// Respond records a seller's response to correction order id at now:
// correct (with a statement of how), delist (the flagged listings still
// listed are delisted, in the same transaction), or contest (with a
// statement). A response on or before the deadline day counts as in time
// for Shaanxi Art. 75. The response is appended to the ledger.
//
// Errors: ErrForbidden (forbidden_role); ErrNotFound
// (correction_order_not_found, also for another party's order);
// ErrInvalid (bad request, no_listing_to_delist); ErrConflict
// (case_closed when the case was dismissed), and the listing's own errors
// when it cannot be delisted.
func (s *Cases) Respond(ctx context.Context, actor Actor, id uuid.UUID, req ResponseRequest, now time.Time) (*CorrectionOrder, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	notFound := Errorf(ErrNotFound, "correction_order_not_found", "no correction_order %s", id)
	err := s.store.InCaseTx(ctx, func(tx CaseTx) error {
		o, status, err := tx.LockCorrectionOrder(ctx, id)
		if IsNotFound(err) || (err == nil && o.PartyID != actor.PartyID) {
			return notFound
		}
		if err != nil {
			return err
		}
		if status == CaseDismissed {
			return Errorf(ErrConflict, "case_closed", "case %s was dismissed; its correction order needs no response", o.CaseID)
		}
		if req.Action == ResponseDelist {
			if err := delistCaseListings(ctx, tx, actor, o.CaseID, id, now); err != nil {
				return err
			}
		}
		r := &CorrectionResponse{ID: NewID(), Action: req.Action, Statement: req.Statement, UserID: actor.UserID,
			RespondedAt: now, OnTime: o.OnTime(now)}
		entry, err := appendCaseEvent(ctx, tx, "correction.responded", o.PartyID, o.CaseID, now, map[string]any{
			"case_id": o.CaseID, "order_id": id, "response_id": r.ID, "action": req.Action, "statement": req.Statement,
			"user_id": actor.UserID, "on_time": r.OnTime, "deadline": o.Deadline})
		if err != nil {
			return err
		}
		return tx.InsertResponse(ctx, id, r, entry)
	})
	if err != nil {
		return nil, fmt.Errorf("respond to correction order %s: %w", id, err)
	}
	o, err := s.store.CorrectionOrder(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("correction order %s: %w", id, err)
	}
	o.Evaluate(now)
	return o, nil
}

// delistCaseListings delists, as the actor (the owner's seller), every
// listing of the case's flags that is still listed.
func delistCaseListings(ctx context.Context, tx CaseTx, actor Actor, caseID, orderID uuid.UUID, now time.Time) error {
	ls, err := tx.CaseListings(ctx, caseID)
	if err != nil {
		return err
	}
	if len(ls) == 0 {
		return Invalid("action", "no_listing_to_delist", "action: the case's flags name no listing to delist; answer correct with a statement instead")
	}
	for _, l := range ls {
		if l.State != StateListed {
			continue // already off the market
		}
		ltx, cur, err := tx.Listing(ctx, l.ID)
		if err == nil {
			err = moveListing(ctx, ltx, actor, cur, ActionDelist, "delisted in answer to correction order "+orderID.String(), now)
		}
		if err != nil {
			return fmt.Errorf("%s listing %s: %w", ActionDelist, l.ID, err)
		}
	}
	return nil
}
