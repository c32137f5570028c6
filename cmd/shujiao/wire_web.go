package main

import (
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/web"
)

// mountWeb builds the /ui/ pages over the same services as the API and
// mounts them on srv (same request id, logging, authentication).
func (a *app) mountWeb(srv *httpapi.Server, secureCookies bool) error {
	h, err := web.New(web.Deps{
		Accounts: a.accounts, Stores: a.stores, Ledger: postgres.NewLedgerLog(a.pool, a.ledger.seq),
		Blobs: a.listings.blobs, Jobs: a.listings.queue, MaxUpload: a.listings.maxUpload,
		Orders: a.orders.orders, Delivery: a.orders.delivery,
		PlatformKey: a.key, SecureCookies: secureCookies, Logger: a.log, GovData: a.gov,
		Procedures: newProcedures(a.ledger.pool),
		Trace:      a.orders.trace,
	})
	if err != nil {
		return err
	}
	srv.Mount(web.Prefix, h)
	return nil
}
