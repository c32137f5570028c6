package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

const insertLedgerEntry = `
INSERT INTO ledger_entries (id, kind, party_id, subject_id, payload, at)
VALUES ($1, $2, $3, $4, $5, $6)`

// AppendLedger appends ev to the tamper-evident ledger inside the caller's
// transaction tx and returns the new entry's id (a UUIDv7): the event
// commits or rolls back with the change it records. The append is one
// INSERT and takes no lock beyond it; the sequencer (Sequencer.Integrate)
// later places committed entries into the Merkle tree. ev.At defaults to
// now; an empty payload is stored as {}.
//
// It returns an ErrInvalid *market.Error for a malformed kind or payload,
// or the wrapped database error. Safe for concurrent use (on distinct
// transactions).
func AppendLedger(ctx context.Context, tx pgx.Tx, ev market.LedgerEvent) (uuid.UUID, error) {
	if err := ledger.ValidateEvent(ev); err != nil {
		return uuid.Nil, fmt.Errorf("append ledger event: %w", err)
	}
	payload := string(ev.Payload)
	if payload == "" {
		payload = "{}"
	}
	at := ev.At
	if at.IsZero() {
		at = time.Now()
	}
	id := market.NewID()
	// The arguments' types are what ledgerRows expects (a pipeTx sends a
	// transaction's appends as one INSERT).
	_, err := tx.Exec(ctx, insertLedgerEntry, id, ev.Kind, uuidOrNull(uuid.UUID(ev.PartyID)), uuidOrNull(ev.SubjectID),
		payload, at.UTC().Truncate(time.Microsecond))
	if err != nil {
		return uuid.Nil, fmt.Errorf("append ledger event %s: %w", ev.Kind, translate(err))
	}
	return id, nil
}

// uuidOrNull maps the zero ID (uuid.Nil) to SQL NULL; T is uuid.UUID or
// one of market's ID types.
func uuidOrNull[T ~[16]byte](id T) *T {
	if id == (T{}) {
		return nil
	}
	return &id
}
