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

// CopyStore implements market.CopyStore over delivery_copies.
type CopyStore struct{ DB DB }

var _ market.CopyStore = CopyStore{}

const copyColumns = `order_id, listing_id, buyer_id, certificate_id, release_name, release_sha256, copy_sha256, copy_size, plan, stats, created_at`

// RecordCopy stores c and appends "delivery.fingerprinted" (order, release
// and copy hashes) to the ledger, in one transaction.
func (s CopyStore) RecordCopy(ctx context.Context, c market.DeliveryCopy) error {
	c.CreatedAt = c.CreatedAt.UTC().Truncate(time.Microsecond)
	err := InTx(ctx, s.DB, func(tx pgx.Tx) error {
		payload, err := json.Marshal(map[string]any{"order_id": c.OrderID, "listing_id": c.ListingID, "certificate_id": c.CertificateID,
			"release_sha256": c.ReleaseSHA256, "copy_sha256": c.CopySHA256, "copy_size": c.CopySize})
		if err != nil {
			return err
		}
		entry, err := AppendLedger(ctx, tx, market.LedgerEvent{Kind: "delivery.fingerprinted", PartyID: c.BuyerID,
			SubjectID: c.OrderID, Payload: payload, At: c.CreatedAt})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO delivery_copies (`+copyColumns+`, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (order_id) DO UPDATE SET
listing_id = excluded.listing_id, buyer_id = excluded.buyer_id, certificate_id = excluded.certificate_id,
release_name = excluded.release_name, release_sha256 = excluded.release_sha256, copy_sha256 = excluded.copy_sha256,
copy_size = excluded.copy_size, plan = excluded.plan, stats = excluded.stats, created_at = excluded.created_at,
ledger_entry_id = excluded.ledger_entry_id`,
			c.OrderID, c.ListingID, c.BuyerID, c.CertificateID, c.ReleaseName, c.ReleaseSHA256, c.CopySHA256, c.CopySize,
			c.Plan, c.Stats, c.CreatedAt, entry)
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("record the fingerprinted copy of order %s: %w", c.OrderID, err)
	}
	return nil
}

// Copies lists the copies of listing's releases (uuid.Nil: all), oldest first.
func (s CopyStore) Copies(ctx context.Context, listing uuid.UUID) ([]market.DeliveryCopy, error) {
	rows, err := s.DB.Query(ctx, `SELECT `+copyColumns+` FROM delivery_copies
WHERE $1::uuid IS NULL OR listing_id = $1 ORDER BY created_at, order_id`, uuidOrNull(listing))
	if err != nil {
		return nil, fmt.Errorf("fingerprinted copies: %w", translate(err))
	}
	defer rows.Close()
	out := []market.DeliveryCopy{}
	for rows.Next() {
		var c market.DeliveryCopy
		if err := rows.Scan(&c.OrderID, &c.ListingID, &c.BuyerID, &c.CertificateID, &c.ReleaseName, &c.ReleaseSHA256,
			&c.CopySHA256, &c.CopySize, &c.Plan, &c.Stats, &c.CreatedAt); err != nil {
			return nil, fmt.Errorf("fingerprinted copies: %w", translate(err))
		}
		c.CreatedAt = c.CreatedAt.UTC()
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fingerprinted copies: %w", translate(err))
	}
	return out, nil
}
