package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// app holds the domain services built over one database, shared by serve
// (through httpapi.Services) and by demo.
type app struct {
	pool     *pgxpool.Pool
	dataDir  string
	log      *slog.Logger
	key      *pgp.Key // the platform key: signs tree heads, certificates and deliveries
	store    *postgres.AccountStore
	stores   market.Stores // the storage ports of the handlers and pages
	accounts *market.Accounts
	listings *listingsApp     // datasets, de-identification jobs, listings (wire_listings.go)
	ledger   *ledgerWiring    // transaction ledger sequencer, money accounts (wire_ledger.go)
	orders   *ordersApp       // price plans, quotes, orders, deliveries (wire_orders.go)
	gov      *govdata.Service // government data catalog, applications, objections (wire_govdata.go)
	jobs     *jobs.Client     // River: de-identification and sealing (wire_river.go)
	// foreground counts the HTTP requests in flight; seals give way to them
	foreground *jobs.Foreground
}

// The platform key verifies certificates in the listing gate (Tianjin Art. 29).
var _ market.SignatureVerifier = (*pgp.Key)(nil)

// newApp builds the services. Each area adds its own service here, one
// block each; close releases what they hold. Every service works through
// the server role's pool (shujiao_app: it may only SELECT and INSERT the
// ledger and the money postings), never through owner, which migrates.
func newApp(ctx context.Context, owner *pgxpool.Pool, dataDir string, log *slog.Logger) (*app, error) {
	a := &app{dataDir: dataDir, log: log}
	key, created, err := pgp.OpenPlatformKey(dataDir)
	if err != nil {
		return nil, fmt.Errorf("platform key: %w", err)
	}
	if created {
		log.Info("created the platform key", "fingerprint", key.Fingerprint())
	}
	a.key = key
	if a.ledger, err = startLedger(ctx, owner, dataDir, key, log); err != nil {
		return nil, err
	}
	a.pool = a.ledger.pool
	a.store = postgres.NewAccountStore(a.pool)
	a.stores = postgres.NewStores(a.pool, certificateVerifier(key))
	a.accounts = market.NewAccounts(a.store, market.AccountsOptions{})
	if a.listings, err = newListingsApp(ctx, a.pool, dataDir, key, log); err != nil {
		a.ledger.close()
		return nil, err
	}
	if a.orders, err = newOrdersApp(ctx, a); err != nil {
		a.listings.close()
		a.ledger.close()
		return nil, err
	}
	if a.gov, err = newGovData(a); err != nil {
		a.close()
		return nil, err
	}
	if a.jobs, err = startJobs(ctx, a); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

// services returns what the HTTP handlers call.
func (a *app) services() httpapi.Services {
	return httpapi.Services{Stores: a.stores, Listings: a.listings.services(), Accounts: a.accounts, Ledger: a.ledger.services(),
		Orders: a.orders.svc, GovData: a.gov, Procedures: newProcedures(a.ledger.pool), Trace: a.orders.trace,
		Audit: postgres.NewAuditLog(a.ledger.pool, a.ledger.seq)}
}

// close releases what the services hold and the server role's pool (not
// the owner's pool newApp was given).
func (a *app) close() {
	if a.jobs != nil {
		stopJobs(a.jobs, a.log)
	}
	a.orders.close()
	a.listings.close()
	a.ledger.close()
}

// accountStore returns the account store (for seeding lookups).
func (a *app) accountStore() *postgres.AccountStore { return a.store }
