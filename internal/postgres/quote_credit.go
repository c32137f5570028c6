package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// SetCreditRating records party's credit rating, the credit factor of
// Shaanxi Art. 37(2) that quotes read from the party record, and appends a
// "party.credit_rated" ledger event with the reason, in one transaction.
// Only an operator may. It returns ErrForbidden otherwise, ErrInvalid for
// a rating other than A–D or an empty reason, ErrNotFound for an unknown
// party, or the wrapped database error.
func SetCreditRating(ctx context.Context, db DB, actor market.Actor, party market.PartyID, rating market.CreditRating, reason string, now time.Time) error {
	if err := actor.RequireRole(market.RoleOperator); err != nil {
		return err
	}
	switch rating {
	case market.CreditA, market.CreditB, market.CreditC, market.CreditD:
	default:
		return market.Invalid("credit_rating", "invalid_enum", "credit_rating: %q, want A, B, C or D", rating)
	}
	if reason == "" || len([]rune(reason)) > 1000 {
		return market.Invalid("reason", "missing_field", "reason: say on what record the rating rests (1–1000 characters)")
	}
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		var prev market.CreditRating
		if err := tx.QueryRow(ctx, `SELECT credit_rating FROM parties WHERE id = $1 FOR UPDATE`, party).Scan(&prev); err != nil {
			return translate(err)
		}
		payload, err := json.Marshal(map[string]any{"from": prev, "to": rating, "reason": reason, "by": actor.UserID})
		if err != nil {
			return err
		}
		if _, err := AppendLedger(ctx, tx, market.LedgerEvent{Kind: "party.credit_rated", PartyID: uuidOf(party),
			SubjectID: uuidOf(party), Payload: payload, At: now}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE parties SET credit_rating = $2 WHERE id = $1`, party, rating)
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("rate the credit of party %s: %w", party, err)
	}
	return nil
}
