package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// GovDataStore implements govdata.Store: the government data catalog,
// applications, approvals and objections, each write in one transaction
// with its ledger events. It is safe for concurrent use.
type GovDataStore struct{ db DB }

var _ govdata.Store = (*GovDataStore)(nil)

// NewGovDataStore returns the store over db (a pool).
func NewGovDataStore(db DB) *GovDataStore { return &GovDataStore{db: db} }

// Party returns the party, or ErrNotFound.
func (s *GovDataStore) Party(ctx context.Context, id market.PartyID) (market.Party, error) {
	return NewAccountStore(s.db).Party(ctx, id)
}

// Departments returns every government department party, by name.
func (s *GovDataStore) Departments(ctx context.Context) ([]market.Party, error) {
	rows, err := s.db.Query(ctx, `SELECT id, kind, type, name, coalesce(credit_code, ''), jurisdiction, credit_rating, created_at
FROM parties WHERE type = 'department' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("departments: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (market.Party, error) {
		var p market.Party
		err := r.Scan(&p.ID, &p.Kind, &p.Type, &p.Name, &p.CreditCode, &p.Jurisdiction, &p.CreditRating, &p.CreatedAt)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("departments: %w", translate(err))
	}
	return out, nil
}

// stale is the conflict of an update whose row changed meanwhile.
func stale(what string, id uuid.UUID) error {
	return market.Errorf(market.ErrConflict, "stale", "%s %s changed meanwhile; read it again", what, id)
}

// appendAll appends the events in tx.
func appendAll(ctx context.Context, tx pgx.Tx, evs ...market.LedgerEvent) (uuid.UUID, error) {
	var last uuid.UUID
	for _, ev := range evs {
		id, err := AppendLedger(ctx, tx, ev)
		if err != nil {
			return uuid.Nil, err
		}
		last = id
	}
	return last, nil
}

// AppendLedger appends one event on its own.
func (s *GovDataStore) AppendLedger(ctx context.Context, ev market.LedgerEvent) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		_, err := AppendLedger(ctx, tx, ev)
		return err
	})
}

// jsonBody marshals v for a jsonb column.
func jsonBody(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	return b, nil
}

// notFoundCode is an ErrNotFound *market.Error for a missing thing.
func govNotFound(what string, ref any) error {
	return market.Errorf(market.ErrNotFound, "not_found", "no %s %v", what, ref)
}

func isNoRows(err error) bool { return errors.Is(err, pgx.ErrNoRows) }

// isUnique reports whether err is a unique violation.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == uniqueViolation
}
