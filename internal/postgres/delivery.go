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

// SetPartyKey stores k, party k.PartyID's OpenPGP public key (replacing
// any), registered by user, and appends a "party.pgp_key_registered"
// ledger event in the same transaction. Who may is checked by
// market.PartyKeys.Put. It returns the wrapped error.
func SetPartyKey(ctx context.Context, db DB, k market.PartyKey, by market.UserID) error {
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		payload, err := json.Marshal(map[string]any{"fingerprint": k.Fingerprint})
		if err != nil {
			return err
		}
		if _, err := AppendLedger(ctx, tx, market.LedgerEvent{Kind: "party.pgp_key_registered", PartyID: k.PartyID,
			SubjectID: uuidOf(k.PartyID), Payload: payload, At: k.UpdatedAt}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO party_pgp_keys (party_id, armored, fingerprint, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (party_id) DO UPDATE
SET armored = excluded.armored, fingerprint = excluded.fingerprint, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			k.PartyID, k.Armored, k.Fingerprint, by, k.UpdatedAt)
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("register the OpenPGP key of party %s: %w", k.PartyID, err)
	}
	return nil
}

// errNoPartyKey is the error for a buyer without an OpenPGP key:
// its message tells how to register one.
func errNoPartyKey(party market.PartyID) error {
	return market.Errorf(market.ErrConflict, "pgp_key_required",
		"party %s has no OpenPGP public key: deliveries are encrypted to the buyer's key. Register one with "+
			"PUT /v1/parties/%s/pgp-key and body {\"armored\": \"-----BEGIN PGP PUBLIC KEY BLOCK-----…\"} "+
			"(export it with: gpg --armor --export you@example.cn), then ask for the delivery again", party, party)
}

// GetPartyKey returns party's key, or ErrConflict (pgp_key_required,
// telling how to register one) when it has none.
func GetPartyKey(ctx context.Context, db DB, party market.PartyID) (market.PartyKey, error) {
	k := market.PartyKey{PartyID: party}
	err := db.QueryRow(ctx, `SELECT armored, fingerprint, updated_at FROM party_pgp_keys WHERE party_id = $1`, party).
		Scan(&k.Armored, &k.Fingerprint, &k.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return market.PartyKey{}, errNoPartyKey(party)
	}
	if err != nil {
		return market.PartyKey{}, fmt.Errorf("OpenPGP key of party %s: %w", party, translate(err))
	}
	return k, nil
}

// DeliveryStore is delivery.Store over PostgreSQL: what a delivery is
// made from, the buyer's key, the stored deliveries and download links.
// It holds no rules. It is safe for concurrent use.
type DeliveryStore struct{ db DB }

// NewDeliveryStore returns the delivery store over db.
func NewDeliveryStore(db DB) *DeliveryStore { return &DeliveryStore{db: db} }

// Source returns what order id's delivery is made from: the order, and
// its listing's certificate and certified artifact (zero when the listing
// names none). It returns an error wrapping ErrNotFound when there is no
// such order.
func (s *DeliveryStore) Source(ctx context.Context, id uuid.UUID) (market.DeliverySource, error) {
	o, err := scanOrder(s.db.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	if err != nil {
		return market.DeliverySource{}, fmt.Errorf("order %s: %w", id, err)
	}
	src := market.DeliverySource{Order: o}
	// the unit of the plan version the order was quoted under: with the
	// order's quantity it says what is delivered (market.ScopeOf)
	err = s.db.QueryRow(ctx, `SELECT p.body->>'unit' FROM quotes q JOIN price_plans p ON p.listing_id = q.listing_id AND p.version = q.plan_version
WHERE q.id = $1`, o.QuoteID).Scan(&src.Unit)
	if err != nil {
		return market.DeliverySource{}, fmt.Errorf("price plan of order %s: %w", id, translate(err))
	}
	err = s.db.QueryRow(ctx, `SELECT c.id, c.body, c.signature, a.name, a.sha256, a.size_bytes
FROM listings l JOIN certificates c ON c.id::text = lower(l.declaration->>'certificate_id') AND c.party_id = l.party_id
JOIN artifacts a ON a.id = c.artifact_id WHERE l.id = $1`, o.ListingID).Scan(&src.CertificateID, &src.Certificate, &src.Signature, &src.ArtifactName, &src.ArtifactSHA, &src.ArtifactSize)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return market.DeliverySource{}, fmt.Errorf("delivery source of order %s: %w", id, translate(err))
	}
	return src, nil
}

// PartyKey returns party's key (see GetPartyKey).
func (s *DeliveryStore) PartyKey(ctx context.Context, party market.PartyID) (market.PartyKey, error) {
	return GetPartyKey(ctx, s.db, party)
}

// Delivery returns order id's delivery (see GetDelivery).
func (s *DeliveryStore) Delivery(ctx context.Context, id uuid.UUID, recipient string) (market.Delivery, bool, error) {
	return GetDelivery(ctx, s.db, id, recipient)
}

// Record stores d (see RecordDelivery).
func (s *DeliveryStore) Record(ctx context.Context, d market.Delivery) error {
	return RecordDelivery(ctx, s.db, d)
}

// IssueDownload stores a download token's hash (see IssueDownload).
func (s *DeliveryStore) IssueDownload(ctx context.Context, id uuid.UUID, buyer market.PartyID, tokenHash []byte, now, expires time.Time) error {
	return IssueDownload(ctx, s.db, id, buyer, tokenHash, now, expires)
}

// RedeemDownload opens a download link (see RedeemDownload).
func (s *DeliveryStore) RedeemDownload(ctx context.Context, buyer market.PartyID, user market.UserID, tokenHash []byte, now time.Time) (market.Delivery, error) {
	return RedeemDownload(ctx, s.db, buyer, user, tokenHash, now)
}
