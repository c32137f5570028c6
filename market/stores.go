package market

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// The storage ports the adapters (internal/httpapi, internal/web, the
// CLI) reach through market rather than through internal/postgres. Each
// is implemented by internal/postgres over SQL; the methods that take an
// Actor check the actor's role and party as their doc comments in
// internal/postgres say. Stores bundles them for wiring.

// DatasetStore keeps uploaded datasets and their certified artifacts.
type DatasetStore interface {
	CreateDataset(ctx context.Context, d *Dataset) error
	Dataset(ctx context.Context, actor Actor, id uuid.UUID) (*Dataset, error)
	Datasets(ctx context.Context, party PartyID, limit int) ([]*Dataset, error)
	DatasetBlobInUse(ctx context.Context, sha256 string) (bool, error)
	Artifact(ctx context.Context, actor Actor, id uuid.UUID) (*Artifact, error)
	Certificate(ctx context.Context, actor Actor, id uuid.UUID) (*Certificate, error)
}

// JobQueue queues de-identification jobs and reads them back.
type JobQueue interface {
	CreateJob(ctx context.Context, j *Job) error
	Job(ctx context.Context, actor Actor, id uuid.UUID) (*Job, error)
}

// ListingStore keeps listings through their state machine, running the
// Shaanxi Art. 36 gate on submission.
type ListingStore interface {
	Listing(ctx context.Context, actor Actor, id uuid.UUID) (*ListingRecord, error)
	Listings(ctx context.Context, actor Actor, f ListingFilter) ([]*ListingRecord, error)
	CreateListing(ctx context.Context, actor Actor, in ListingInput, now time.Time) (*ListingRecord, error)
	UpdateListing(ctx context.Context, actor Actor, id uuid.UUID, change func(cur ListingInput) (ListingInput, error), now time.Time) (*ListingRecord, error)
	SubmitListing(ctx context.Context, actor Actor, id uuid.UUID, reason string, now time.Time) (*ListingRecord, error)
	TransitionListing(ctx context.Context, actor Actor, id uuid.UUID, action Action, reason string, now time.Time) (*ListingRecord, error)
}

// CaseStore keeps regulators' cases, correction orders and penalties.
type CaseStore interface {
	OpenCase(ctx context.Context, actor Actor, req OpenCaseRequest, now time.Time) (*Case, error)
	Case(ctx context.Context, actor Actor, id uuid.UUID, now time.Time) (*Case, error)
	ListCases(ctx context.Context, actor Actor, f CaseFilter) ([]CaseSummary, error)
	AddNote(ctx context.Context, actor Actor, id uuid.UUID, req NoteRequest, now time.Time) (*CaseNote, error)
	Decide(ctx context.Context, actor Actor, cal *Calendar, id uuid.UUID, req DecisionRequest, now time.Time) (*Case, error)
	ComputeCasePenalty(ctx context.Context, actor Actor, id uuid.UUID, req PenaltyRequest, now time.Time) (*Case, error)
	PartyCorrectionOrders(ctx context.Context, actor Actor, now time.Time) ([]CorrectionOrder, error)
	PartyFlags(ctx context.Context, actor Actor, f FlagFilter) ([]Flag, error)
	Respond(ctx context.Context, actor Actor, id uuid.UUID, req ResponseRequest, now time.Time) (*CorrectionOrder, error)
}

// FlagStore reads the regulators' flags.
type FlagStore interface {
	ListFlags(ctx context.Context, f FlagFilter) ([]Flag, error)
	GetFlag(ctx context.Context, id uuid.UUID) (Flag, error)
}

// RuleSetStore keeps the versioned rule sets of the Art. 36 gate.
type RuleSetStore interface {
	CurrentRuleSet(ctx context.Context) (*RuleSet, error)
	RuleSet(ctx context.Context, v int) (*RuleSet, error)
	PutRuleSet(ctx context.Context, actor Actor, rs *RuleSet, now time.Time) error
}

// CatalogSearcher searches the listed products.
type CatalogSearcher interface {
	Search(ctx context.Context, q CatalogQuery) ([]CatalogEntry, int, error)
}

// CatalogSorts are the accepted values of CatalogQuery.Sort.
var CatalogSorts = []string{"relevance", "newest", "price_asc", "price_desc", "title"}

// QuoteStore prices quotes (Shaanxi Art. 37), keeps price plans and
// credit ratings, and audits recorded and imported prices.
type QuoteStore interface {
	CreateQuote(ctx context.Context, actor Actor, listing uuid.UUID, conds Conditions, channel string, now time.Time) (QuoteRecord, error)
	GetQuote(ctx context.Context, actor Actor, id uuid.UUID) (QuoteRecord, error)
	CounterQuote(ctx context.Context, actor Actor, id uuid.UUID, unitPrice Money, now time.Time) (QuoteRecord, error)
	SetCreditRating(ctx context.Context, actor Actor, party PartyID, rating CreditRating, reason string, now time.Time) error
	AuditRecordedPrices(ctx context.Context, listing uuid.UUID, since time.Time, now time.Time) (PriceAudit, error)
	AuditImportedPrices(ctx context.Context, trades []Trade, now time.Time) (PriceAudit, error)
	PutPricePlan(ctx context.Context, actor Actor, listing uuid.UUID, plan *PricePlan, now time.Time) (PricePlanRecord, error)
	PricePlan(ctx context.Context, listing uuid.UUID, v int) (PricePlanRecord, error)
}

// PartyKeyStore keeps the parties' OpenPGP public keys.
type PartyKeyStore interface {
	PutPartyKey(ctx context.Context, actor Actor, party PartyID, armored, fingerprint string, now time.Time) (PartyKey, error)
	PartyKey(ctx context.Context, party PartyID) (PartyKey, error)
}

// MoneyStore reads balances and books simulated deposits.
type MoneyStore interface {
	PartyAccounts(ctx context.Context, party uuid.UUID) ([]Account, error)
	Balance(ctx context.Context, key AccountKey) (Money, error)
	// Deposit books a deposit (see DepositPosting) and returns the buyer's
	// balance after it; replayed is true for a repeated reference.
	Deposit(ctx context.Context, party uuid.UUID, amount Money, reference string) (p Posting, replayed bool, balance Money, err error)
}

// CalendarStore keeps the working-day calendar years.
type CalendarStore interface {
	LoadCalendar(ctx context.Context) (*Calendar, error)
	CalendarYear(ctx context.Context, year int) (CalendarYear, error)
	PutCalendarYear(ctx context.Context, actor Actor, year int, data []byte, now time.Time) (CalendarYear, error)
}

// Stores are the storage ports, as wired by cmd/shujiao.
type Stores struct {
	Parties  PartyStore
	Datasets DatasetStore
	Jobs     JobQueue
	Listings ListingStore
	Cases    CaseStore
	Flags    FlagStore
	RuleSets RuleSetStore
	Catalog  CatalogSearcher
	Quotes   QuoteStore
	Keys     PartyKeyStore
	Money    MoneyStore
	Calendar CalendarStore
	// JobProgress keeps the progress of running jobs (nil: not shown).
	JobProgress JobProgressStore
}
