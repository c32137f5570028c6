package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// SetControllerOverseas stores whether party's controlling party is
// overseas (Shaanxi Art. 72) and appends ev, its payload given the
// previous value under "from", to the ledger in one transaction (who may
// is checked by market.Accounts.SetControllerOverseas). ErrNotFound for
// an unknown party.
func (s *AccountStore) SetControllerOverseas(ctx context.Context, party market.PartyID, overseas bool, ev market.LedgerEvent) (market.Party, error) {
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		var prev bool
		if err := tx.QueryRow(ctx, `SELECT controller_overseas FROM parties WHERE id = $1 FOR UPDATE`, party).Scan(&prev); err != nil {
			return translate(err)
		}
		var payload map[string]any
		if err := json.Unmarshal(ev.Payload, &payload); err != nil {
			return err
		}
		payload["from"] = prev
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		ev.Payload = b
		if _, err := tx.Exec(ctx, `UPDATE parties SET controller_overseas = $2 WHERE id = $1`, party, overseas); err != nil {
			return translate(err)
		}
		return appendEvent(ctx, tx, ev)
	})
	if err != nil {
		return market.Party{}, fmt.Errorf("party %s: controller: %w", party, err)
	}
	return s.Party(ctx, party)
}
