package market

import (
	"context"

	"github.com/google/uuid"
)

// The storage ports the adapters (internal/httpapi, internal/web, the
// CLI) reach through market rather than through internal/postgres. Each
// is implemented by internal/postgres over SQL and none checks who asks.
// Stores bundles them for wiring; the services
// Listings, Quotes, Cases, Datasets, Jobs, PartyKeys, RuleSets and
// Calendars are built over Stores.Listings, .Quotes, .Cases, .Datasets,
// .Jobs, .Keys, .RuleSets and .Calendar, and check who acts before they
// call the storage.

// DatasetStore keeps uploaded datasets and their certified artifacts.
type DatasetStore interface {
	CreateDataset(ctx context.Context, d *Dataset) error
	DatasetReader
	Datasets(ctx context.Context, party PartyID, limit int) ([]*Dataset, error)
	DatasetBlobInUse(ctx context.Context, sha256 string) (bool, error)
	// SetContentScan: see ContentScanStore.
	SetContentScan(ctx context.Context, id uuid.UUID, scan *ContentScan) error
}

// JobQueue queues de-identification jobs and reads them back (JobReader,
// for the Jobs service).
type JobQueue interface {
	CreateJob(ctx context.Context, j *Job) error
	JobReader
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
	RuleSetWriter
}

// CatalogSearcher searches the listed products.
type CatalogSearcher interface {
	Search(ctx context.Context, q CatalogQuery) ([]CatalogEntry, int, error)
}

// CatalogSorts are the accepted values of CatalogQuery.Sort.
var CatalogSorts = []string{"relevance", "newest", "price_asc", "price_desc", "title"}

// PriceStore is the quote service's storage (QuoteStore), with the price
// plans and the Shaanxi Art. 37 audits of recorded and imported prices.
type PriceStore interface {
	QuoteStore
	PricePlan(ctx context.Context, listing uuid.UUID, v int) (PricePlanRecord, error)
}

// PartyKeyStore keeps the parties' OpenPGP public keys.
type PartyKeyStore interface {
	PartyKeyWriter
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
	CalendarYearWriter
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
	Quotes   PriceStore
	Keys     PartyKeyStore
	Money    MoneyStore
	Calendar CalendarStore
	// JobProgress keeps the progress of running jobs (nil: not shown).
	JobProgress JobProgressStore
}
