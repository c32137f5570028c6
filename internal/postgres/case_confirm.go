package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// confirmCorrection records a regulator's confirmation of the correction
// of case id (decision confirm_correction): the rules are
// market.ConfirmCorrection's, over the case's flags and the refund
// postings of their trades; the confirmation, with each overcharged
// counterparty's refund, is stored on the correction order and appended to
// the ledger as "case.correction_confirmed". The correction order row is
// locked. Errors: ErrConflict (no_correction_order) when none was ordered,
// and the market's.
func confirmCorrection(ctx context.Context, tx pgx.Tx, actor market.Actor, id uuid.UUID, party market.PartyID, now time.Time) error {
	var orderID uuid.UUID
	err := tx.QueryRow(ctx, `SELECT id FROM correction_orders WHERE case_id = $1 FOR UPDATE`, id).Scan(&orderID)
	if err != nil {
		if err = translate(err); isNotFound(err) {
			return market.Errorf(market.ErrConflict, "no_correction_order", "case %s has no correction order to confirm", id)
		}
		return err
	}
	rec, err := caseRecord(ctx, tx, id, party, now)
	if err != nil {
		return err
	}
	if rec.Correction == nil {
		return market.Errorf(market.ErrConflict, "no_correction_order", "case %s has no correction order to confirm", id)
	}
	c, err := market.ConfirmCorrection(actor, *rec.Correction, rec.Flags, rec.Refunds, now)
	if err != nil {
		return err
	}
	if c.LedgerEntryID, err = caseEvent(ctx, tx, "case.correction_confirmed", party, id, now, map[string]any{
		"case_id": id, "order_id": orderID, "confirmed_by": actor.UserID, "refunds": c.Refunds}); err != nil {
		return err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode confirmation: %w", err)
	}
	_, err = tx.Exec(ctx, `UPDATE correction_orders SET confirmation = $2 WHERE id = $1`, orderID, body)
	return translate(err)
}
