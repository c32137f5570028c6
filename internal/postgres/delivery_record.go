package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

const selectDelivery = `SELECT order_id, buyer_id, certificate_id, blob_sha256, size_bytes, recipient_fpr, signer_fpr, created_at, content, session_packet FROM deliveries`

func scanDelivery(row pgx.Row) (market.Delivery, error) {
	var d market.Delivery
	var content []byte
	err := row.Scan(&d.OrderID, &d.BuyerID, &d.CertificateID, &d.BlobSHA256, &d.SizeBytes, &d.RecipientFpr, &d.SignerFpr, &d.CreatedAt, &content, &d.SessionPacket)
	d.CreatedAt = d.CreatedAt.UTC()
	if err == nil && content != nil {
		if err := json.Unmarshal(content, &d.Content); err != nil {
			return d, fmt.Errorf("delivery content of order %s: %w", d.OrderID, err)
		}
	}
	return d, translate(err)
}

// GetDelivery returns order id's delivery; found false when none was made
// yet (or it was made for a key the buyer has since replaced: recipient is
// the current key's fingerprint, "" for any).
func GetDelivery(ctx context.Context, db DB, id uuid.UUID, recipient string) (market.Delivery, bool, error) {
	d, err := scanDelivery(db.QueryRow(ctx, selectDelivery+` WHERE order_id = $1`, id))
	if isNotFound(err) {
		return market.Delivery{}, false, nil
	}
	if err != nil {
		return market.Delivery{}, false, fmt.Errorf("delivery of order %s: %w", id, err)
	}
	return d, recipient == "" || d.RecipientFpr == recipient, nil
}

// RecordDelivery stores d (made by the caller into the blob store) as the
// order's delivery, replacing one made for an older key, appends a
// "delivery.prepared" ledger event and marks the order's delivery ready,
// in one transaction.
func RecordDelivery(ctx context.Context, db DB, d market.Delivery) error {
	d.CreatedAt = d.CreatedAt.UTC().Truncate(time.Microsecond)
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		payload, err := json.Marshal(map[string]any{"order_id": d.OrderID, "certificate_id": d.CertificateID, "sha256": d.BlobSHA256,
			"size_bytes": d.SizeBytes, "recipient_fingerprint": d.RecipientFpr, "signer_fingerprint": d.SignerFpr,
			"unit": d.Content.Unit, "quantity": d.Content.Quantity, "selection": d.Content.Selection, "rows_delivered": d.Content.RowsDelivered,
			"content_sha256": d.Content.SHA256, "release_sha256": d.Content.ReleaseSHA256})
		if err != nil {
			return err
		}
		content, err := json.Marshal(d.Content)
		if err != nil {
			return err
		}
		entry, err := AppendLedger(ctx, tx, market.LedgerEvent{Kind: "delivery.prepared", PartyID: d.BuyerID,
			SubjectID: d.OrderID, Payload: payload, At: d.CreatedAt})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO deliveries (order_id, buyer_id, certificate_id, blob_sha256, size_bytes, recipient_fpr, signer_fpr, created_at, ledger_entry_id, content, session_packet)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (order_id) DO UPDATE SET certificate_id = excluded.certificate_id,
blob_sha256 = excluded.blob_sha256, size_bytes = excluded.size_bytes, recipient_fpr = excluded.recipient_fpr,
signer_fpr = excluded.signer_fpr, created_at = excluded.created_at, ledger_entry_id = excluded.ledger_entry_id, content = excluded.content,
session_packet = excluded.session_packet`,
			d.OrderID, d.BuyerID, d.CertificateID, d.BlobSHA256, d.SizeBytes, d.RecipientFpr, d.SignerFpr, d.CreatedAt, entry, content, d.SessionPacket)
		if err != nil {
			return translate(err)
		}
		_, err = tx.Exec(ctx, markDelivery, d.OrderID, market.DeliveryReady, "")
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("record delivery of order %s: %w", d.OrderID, err)
	}
	return nil
}

// IssueDownload stores the SHA-256 of a download token for order id's
// delivery, usable by buyer's party until expires.
func IssueDownload(ctx context.Context, db DB, id uuid.UUID, buyer market.PartyID, tokenHash []byte, now, expires time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO download_tokens (token_sha256, order_id, buyer_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		tokenHash, id, buyer, now.UTC(), expires.UTC())
	if err != nil {
		return fmt.Errorf("issue download of order %s: %w", id, translate(err))
	}
	return nil
}

// RedeemDownload finds the delivery a download token (by its SHA-256)
// issued to party buyer opens at now, before it expires (delivery.Service
// checks the actor is a buyer). The first download moves the order from
// paid to delivered and appends "order.delivered"; every download appends
// "delivery.downloaded" naming user. It returns ErrNotFound
// (download_not_found) for an unknown token or another party's, and
// ErrConflict (download_expired) after expiry.
func RedeemDownload(ctx context.Context, db DB, buyer market.PartyID, user market.UserID, tokenHash []byte, now time.Time) (market.Delivery, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var d market.Delivery
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		var order uuid.UUID
		var expires time.Time
		err := tx.QueryRow(ctx, `SELECT order_id, expires_at FROM download_tokens WHERE token_sha256 = $1 AND buyer_id = $2`,
			tokenHash, buyer).Scan(&order, &expires)
		if errors.Is(err, pgx.ErrNoRows) {
			return market.Errorf(market.ErrNotFound, "download_not_found", "no download behind this link for your party")
		}
		if err != nil {
			return translate(err)
		}
		if !now.Before(expires) {
			return market.Errorf(market.ErrConflict, "download_expired", "the download link expired at %s; ask GET /v1/orders/%s/delivery for a new one", expires.Format(time.RFC3339), order)
		}
		o, err := scanOrder(tx.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1 FOR UPDATE`, order))
		if err != nil {
			return err
		}
		if o.State != market.OrderPaid && o.State != market.OrderDelivered {
			return market.Errorf(market.ErrConflict, "order_not_deliverable", "order %s is %s: it is no longer delivered", order, o.State)
		}
		if d, err = scanDelivery(tx.QueryRow(ctx, selectDelivery+` WHERE order_id = $1`, order)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE download_tokens SET used_at = coalesce(used_at, $2) WHERE token_sha256 = $1`, tokenHash, now); err != nil {
			return translate(err)
		}
		if o.State == market.OrderPaid {
			// Delivering gates no listing again: no certificate key needed.
			if err := market.ApplyOrderMove(ctx, orderTx{tx: tx}, o, market.OrderActionDeliver, "buyer", "", now); err != nil {
				return err
			}
		}
		payload, err := json.Marshal(map[string]any{"order_id": order, "sha256": d.BlobSHA256, "user_id": user})
		if err != nil {
			return err
		}
		_, err = AppendLedger(ctx, tx, market.LedgerEvent{Kind: "delivery.downloaded", PartyID: buyer, SubjectID: order, Payload: payload, At: now})
		return err
	})
	if err != nil {
		return market.Delivery{}, fmt.Errorf("download: %w", err)
	}
	return d, nil
}
