package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// appendEvent appends ev to the transaction ledger inside tx, so that the
// change and its ledger record commit or roll back together.
func appendEvent(ctx context.Context, tx pgx.Tx, ev market.LedgerEvent) error {
	if _, err := AppendLedger(ctx, tx, ev); err != nil {
		return fmt.Errorf("append %s to the ledger: %w", ev.Kind, err)
	}
	return nil
}

// uuidOf returns a party ID as a plain UUID.
func uuidOf(p market.PartyID) uuid.UUID { return uuid.UUID(p) }

// rulesetNamespace derives the ledger subject of a rule-set version.
var rulesetNamespace = uuid.MustParse("6f1c1d0e-2b7a-5d0c-9a53-4e1f3b2c8d71")

// rulesetSubject is the stable ledger subject ID of rule-set version v.
func rulesetSubject(v int) uuid.UUID {
	return uuid.NewSHA1(rulesetNamespace, fmt.Appendf(nil, "ruleset/%d", v))
}
