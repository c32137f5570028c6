package main

import (
	"errors"
	"fmt"

	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/web"
)

// mountWeb builds the /ui/ pages over the same services as the API and
// mounts them on srv (same request id, logging, authentication).
func (a *app) mountWeb(srv *httpapi.Server, secureCookies bool) error {
	key, err := pgp.LoadPlatformPublicKey(a.dataDir)
	if err != nil && !errors.Is(err, pgp.ErrNoPlatformKey) {
		return fmt.Errorf("web: platform key: %w", err)
	}
	h, err := web.New(web.Deps{
		Accounts: a.accounts, DB: a.pool, LedgerDB: a.ledger.pool, Sequencer: a.ledger.seq,
		Blobs: a.listings.blobs, Jobs: a.listings.runner, MaxUpload: a.listings.maxUpload,
		OrderConfig: a.orders.svc.Config, API: srv.Handler(), Trace: a.orders.trace,
		PlatformKey: key, SecureCookies: secureCookies, Logger: a.log,
	})
	if err != nil {
		return err
	}
	srv.Mount(web.Prefix, h)
	return nil
}
