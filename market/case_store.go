package market

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// CaseStore is what Cases needs of storage: cases, correction orders and
// flags read back, and transactions over them. Storage holds no rules:
// who may act, which decision is possible, deadlines and penalties are
// decided by Cases. internal/postgres implements it (postgres.CaseStore).
type CaseStore interface {
	// InCaseTx runs fn in one transaction and returns fn's error as is.
	InCaseTx(ctx context.Context, fn func(CaseTx) error) error
	// Case returns case id with its flags, notes, decisions, correction
	// order (not evaluated) and latest penalty, or an ErrNotFound *Error
	// with code case_not_found.
	Case(ctx context.Context, id uuid.UUID) (*Case, error)
	// Cases returns the cases matching f, newest first (f.Limit already
	// bounded).
	Cases(ctx context.Context, f CaseFilter) ([]CaseSummary, error)
	// CorrectionOrders returns the correction orders served on party,
	// newest first, with their responses (not evaluated).
	CorrectionOrders(ctx context.Context, party PartyID) ([]CorrectionOrder, error)
	// CorrectionOrder returns correction order id with its responses (not
	// evaluated), or an error wrapping ErrNotFound.
	CorrectionOrder(ctx context.Context, id uuid.UUID) (*CorrectionOrder, error)
	// Flags returns the flags matching f.
	Flags(ctx context.Context, f FlagFilter) ([]Flag, error)
}

// CaseTx is one storage transaction of a case use case.
type CaseTx interface {
	// LockFlags returns the flags of ids that exist, oldest first, locked
	// (FOR UPDATE).
	LockFlags(ctx context.Context, ids []uuid.UUID) ([]Flag, error)
	// SetFlagStatus moves flag id to status, by party, with a note.
	SetFlagStatus(ctx context.Context, id uuid.UUID, status FlagStatus, by PartyID, note string) error
	// InsertCase stores the new case c (status, dates, opener) over its
	// flags, with its ledger entry.
	InsertCase(ctx context.Context, c *Case, flagIDs []uuid.UUID, entry uuid.UUID) error
	// LockCase locks case id and returns its status and party, or an
	// ErrNotFound *Error with code case_not_found.
	LockCase(ctx context.Context, id uuid.UUID) (CaseStatus, PartyID, error)
	// SetCaseStatus stores case id's status and update time.
	SetCaseStatus(ctx context.Context, id uuid.UUID, status CaseStatus, now time.Time) error
	// TouchCase stores case id's update time.
	TouchCase(ctx context.Context, id uuid.UUID, now time.Time) error
	// InsertNote stores note n of case id with its ledger entry.
	InsertNote(ctx context.Context, caseID uuid.UUID, n *CaseNote, entry uuid.UUID) error
	// InsertDecision stores decision d of case id with its ledger entry.
	InsertDecision(ctx context.Context, caseID uuid.UUID, d *CaseDecision, entry uuid.UUID) error
	// CaseFlagRules returns the distinct rules of case id's flags, sorted.
	CaseFlagRules(ctx context.Context, id uuid.UUID) ([]string, error)
	// CaseFlagIDs returns the IDs of case id's flags in status.
	CaseFlagIDs(ctx context.Context, id uuid.UUID, status FlagStatus) ([]uuid.UUID, error)
	// InsertCorrectionOrder stores correction order o with its ledger entry.
	InsertCorrectionOrder(ctx context.Context, o *CorrectionOrder, entry uuid.UUID) error
	// LockCaseCorrectionOrder locks case id's correction order and returns
	// its ID, or an error wrapping ErrNotFound when none was ordered.
	LockCaseCorrectionOrder(ctx context.Context, caseID uuid.UUID) (uuid.UUID, error)
	// SetConfirmation stores the regulator's confirmation of correction
	// order id.
	SetConfirmation(ctx context.Context, orderID uuid.UUID, c CorrectionConfirmation) error
	// CaseRecord gathers what a penalty is computed from: the party, the
	// flags, the refunds recorded for the flags' trades, and the
	// correction order (not evaluated).
	CaseRecord(ctx context.Context, id uuid.UUID, party PartyID) (CaseRecord, error)
	// InsertPenalty stores penalty p of case id with its ledger entry.
	InsertPenalty(ctx context.Context, caseID uuid.UUID, p *CasePenalty, entry uuid.UUID) error
	// LockCorrectionOrder locks correction order id and returns its case,
	// party and deadline with the case's status, or an error wrapping
	// ErrNotFound.
	LockCorrectionOrder(ctx context.Context, id uuid.UUID) (CorrectionOrder, CaseStatus, error)
	// InsertResponse stores response r to correction order id with its
	// ledger entry.
	InsertResponse(ctx context.Context, orderID uuid.UUID, r *CorrectionResponse, entry uuid.UUID) error
	// CaseListings returns the listings named by case id's flags, by ID.
	CaseListings(ctx context.Context, caseID uuid.UUID) ([]CaseListing, error)
	// Listings returns the listing transaction over this transaction, and
	// the listing id locked (FOR UPDATE).
	Listing(ctx context.Context, id uuid.UUID) (ListingTx, *ListingRecord, error)
	// AppendLedger appends ev to the transaction ledger and returns its
	// entry's ID.
	AppendLedger(ctx context.Context, ev LedgerEvent) (uuid.UUID, error)
}

// CaseListing is a listing named by a case's flags, and its state.
type CaseListing struct {
	ID    uuid.UUID
	State ListingState
}

// caseEvent encodes a case ledger event with payload v.
func caseEvent(kind string, party PartyID, subject uuid.UUID, at time.Time, v any) (LedgerEvent, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return LedgerEvent{}, err
	}
	return LedgerEvent{Kind: kind, PartyID: party, SubjectID: subject, Payload: payload, At: at}, nil
}
