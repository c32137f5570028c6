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

// PutPartyKey registers (or replaces) party's OpenPGP public key, already
// parsed and validated by the caller (armored, with its fingerprint), and
// appends a "party.pgp_key_registered" ledger event. Only a member of the
// party may. It returns ErrForbidden otherwise, or the wrapped error.
func PutPartyKey(ctx context.Context, db DB, actor market.Actor, party market.PartyID, armored, fingerprint string, now time.Time) (market.PartyKey, error) {
	if err := actor.RequireOwnParty(party); err != nil {
		return market.PartyKey{}, err
	}
	k := market.PartyKey{PartyID: party, Armored: armored, Fingerprint: fingerprint, UpdatedAt: now.UTC().Truncate(time.Microsecond)}
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		payload, err := json.Marshal(map[string]any{"fingerprint": fingerprint})
		if err != nil {
			return err
		}
		if _, err := AppendLedger(ctx, tx, market.LedgerEvent{Kind: "party.pgp_key_registered", PartyID: uuidOf(party),
			SubjectID: uuidOf(party), Payload: payload, At: k.UpdatedAt}); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO party_pgp_keys (party_id, armored, fingerprint, updated_by, updated_at)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (party_id) DO UPDATE
SET armored = excluded.armored, fingerprint = excluded.fingerprint, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			party, armored, fingerprint, actor.UserID, k.UpdatedAt)
		return translate(err)
	})
	if err != nil {
		return market.PartyKey{}, fmt.Errorf("register the OpenPGP key of party %s: %w", party, err)
	}
	return k, nil
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

// OrderDeliverySource returns what order id's delivery is made from, for
// its buyer only. It returns ErrNotFound for an order actor cannot see,
// ErrForbidden for anyone but the buying party's buyers, ErrConflict
// (order_not_paid) unless the order is paid or delivered, and ErrConflict
// (no_certified_artifact) when the listing names no certificate.
func OrderDeliverySource(ctx context.Context, db DB, actor market.Actor, id uuid.UUID) (market.DeliverySource, error) {
	o, err := scanOrder(db.QueryRow(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
	if isNotFound(err) || (err == nil && market.OrderSide(actor, o) == "") {
		return market.DeliverySource{}, market.Errorf(market.ErrNotFound, "order_not_found", "no order %s", id)
	}
	if err != nil {
		return market.DeliverySource{}, fmt.Errorf("order %s: %w", id, err)
	}
	if market.OrderSide(actor, o) != "buyer" {
		return market.DeliverySource{}, market.Errorf(market.ErrForbidden, "not_order_buyer", "only the buyer's party receives an order's delivery")
	}
	if o.State != market.OrderPaid && o.State != market.OrderDelivered {
		return market.DeliverySource{}, market.Errorf(market.ErrConflict, "order_not_deliverable", "order %s is %s: only a paid order is delivered", id, o.State)
	}
	s := market.DeliverySource{Order: o}
	err = db.QueryRow(ctx, `SELECT c.id, c.body, c.signature, a.name, a.sha256, a.size_bytes
FROM listings l JOIN certificates c ON c.id::text = lower(l.declaration->>'certificate_id') AND c.party_id = l.party_id
JOIN artifacts a ON a.id = c.artifact_id WHERE l.id = $1`, o.ListingID).Scan(&s.CertificateID, &s.Certificate, &s.Signature, &s.ArtifactName, &s.ArtifactSHA, &s.ArtifactSize)
	if errors.Is(err, pgx.ErrNoRows) {
		return market.DeliverySource{}, market.Errorf(market.ErrConflict, "no_certified_artifact",
			"listing %s names no de-identification certificate: it has no certified artifact to deliver", o.ListingID)
	}
	if err != nil {
		return market.DeliverySource{}, fmt.Errorf("delivery source of order %s: %w", id, translate(err))
	}
	return s, nil
}
