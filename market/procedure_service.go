package market

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ProcedureStore is the storage the Procedures service needs. The
// postgres package implements it.
type ProcedureStore interface {
	// CaseParty returns the party concerned of case id; ErrNotFound when
	// there is no such case.
	CaseParty(ctx context.Context, caseID uuid.UUID) (PartyID, error)
	// LedgerEntry returns the ledger entry id; ErrNotFound when none.
	LedgerEntry(ctx context.Context, id uuid.UUID) (LedgerRef, error)
	// Procedure returns the procedure of case id; ErrNotFound when the
	// case was not filed yet.
	Procedure(ctx context.Context, caseID uuid.UUID) (*Procedure, error)
	// UpdateProcedure locks the procedure of case id (nil when not filed
	// yet) and calls fn with it and a function appending a ledger event in
	// the same transaction; it stores the procedure fn returns, or rolls
	// everything back when fn fails.
	UpdateProcedure(ctx context.Context, caseID uuid.UUID, fn func(p *Procedure, appendLedger func(LedgerEvent) (uuid.UUID, error)) (*Procedure, error)) (*Procedure, error)
}

// CalendarSource returns the working-day calendar in force (the embedded
// years with those operators stored).
type CalendarSource func(ctx context.Context) (*Calendar, error)

// Procedures runs the procedure of the Administrative Penalty Law over
// regulator cases: it checks the actor's role and party, applies each
// step's rule (Procedure.Apply) and stores the step with its ledger event.
// Safe for concurrent use; the store serializes steps on one case.
type Procedures struct {
	store ProcedureStore
	cal   CalendarSource
	now   func() time.Time
}

// NewProcedures returns the service over store, with the calendar source
// and a clock (nil: time.Now).
func NewProcedures(store ProcedureStore, cal CalendarSource, now func() time.Time) *Procedures {
	if now == nil {
		now = time.Now
	}
	return &Procedures{store: store, cal: cal, now: now}
}

// Get returns the procedure of case id to a regulator or to the party
// concerned. Errors: ErrForbidden (forbidden_role), ErrNotFound (a case
// of another party, or not filed).
func (s *Procedures) Get(ctx context.Context, actor Actor, caseID uuid.UUID) (*Procedure, error) {
	if err := s.mayAct(ctx, actor, caseID, true); err != nil {
		return nil, err
	}
	p, err := s.store.Procedure(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("procedure of case %s: %w", caseID, err)
	}
	if p.pending() { // dates that waited for a year of the calendar
		cal, err := s.cal(ctx)
		if err != nil {
			return nil, fmt.Errorf("procedure of case %s: %w", caseID, err)
		}
		if err := p.settle(cal); err != nil {
			return nil, fmt.Errorf("procedure of case %s: %w", caseID, err)
		}
	}
	return p, nil
}

// mayAct checks that actor is a regulator, or (when party steps are
// allowed) a seller of the party concerned.
func (s *Procedures) mayAct(ctx context.Context, actor Actor, caseID uuid.UUID, partyMay bool) error {
	if actor.Can(RoleRegulator) {
		return nil
	}
	if !partyMay {
		return actor.RequireRole(RoleRegulator)
	}
	if err := actor.RequireRole(RoleRegulator, RoleSeller); err != nil {
		return err
	}
	party, err := s.store.CaseParty(ctx, caseID)
	if err != nil {
		return fmt.Errorf("case %s: %w", caseID, err)
	}
	if party != actor.PartyID {
		return Errorf(ErrNotFound, "case_not_found", "case %s not found", caseID)
	}
	return nil
}

// Step takes step st on case id for actor, appending "case.procedure.<action>"
// to the ledger in the same transaction. Errors: those of Procedure.Apply
// (ErrRefused with the article, ErrInvalid); ErrForbidden; ErrNotFound
// (case_not_found, ledger_entry_not_found); ErrConflict (already_filed,
// calendar_year_not_covered).
func (s *Procedures) Step(ctx context.Context, actor Actor, caseID uuid.UUID, st ProcedureStep) (*Procedure, error) {
	if err := s.mayAct(ctx, actor, caseID, st.Action.PartyAction()); err != nil {
		return nil, err
	}
	cal, err := s.cal(ctx)
	if err != nil {
		return nil, fmt.Errorf("procedure step %s: %w", st.Action, err)
	}
	var ref *LedgerRef
	if st.Action == ActAddEvidence && st.Evidence != nil && st.Evidence.SourceEntryID != nil {
		r, err := s.store.LedgerEntry(ctx, *st.Evidence.SourceEntryID)
		if err != nil {
			return nil, fmt.Errorf("evidence source: %w", err)
		}
		ref = &r
	}
	party, err := s.store.CaseParty(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", caseID, err)
	}
	now := s.now()
	p, err := s.store.UpdateProcedure(ctx, caseID, func(p *Procedure, appendLedger func(LedgerEvent) (uuid.UUID, error)) (*Procedure, error) {
		switch {
		case p == nil && st.Action != ActFile:
			return nil, refuse("Administrative Penalty Law Art. 54", "step_not_allowed", "%s: the case is not filed yet (立案); file it first", st.Action)
		case p != nil && st.Action == ActFile:
			return nil, Errorf(ErrConflict, "already_filed", "case %s was filed on %s", caseID, p.FiledOn)
		case p == nil:
			p = &Procedure{CaseID: caseID, PartyID: party, Evidence: []EvidenceItem{}, Statements: []Statement{}, Events: []ProcedureEvent{}}
		}
		ev, payload, err := p.Apply(actor, cal, st, ref, now)
		if err != nil {
			return nil, err
		}
		raw, err := json.Marshal(payload)
		if err != nil {
			return nil, fmt.Errorf("encode ledger payload: %w", err)
		}
		id, err := appendLedger(LedgerEvent{Kind: "case.procedure." + string(st.Action), PartyID: party, SubjectID: caseID, Payload: raw, At: ev.At})
		if err != nil {
			return nil, err
		}
		ev.LedgerEntryID = id
		if st.Action == ActAddEvidence {
			p.Evidence[len(p.Evidence)-1].LedgerEntryID = id
		}
		p.Events = append(p.Events, ev)
		return p, nil
	})
	if err != nil {
		return nil, fmt.Errorf("procedure step %s on case %s: %w", st.Action, caseID, err)
	}
	return p, nil
}
