package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
)

const ledgerEntryColumns = entryColumns + `, l.leaf_index, e.recorded_at`

const selectLedgerEntries = `
SELECT ` + ledgerEntryColumns + `
FROM ledger_entries e LEFT JOIN ledger_leaves l ON l.entry_id = e.id
WHERE ($1::uuid IS NULL OR e.party_id = $1)
  AND ($2::uuid IS NULL OR e.subject_id = $2)
  AND ($3::text IS NULL OR e.kind = $3 OR (right($3, 1) = '.' AND starts_with(e.kind, $3)))
  AND ($4::bigint = 0 OR e.seq < $4)
ORDER BY e.seq DESC
LIMIT $5`

// ListLedgerEntries returns the entries matching f, newest first.
func ListLedgerEntries(ctx context.Context, db DB, f ledger.Filter) ([]ledger.StoredEntry, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	rows, err := db.Query(ctx, selectLedgerEntries, uuidOrNull(f.PartyID), uuidOrNull(f.SubjectID), stringOrNull(f.Kind), f.Before, limit)
	if err != nil {
		return nil, fmt.Errorf("list ledger entries: %w", translate(err))
	}
	es, err := pgx.CollectRows(rows, scanLedgerEntry)
	if err != nil {
		return nil, fmt.Errorf("list ledger entries: %w", translate(err))
	}
	return es, nil
}

// GetLedgerEntry returns one entry, or an error wrapping market.ErrNotFound.
func GetLedgerEntry(ctx context.Context, db DB, id uuid.UUID) (ledger.StoredEntry, error) {
	rows, err := db.Query(ctx, `SELECT `+ledgerEntryColumns+`
FROM ledger_entries e LEFT JOIN ledger_leaves l ON l.entry_id = e.id WHERE e.id = $1`, id)
	if err != nil {
		return ledger.StoredEntry{}, fmt.Errorf("ledger entry %s: %w", id, translate(err))
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanLedgerEntry)
	if err != nil {
		return ledger.StoredEntry{}, fmt.Errorf("ledger entry %s: %w", id, translate(err))
	}
	return e, nil
}

func scanLedgerEntry(r pgx.CollectableRow) (ledger.StoredEntry, error) {
	var e ledger.StoredEntry
	var payload []byte
	var leaf *int64
	err := r.Scan(&e.ID, &e.Seq, &e.Kind, &e.PartyID, &e.SubjectID, &payload, &e.At, &leaf, &e.RecordedAt)
	e.Payload, e.At, e.RecordedAt = json.RawMessage(payload), e.At.UTC(), e.RecordedAt.UTC()
	if leaf != nil {
		i := uint64(*leaf)
		e.LeafIndex = &i
	}
	return e, err
}
