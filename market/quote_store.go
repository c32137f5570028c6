package market

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// QuoteStore is what Quotes needs of storage: quotes read back, and
// transactions over the listing, its plan, the buyer's record and the
// ledger. Storage holds no rules; every decision is taken by Quotes.
// internal/postgres implements it (postgres.Ports).
type QuoteStore interface {
	// Quote returns quote id, whoever's it is, or an error wrapping
	// ErrNotFound.
	Quote(ctx context.Context, id QuoteID) (QuoteRecord, error)
	// InQuoteTx runs fn in one transaction and returns fn's error as is.
	InQuoteTx(ctx context.Context, fn func(QuoteTx) error) error
}

// QuoteTx is one storage transaction of a quote use case.
type QuoteTx interface {
	// QuoteInputs returns listing id (without its transitions) and what a
	// quote of it for buyer is priced from, read together, or an error
	// wrapping ErrNotFound when there is no such listing.
	QuoteInputs(ctx context.Context, listing uuid.UUID, buyer PartyID) (QuoteInputs, error)
	// PricePlan returns version v of listing's price plan (0: the current
	// one), or an error wrapping ErrNotFound.
	PricePlan(ctx context.Context, listing uuid.UUID, v int) (PricePlanRecord, error)
	// CurrentRuleSet returns the rule set in force.
	CurrentRuleSet(ctx context.Context) (*RuleSet, error)
	// Quote returns quote id, or an error wrapping ErrNotFound.
	Quote(ctx context.Context, id QuoteID) (QuoteRecord, error)
	// InsertQuote stores rec (its ledger entry already appended).
	InsertQuote(ctx context.Context, rec *QuoteRecord) error
	// LockCreditRating returns party's credit rating, the party row
	// locked (FOR UPDATE), or an error wrapping ErrNotFound.
	LockCreditRating(ctx context.Context, party PartyID) (CreditRating, error)
	// SetCreditRating stores party's credit rating.
	SetCreditRating(ctx context.Context, party PartyID, rating CreditRating) error
	// AppendLedger appends ev to the transaction ledger and returns its
	// entry's ID.
	AppendLedger(ctx context.Context, ev LedgerEvent) (uuid.UUID, error)
	// RecordedTrades returns the platform's recorded trades (paid orders
	// not cancelled or refunded) of listing (uuid.Nil: every listing) paid
	// since since (zero: ever), by payment time and ID.
	RecordedTrades(ctx context.Context, listing uuid.UUID, since time.Time) ([]RecordedTrade, error)
	// ListingExists reports whether listing id exists.
	ListingExists(ctx context.Context, id uuid.UUID) (bool, error)
	// FindingFlagged reports whether seller is a party of the platform,
	// and whether finding f (its rule, kind, listing and trades) was
	// already raised as a flag.
	FindingFlagged(ctx context.Context, seller PartyID, f PriceFlag, listing *uuid.UUID) (known, flagged bool, err error)
	// RaiseFlag records a regulator's flag in this transaction.
	RaiseFlag(ctx context.Context, f *Flag) error
	// LockListing returns listing id (without its transitions) locked
	// (FOR UPDATE), or an error wrapping ErrNotFound.
	LockListing(ctx context.Context, id uuid.UUID) (*ListingRecord, error)
	// LastPlanVersion returns the latest price plan version of listing (0:
	// none).
	LastPlanVersion(ctx context.Context, listing uuid.UUID) (int, error)
	// InsertPricePlan stores rec as version rec.Plan.Version of listing's
	// plan (party's), closing the version before it at rec.CreatedAt.
	InsertPricePlan(ctx context.Context, listing uuid.UUID, party PartyID, rec *PricePlanRecord) error
}

// QuoteInputs is what a buyer's quote is priced from, read in one round
// trip: the listing, its current price plan (PlanErr, wrapping
// ErrNotFound, when it has none: Quotes.Create returns it only after the
// listing's own checks), the rule set in force, and the buyer's facts with
// the listing's seller.
type QuoteInputs struct {
	Listing *ListingRecord
	Plan    PricePlanRecord
	PlanErr error
	RuleSet *RuleSet
	Buyer   BuyerFacts
}

// BuyerFacts is what the platform records of a buyer when it asks a
// seller for a quote: its credit rating (the credit factor of Shaanxi
// Art. 37(2)), when its party was registered, and its trades with that
// seller (orders paid and not cancelled or refunded).
type BuyerFacts struct {
	Credit       CreditRating
	PartyCreated time.Time
	PriorTrades  int
	FirstTradeAt *time.Time
	TotalSpend   Money
}
