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

const flagColumns = `id, rule, article, kind, party_id, listing_id, summary, evidence, status, created_at`

// selectFlags filters with every parameter optional (NULL: no filter).
// $1 article (matches "X" and "X(…)"), $2 rule, $3 party, $4 listing,
// $5 status, $6 from, $7 to, $8 limit, $9 offset.
const selectFlags = `
SELECT ` + flagColumns + ` FROM flags
WHERE ($1::text IS NULL OR article = $1 OR article LIKE $1 || '(%')
  AND ($2::text IS NULL OR rule = $2)
  AND ($3::uuid IS NULL OR party_id = $3)
  AND ($4::uuid IS NULL OR listing_id = $4)
  AND ($5::text IS NULL OR status = $5)
  AND ($6::timestamptz IS NULL OR created_at >= $6)
  AND ($7::timestamptz IS NULL OR created_at < $7)
ORDER BY created_at DESC, id DESC
LIMIT $8 OFFSET $9`

// ListFlags returns the flags matching f, newest first. It returns an
// ErrInvalid *market.Error for an unknown status or a negative offset, or
// the wrapped database error. db may be a pool or a transaction.
func ListFlags(ctx context.Context, db DB, f market.FlagFilter) ([]market.Flag, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, market.Invalid("status", "invalid_filter", "status %q is not open, in_case or dismissed", f.Status)
	}
	if f.Offset < 0 {
		return nil, market.Invalid("offset", "invalid_filter", "offset must not be negative")
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 100
	case limit > 1000:
		limit = 1000
	}
	rows, err := db.Query(ctx, selectFlags, stringOrNull(f.Article), stringOrNull(f.Rule),
		uuidOrNull(f.PartyID), uuidOrNull(f.ListingID), stringOrNull(string(f.Status)),
		timeOrNull(f.From), timeOrNull(f.To), limit, f.Offset)
	if err != nil {
		return nil, fmt.Errorf("list flags: %w", translate(err))
	}
	flags, err := pgx.CollectRows(rows, scanFlag)
	if err != nil {
		return nil, fmt.Errorf("list flags: %w", translate(err))
	}
	return flags, nil
}

// GetFlag returns one flag, or an error wrapping market.ErrNotFound.
func GetFlag(ctx context.Context, db DB, id uuid.UUID) (market.Flag, error) {
	rows, err := db.Query(ctx, `SELECT `+flagColumns+` FROM flags WHERE id = $1`, id)
	if err != nil {
		return market.Flag{}, fmt.Errorf("flag %s: %w", id, translate(err))
	}
	f, err := pgx.CollectExactlyOneRow(rows, scanFlag)
	if err != nil {
		return market.Flag{}, fmt.Errorf("flag %s: %w", id, translate(err))
	}
	return f, nil
}

// flagStatusChanged is the payload of the "flag.status_changed" ledger event.
type flagStatusChanged struct {
	FlagID uuid.UUID         `json:"flag_id"`
	From   market.FlagStatus `json:"from"`
	To     market.FlagStatus `json:"to"`
	By     market.PartyID    `json:"by_party_id"`
	Reason string            `json:"reason"`
}

// SetFlagStatus moves flag id to status inside tx (locking the flag row)
// and appends a "flag.status_changed" ledger event naming the regulator's
// party by and the reason. It returns ErrNotFound for an unknown flag,
// ErrInvalid for an unknown status, ErrConflict when the flag already has
// that status, or the wrapped database error.
func SetFlagStatus(ctx context.Context, tx pgx.Tx, id uuid.UUID, status market.FlagStatus, by market.PartyID, reason string) error {
	if !status.Valid() {
		return market.Invalid("status", "invalid_flag_status", "flag status %q is not open, in_case or dismissed", status)
	}
	var from market.FlagStatus
	var party market.PartyID
	err := tx.QueryRow(ctx, `SELECT status, party_id FROM flags WHERE id = $1 FOR UPDATE`, id).Scan(&from, &party)
	if err != nil {
		return fmt.Errorf("set flag %s status: %w", id, translate(err))
	}
	if from == status {
		return fmt.Errorf("set flag %s status: %w", id,
			market.Errorf(market.ErrConflict, "flag_status_unchanged", "flag %s is already %s", id, status))
	}
	if _, err := tx.Exec(ctx, `UPDATE flags SET status = $2 WHERE id = $1`, id, status); err != nil {
		return fmt.Errorf("set flag %s status: %w", id, translate(err))
	}
	payload, err := json.Marshal(flagStatusChanged{FlagID: id, From: from, To: status, By: by, Reason: reason})
	if err != nil {
		return fmt.Errorf("set flag %s status: encode ledger event: %w", id, err)
	}
	if _, err := AppendLedger(ctx, tx, market.LedgerEvent{
		Kind: "flag.status_changed", PartyID: party, SubjectID: id, Payload: payload,
	}); err != nil {
		return fmt.Errorf("set flag %s status: %w", id, err)
	}
	return nil
}

func scanFlag(row pgx.CollectableRow) (market.Flag, error) {
	var f market.Flag
	var evidence []byte
	err := row.Scan(&f.ID, &f.Rule, &f.Article, &f.Kind, &f.PartyID, &f.ListingID, &f.Summary,
		&evidence, &f.Status, &f.CreatedAt)
	f.Evidence = json.RawMessage(evidence)
	f.CreatedAt = f.CreatedAt.UTC()
	return f, err
}

func stringOrNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func timeOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
