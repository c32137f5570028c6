package market

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// ListingStore is what Listings needs of storage: listings read back, and
// transactions over one listing locked for a change. Storage holds no
// rules: who may see or change a listing, and which move is allowed, are
// decided by Listings. internal/postgres implements it
// (postgres.ListingStore).
type ListingStore interface {
	// Listing returns listing id with its transitions, whoever's it is, or
	// an error wrapping ErrNotFound.
	Listing(ctx context.Context, id uuid.UUID) (*ListingRecord, error)
	// Listings returns the listings of party (nil: every party's) in
	// f.State ("" any), newest first, f.Limit from f.Offset.
	Listings(ctx context.Context, party *PartyID, f ListingFilter) ([]*ListingRecord, error)
	// InTx runs fn in one transaction and returns fn's error as is.
	InTx(ctx context.Context, fn func(ListingTx) error) error
	// InListingTx runs fn in one transaction with listing id read and
	// locked (FOR UPDATE). It returns an error wrapping ErrNotFound when
	// there is no such listing, else fn's error.
	InListingTx(ctx context.Context, id uuid.UUID, fn func(ListingTx, *ListingRecord) error) error
}

// ListingTx is one storage transaction of a listing use case.
type ListingTx interface {
	// DatasetOwned reports whether dataset id exists and is party's.
	DatasetOwned(ctx context.Context, party PartyID, id uuid.UUID) (bool, error)
	// Certificate returns party's certificate id, or an error wrapping
	// ErrNotFound.
	Certificate(ctx context.Context, party PartyID, id uuid.UUID) (*Certificate, error)
	// InsertListing stores l as a new draft.
	InsertListing(ctx context.Context, l *ListingRecord) error
	// UpdateListing stores l's declaration, price and UpdatedAt.
	UpdateListing(ctx context.Context, l *ListingRecord) error
	// SaveState stores l's state, decision, rule-set version, submission
	// count, UpdatedAt and ListedAt.
	SaveState(ctx context.Context, l *ListingRecord) error
	// Gate runs the Shaanxi Art. 36 gate (market.Gate) on l at now under
	// the current rule set, with the evidence storage holds: the
	// certificate's signed record (verified with the platform key) and the
	// government-data records the declaration names. It records nothing.
	Gate(ctx context.Context, l *ListingRecord, now time.Time) (GateResult, error)
	// RecordDecision stores the gate's decision res on l (with the
	// declaration it judged) and returns the decision's ID.
	RecordDecision(ctx context.Context, l *ListingRecord, res GateResult, now time.Time) (uuid.UUID, error)
	// RecordTransition stores move t of l made by actor (nil: the gate),
	// with the decision it came from, and returns its ID.
	RecordTransition(ctx context.Context, l *ListingRecord, t Transition, actor *Actor, decisionID *uuid.UUID) (uuid.UUID, error)
	// RaiseFlag records a regulator's flag in this transaction.
	RaiseFlag(ctx context.Context, f *Flag) error
	// AppendLedger appends ev to the transaction ledger.
	AppendLedger(ctx context.Context, ev LedgerEvent) error
}
