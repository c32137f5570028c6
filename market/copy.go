package market

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// DeliveryCopy records one buyer's fingerprinted copy of a certified
// release: the certificate covers the release, this record names the
// order the copy was made for (docs/fingerprint.md). The order's
// fingerprint secret is never stored: the platform derives it again.
type DeliveryCopy struct {
	OrderID       uuid.UUID `json:"order_id"`
	ListingID     uuid.UUID `json:"listing_id"`
	BuyerID       PartyID   `json:"party_id"`
	CertificateID uuid.UUID `json:"certificate_id"`
	// ReleaseName and ReleaseSHA256 name the certified release (the blob).
	ReleaseName   string `json:"release_name"`
	ReleaseSHA256 string `json:"release_sha256"`
	// CopySHA256 and CopySize are the copy's as delivered.
	CopySHA256 string `json:"copy_sha256"`
	CopySize   int64  `json:"copy_size"`
	// Plan says where the release carries marks; Stats what marking changed.
	Plan      json.RawMessage `json:"plan"`
	Stats     json.RawMessage `json:"stats"`
	CreatedAt time.Time       `json:"created_at"`
}

// CopyStore keeps the records of fingerprinted copies.
type CopyStore interface {
	// RecordCopy stores c, replacing an earlier copy for the same order,
	// and appends a "delivery.fingerprinted" ledger event with the copy's
	// hash, in one transaction.
	RecordCopy(ctx context.Context, c DeliveryCopy) error
	// Copies lists the copies of a listing's releases (uuid.Nil: of every
	// listing), oldest first.
	Copies(ctx context.Context, listing uuid.UUID) ([]DeliveryCopy, error)
}
