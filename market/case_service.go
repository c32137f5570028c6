package market

import (
	"context"
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
	cal   CalendarSource
}

// NewCases returns the case service over store. Correction orders whose
// deadline is pending are settled with DefaultCalendar unless WithCalendar
// gives the calendar in force.
func NewCases(store CaseStore) *Cases { return &Cases{store: store} }

// CalendarOf returns the source of the calendar in force kept by store,
// nil when there is no store.
func CalendarOf(store CalendarStore) CalendarSource {
	if store == nil {
		return nil
	}
	return store.LoadCalendar
}

// WithCalendar makes s settle pending correction deadlines with the
// calendar src returns (the embedded years and the operator's) and
// returns s.
func (s *Cases) WithCalendar(src CalendarSource) *Cases {
	s.cal = src
	return s
}

// evaluate settles o's pending deadline (loading the calendar only then)
// and evaluates it at now.
func (s *Cases) evaluate(ctx context.Context, o *CorrectionOrder, now time.Time) error {
	if o.NeedsCalendar() {
		cal := DefaultCalendar()
		if s.cal != nil {
			var err error
			if cal, err = s.cal(ctx); err != nil {
				return fmt.Errorf("correction order %s: %w", o.ID, err)
			}
		}
		if err := o.Settle(cal); err != nil {
			return fmt.Errorf("correction order %s: %w", o.ID, err)
		}
	}
	o.Evaluate(now)
	return nil
}

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
		if err := s.evaluate(ctx, c.Correction, now); err != nil {
			return nil, err
		}
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
