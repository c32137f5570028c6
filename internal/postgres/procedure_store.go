package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// ProcedureStore implements market.ProcedureStore: one row per case in
// case_procedures, each step written with its ledger event in one
// transaction under a row lock. Safe for concurrent use.
type ProcedureStore struct {
	db DB
}

var _ market.ProcedureStore = (*ProcedureStore)(nil)

// NewProcedureStore returns the store over db.
func NewProcedureStore(db DB) *ProcedureStore { return &ProcedureStore{db: db} }

// CaseParty returns the party of case id, or ErrNotFound (case_not_found).
func (s *ProcedureStore) CaseParty(ctx context.Context, caseID uuid.UUID) (market.PartyID, error) {
	var party market.PartyID
	err := s.db.QueryRow(ctx, `SELECT party_id FROM cases WHERE id = $1`, caseID).Scan(&party)
	if err != nil {
		if err = translate(err); isNotFound(err) {
			return party, notFound("case", caseID)
		}
		return party, err
	}
	return party, nil
}

// LedgerEntry returns the kind and party of ledger entry id, or
// ErrNotFound (ledger_entry_not_found).
func (s *ProcedureStore) LedgerEntry(ctx context.Context, id uuid.UUID) (market.LedgerRef, error) {
	ref := market.LedgerRef{ID: id}
	var party *uuid.UUID
	err := s.db.QueryRow(ctx, `SELECT kind, party_id FROM ledger_entries WHERE id = $1`, id).Scan(&ref.Kind, &party)
	if err != nil {
		if err = translate(err); isNotFound(err) {
			return ref, notFound("ledger_entry", id)
		}
		return ref, err
	}
	if party != nil {
		ref.PartyID = *party
	}
	return ref, nil
}

// Procedure returns the procedure of case id, or ErrNotFound
// (procedure_not_found) when the case was not filed.
func (s *ProcedureStore) Procedure(ctx context.Context, caseID uuid.UUID) (*market.Procedure, error) {
	return readProcedure(ctx, s.db, caseID, "")
}

func readProcedure(ctx context.Context, db DB, caseID uuid.UUID, lock string) (*market.Procedure, error) {
	var doc []byte
	err := db.QueryRow(ctx, `SELECT doc FROM case_procedures WHERE case_id = $1`+lock, caseID).Scan(&doc)
	if err != nil {
		if err = translate(err); isNotFound(err) {
			return nil, notFound("procedure", caseID)
		}
		return nil, err
	}
	var p market.Procedure
	if err := json.Unmarshal(doc, &p); err != nil {
		return nil, fmt.Errorf("decode procedure of case %s: %w", caseID, err)
	}
	return &p, nil
}

// UpdateProcedure locks the case and its procedure row, calls fn, and
// stores the procedure fn returns with the ledger events fn appended, all
// in one transaction. Errors: ErrNotFound (case_not_found), fn's error,
// or the database's.
func (s *ProcedureStore) UpdateProcedure(ctx context.Context, caseID uuid.UUID,
	fn func(p *market.Procedure, appendLedger func(market.LedgerEvent) (uuid.UUID, error)) (*market.Procedure, error)) (*market.Procedure, error) {
	var out *market.Procedure
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, _, err := lockCase(ctx, tx, caseID); err != nil {
			return err
		}
		cur, err := readProcedure(ctx, tx, caseID, " FOR UPDATE")
		if err != nil && !errors.Is(err, market.ErrNotFound) {
			return err
		}
		var last uuid.UUID
		next, err := fn(cur, func(ev market.LedgerEvent) (uuid.UUID, error) {
			id, err := AppendLedger(ctx, tx, ev)
			last = id
			return id, err
		})
		if err != nil {
			return err
		}
		doc, err := json.Marshal(next)
		if err != nil {
			return fmt.Errorf("encode procedure: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO case_procedures (case_id, party_id, state, doc, updated_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, now(), $5)
ON CONFLICT (case_id) DO UPDATE SET state = EXCLUDED.state, doc = EXCLUDED.doc, updated_at = EXCLUDED.updated_at, ledger_entry_id = EXCLUDED.ledger_entry_id`,
			caseID, uuid.UUID(next.PartyID), next.State, doc, last)
		if err != nil {
			return translate(err)
		}
		out = next
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
