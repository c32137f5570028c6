package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// NewStores returns every storage port of market over db; cert, the
// platform's public key, verifies certificates in the listing gate.
func NewStores(db DB, cert market.SignatureVerifier) market.Stores {
	p := Ports{db: db}
	return market.Stores{Parties: NewAccountStore(db), Datasets: NewDatasetStore(db), Jobs: NewJobStore(db),
		Listings: NewListingStore(db, cert), Cases: NewCaseStore(db), Flags: p, RuleSets: NewRuleSetStore(db),
		Catalog: NewCatalogStore(db), Quotes: p, Keys: p, Money: p, Calendar: p, JobProgress: NewJobProgressStore(db)}
}

// Ports implements the market ports that are plain functions of this
// package (flags, quotes and price plans, party keys, money, calendar)
// over one DB. It is safe for concurrent use.
type Ports struct{ db DB }

var (
	_ market.DatasetStore    = (*DatasetStore)(nil)
	_ market.JobQueue        = (*JobStore)(nil)
	_ market.ListingStore    = (*ListingStore)(nil)
	_ market.CaseStore       = (*CaseStore)(nil)
	_ market.RuleSetStore    = (*RuleSetStore)(nil)
	_ market.CatalogSearcher = (*CatalogStore)(nil)
	_ market.FlagStore       = Ports{}
	_ market.QuoteStore      = Ports{}
	_ market.PartyKeyStore   = Ports{}
	_ market.MoneyStore      = Ports{}
	_ market.CalendarStore   = Ports{}
)

// ListFlags: see the function ListFlags.
func (p Ports) ListFlags(ctx context.Context, f market.FlagFilter) ([]market.Flag, error) {
	return ListFlags(ctx, p.db, f)
}

// GetFlag: see the function GetFlag.
func (p Ports) GetFlag(ctx context.Context, id uuid.UUID) (market.Flag, error) {
	return GetFlag(ctx, p.db, id)
}

// CreateQuote: see the function CreateQuote.
func (p Ports) CreateQuote(ctx context.Context, actor market.Actor, listing uuid.UUID, conds market.Conditions, channel string, now time.Time) (market.QuoteRecord, error) {
	return CreateQuote(ctx, p.db, actor, listing, conds, channel, now)
}

// GetQuote: see the function GetQuote.
func (p Ports) GetQuote(ctx context.Context, actor market.Actor, id uuid.UUID) (market.QuoteRecord, error) {
	return GetQuote(ctx, p.db, actor, id)
}

// CounterQuote: see the function CounterQuote.
func (p Ports) CounterQuote(ctx context.Context, actor market.Actor, id uuid.UUID, unitPrice market.Money, now time.Time) (market.QuoteRecord, error) {
	return CounterQuote(ctx, p.db, actor, id, unitPrice, now)
}

// SetCreditRating: see the function SetCreditRating.
func (p Ports) SetCreditRating(ctx context.Context, actor market.Actor, party market.PartyID, rating market.CreditRating, reason string, now time.Time) error {
	return SetCreditRating(ctx, p.db, actor, party, rating, reason, now)
}

// AuditRecordedPrices: see the function AuditRecordedPrices.
func (p Ports) AuditRecordedPrices(ctx context.Context, listing uuid.UUID, since time.Time, now time.Time) (market.PriceAudit, error) {
	return AuditRecordedPrices(ctx, p.db, listing, since, now)
}

// AuditImportedPrices: see the function AuditImportedPrices.
func (p Ports) AuditImportedPrices(ctx context.Context, trades []market.Trade, now time.Time) (market.PriceAudit, error) {
	return AuditImportedPrices(ctx, p.db, trades, now)
}

// PutPricePlan: see the function PutPricePlan.
func (p Ports) PutPricePlan(ctx context.Context, actor market.Actor, listing uuid.UUID, plan *market.PricePlan, now time.Time) (market.PricePlanRecord, error) {
	return PutPricePlan(ctx, p.db, actor, listing, plan, now)
}

// PricePlan: see the function PricePlan.
func (p Ports) PricePlan(ctx context.Context, listing uuid.UUID, v int) (market.PricePlanRecord, error) {
	return PricePlan(ctx, p.db, listing, v)
}

// PutPartyKey: see the function PutPartyKey.
func (p Ports) PutPartyKey(ctx context.Context, actor market.Actor, party market.PartyID, armored, fingerprint string, now time.Time) (market.PartyKey, error) {
	return PutPartyKey(ctx, p.db, actor, party, armored, fingerprint, now)
}

// PartyKey: see the function GetPartyKey.
func (p Ports) PartyKey(ctx context.Context, party market.PartyID) (market.PartyKey, error) {
	return GetPartyKey(ctx, p.db, party)
}

// PartyAccounts: see the function PartyAccounts.
func (p Ports) PartyAccounts(ctx context.Context, party uuid.UUID) ([]market.Account, error) {
	return PartyAccounts(ctx, p.db, party)
}

// Balance: see the function Balance.
func (p Ports) Balance(ctx context.Context, key market.AccountKey) (market.Money, error) {
	return Balance(ctx, p.db, key)
}

// Deposit books a deposit and reads the buyer's balance after it, in one
// transaction (see the function Deposit).
func (p Ports) Deposit(ctx context.Context, party uuid.UUID, amount market.Money, reference string) (market.Posting, bool, market.Money, error) {
	var posting market.Posting
	var replayed bool
	var balance market.Money
	err := InTx(ctx, p.db, func(tx pgx.Tx) error {
		var err error
		if posting, replayed, err = Deposit(ctx, tx, party, amount, reference); err != nil {
			return err
		}
		balance, err = Balance(ctx, tx, market.BuyerFunds(party))
		return err
	})
	return posting, replayed, balance, err
}

// LoadCalendar: see the function LoadCalendar.
func (p Ports) LoadCalendar(ctx context.Context) (*market.Calendar, error) {
	return LoadCalendar(ctx, p.db)
}

// CalendarYear: see the function GetCalendarYear.
func (p Ports) CalendarYear(ctx context.Context, year int) (market.CalendarYear, error) {
	return GetCalendarYear(ctx, p.db, year)
}

// PutCalendarYear: see the function PutCalendarYear.
func (p Ports) PutCalendarYear(ctx context.Context, actor market.Actor, year int, data []byte, now time.Time) (market.CalendarYear, error) {
	return PutCalendarYear(ctx, p.db, actor, year, data, now)
}
