package main

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// demoDeposit is what each demo buyer receives by a SIMULATED bank transfer.
var demoDeposit = market.MustMoney("200000.00")

// seedMoney deposits demoDeposit into every demo buyer's funds by a
// simulated bank transfer whose reference names the buyer, so a second run
// finds the deposit and moves nothing. Each deposit is a ledger entry; the
// sequencer signs a head over them when the demo closes.
func seedMoney(ctx context.Context, w *demoWorld) error {
	for _, key := range w.order {
		acc := w.accounts[key]
		if acc.Role != market.RoleBuyer {
			continue
		}
		ref := "DEMO-" + key + "-OPENING"
		err := pgx.BeginFunc(ctx, w.app.ledger.pool, func(tx pgx.Tx) error {
			_, _, err := postgres.Deposit(ctx, tx, uuid.UUID(acc.Party.ID), demoDeposit, ref)
			return err
		})
		if err != nil {
			return fmt.Errorf("deposit for %s: %w", key, err)
		}
	}
	return nil
}
