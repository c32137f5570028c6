package main

import (
	"context"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// newProcedures wires the Administrative Penalty Law procedure service
// over the server's pool: postgres storage and the working-day calendar
// (embedded years merged with the operators').
func newProcedures(db postgres.DB) *market.Procedures {
	cal := func(ctx context.Context) (*market.Calendar, error) { return postgres.LoadCalendar(ctx, db) }
	return market.NewProcedures(postgres.NewProcedureStore(db), cal, nil)
}
