package main

import (
	"context"
	"fmt"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// newGovData builds the government data service over the server role's
// pool, on the clocks of the jurisdiction in SHUJIAO_GOVDATA_JURISDICTION
// (tianjin, the default, or municipal) and the working-day calendar in
// force (embedded years with the operators' corrections).
func newGovData(a *app) (*govdata.Service, error) {
	return newGovDataOn(a.pool)
}

// newGovDataOn is newGovData over pool (the server role's pool, or the
// read replica's for the read-only catalog routes, wire_replica.go).
func newGovDataOn(pool *pgxpool.Pool) (*govdata.Service, error) {
	j := govdata.JurisdictionTianjin
	if v := os.Getenv("SHUJIAO_GOVDATA_JURISDICTION"); v != "" {
		var err error
		if j, err = govdata.ParseJurisdiction(v); err != nil {
			return nil, fmt.Errorf("SHUJIAO_GOVDATA_JURISDICTION: %w", err)
		}
	}
	return govdata.NewService(postgres.NewGovDataStore(pool), govdata.Options{
		Jurisdiction: j,
		Calendar:     func(ctx context.Context) (*market.Calendar, error) { return postgres.LoadCalendar(ctx, pool) },
	}), nil
}
