package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// InsertNote stores note n of case id.
func (t caseTx) InsertNote(ctx context.Context, caseID uuid.UUID, n *market.CaseNote, entry uuid.UUID) error {
	var doc []byte
	if n.Document != nil {
		var err error
		if doc, err = json.Marshal(n.Document); err != nil {
			return err
		}
	}
	_, err := t.tx.Exec(ctx, `INSERT INTO case_notes (id, case_id, author_user_id, text, document, created_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, n.ID, caseID, n.Author, n.Text, doc, n.CreatedAt, entry)
	return translate(err)
}

// lockCase locks case id and returns its status and party.
func lockCase(ctx context.Context, tx pgx.Tx, id uuid.UUID) (market.CaseStatus, market.PartyID, error) {
	var st market.CaseStatus
	var party market.PartyID
	err := tx.QueryRow(ctx, `SELECT status, party_id FROM cases WHERE id = $1 FOR UPDATE`, id).Scan(&st, &party)
	if err != nil {
		if err = translate(err); isNotFound(err) {
			return "", party, notFound("case", id)
		}
		return "", party, err
	}
	return st, party, nil
}

// InsertDecision stores decision d of case id.
func (t caseTx) InsertDecision(ctx context.Context, caseID uuid.UUID, d *market.CaseDecision, entry uuid.UUID) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO case_decisions (id, case_id, action, from_status, to_status, reason, decided_by, decided_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, d.ID, caseID, d.Action, d.From, d.To, d.Reason, d.DecidedBy, d.DecidedAt, entry)
	return translate(err)
}

// CaseFlagIDs returns the IDs of case id's flags in status.
func (t caseTx) CaseFlagIDs(ctx context.Context, id uuid.UUID, status market.FlagStatus) ([]uuid.UUID, error) {
	rows, err := t.tx.Query(ctx, `SELECT f.id FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
WHERE cf.case_id = $1 AND f.status = $2 ORDER BY f.id`, id, status)
	if err != nil {
		return nil, translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	return ids, translate(err)
}

// CaseFlagRules returns the distinct rules of case id's flags.
func (t caseTx) CaseFlagRules(ctx context.Context, id uuid.UUID) ([]string, error) {
	rows, err := t.tx.Query(ctx, `SELECT DISTINCT f.rule FROM flags f JOIN case_flags cf ON cf.flag_id = f.id WHERE cf.case_id = $1 ORDER BY f.rule`, id)
	if err != nil {
		return nil, translate(err)
	}
	rules, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return rules, translate(err)
}

// CaseListings returns the listings named by case id's flags.
func (t caseTx) CaseListings(ctx context.Context, caseID uuid.UUID) ([]market.CaseListing, error) {
	rows, err := t.tx.Query(ctx, `SELECT DISTINCT l.id, l.state FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
JOIN listings l ON l.id = f.listing_id WHERE cf.case_id = $1 ORDER BY l.id`, caseID)
	if err != nil {
		return nil, translate(err)
	}
	ls, err := pgx.CollectRows(rows, pgx.RowToStructByPos[market.CaseListing])
	return ls, translate(err)
}

// Listing locks listing id and returns the listing transaction over this
// transaction (no certificate verifier: delisting runs no gate).
func (t caseTx) Listing(ctx context.Context, id uuid.UUID) (market.ListingTx, *market.ListingRecord, error) {
	l, err := scanListing(t.tx.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return nil, nil, err
	}
	return listingTx{tx: t.tx}, l, nil
}

func caseNotes(ctx context.Context, db DB, id uuid.UUID) ([]market.CaseNote, error) {
	rows, err := db.Query(ctx, `SELECT id, author_user_id, text, document, created_at FROM case_notes WHERE case_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return nil, translate(err)
	}
	notes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (market.CaseNote, error) {
		var n market.CaseNote
		var doc []byte
		if err := row.Scan(&n.ID, &n.Author, &n.Text, &doc, &n.CreatedAt); err != nil {
			return n, err
		}
		n.CreatedAt = n.CreatedAt.UTC()
		if doc != nil {
			n.Document = &market.NoteDocument{}
			if err := json.Unmarshal(doc, n.Document); err != nil {
				return n, fmt.Errorf("note %s document: %w", n.ID, err)
			}
		}
		return n, nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return notes, nil
}

func caseDecisions(ctx context.Context, db DB, id uuid.UUID) ([]market.CaseDecision, error) {
	rows, err := db.Query(ctx, `SELECT id, action, from_status, to_status, reason, decided_by, decided_at FROM case_decisions
WHERE case_id = $1 ORDER BY decided_at, id`, id)
	if err != nil {
		return nil, translate(err)
	}
	ds, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (market.CaseDecision, error) {
		var d market.CaseDecision
		err := row.Scan(&d.ID, &d.Action, &d.From, &d.To, &d.Reason, &d.DecidedBy, &d.DecidedAt)
		d.DecidedAt = d.DecidedAt.UTC()
		return d, err
	})
	if err != nil {
		return nil, translate(err)
	}
	return ds, nil
}
