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
	_ market.PriceStore      = Ports{}
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

// PricePlan: see the function PricePlan.
func (p Ports) PricePlan(ctx context.Context, listing uuid.UUID, v int) (market.PricePlanRecord, error) {
	return PricePlan(ctx, p.db, listing, v)
}

// SetPartyKey: see the function SetPartyKey.
func (p Ports) SetPartyKey(ctx context.Context, k market.PartyKey, by market.UserID) error {
	return SetPartyKey(ctx, p.db, k, by)
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

// SetCalendarYear: see the function SetCalendarYear.
func (p Ports) SetCalendarYear(ctx context.Context, year int, arrangement []byte, by market.UserID, party market.PartyID, now time.Time) error {
	return SetCalendarYear(ctx, p.db, year, arrangement, by, party, now)
}
