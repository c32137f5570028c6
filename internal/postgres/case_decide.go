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

// AddNote adds a regulator's note (with an optional document reference)
// to case id and appends "case.note_added" to the ledger. Errors:
// ErrForbidden (forbidden_role), ErrInvalid, ErrNotFound (case_not_found).
func (s *CaseStore) AddNote(ctx context.Context, actor market.Actor, id uuid.UUID, req market.NoteRequest, now time.Time) (*market.CaseNote, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	var n *market.CaseNote
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		_, party, err := lockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, id, now.UTC()); err != nil {
			return translate(err)
		}
		n, err = insertNote(ctx, tx, actor, id, party, req, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("add note to case %s: %w", id, err)
	}
	return n, nil
}

func insertNote(ctx context.Context, tx pgx.Tx, actor market.Actor, caseID uuid.UUID, party market.PartyID, req market.NoteRequest, now time.Time) (*market.CaseNote, error) {
	n := &market.CaseNote{ID: market.NewID(), Author: actor.UserID, Text: req.Text, Document: req.Document, CreatedAt: now.UTC().Truncate(time.Microsecond)}
	entry, err := caseEvent(ctx, tx, "case.note_added", party, caseID, n.CreatedAt, map[string]any{
		"case_id": caseID, "note_id": n.ID, "author": n.Author, "text": n.Text, "document": n.Document})
	if err != nil {
		return nil, err
	}
	var doc []byte
	if n.Document != nil {
		if doc, err = json.Marshal(n.Document); err != nil {
			return nil, err
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO case_notes (id, case_id, author_user_id, text, document, created_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7)`, n.ID, caseID, n.Author, n.Text, doc, n.CreatedAt, entry); err != nil {
		return nil, translate(err)
	}
	return n, nil
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

// Decide records a regulator's decision on case id at now: dismiss (the
// flags are dismissed), order correction (the deadline counted in working
// days by cal), or proceed to penalty. The decision, the correction order
// and the flag moves are appended to the ledger in one transaction.
//
// Errors: those of market.DecideCase (forbidden_role, invalid input,
// invalid_decision); ErrNotFound (case_not_found); ErrConflict with code
// no_correctable_breach (order_correction on a case without a Shaanxi
// Art. 36 or 37 flag) or calendar_year_not_covered.
func (s *CaseStore) Decide(ctx context.Context, actor market.Actor, cal *market.Calendar, id uuid.UUID, req market.DecisionRequest, now time.Time) (*market.Case, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		from, party, err := lockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		to, err := market.DecideCase(actor, from, req)
		if err != nil {
			return err
		}
		switch req.Action {
		case market.DecisionOrderCorrection:
			if err := insertCorrectionOrder(ctx, tx, cal, id, party, req, now); err != nil {
				return err
			}
		case market.DecisionDismiss:
			if err := dismissCaseFlags(ctx, tx, actor, id, req.Reason); err != nil {
				return err
			}
		case market.DecisionConfirmCorrection:
			if err := confirmCorrection(ctx, tx, actor, id, party, now); err != nil {
				return err
			}
		}
		did := market.NewID()
		entry, err := caseEvent(ctx, tx, "case.decided", party, id, now, map[string]any{
			"case_id": id, "decision_id": did, "action": req.Action, "from": from, "to": to, "reason": req.Reason,
			"decided_by": actor.UserID, "authority_party_id": actor.PartyID})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO case_decisions (id, case_id, action, from_status, to_status, reason, decided_by, decided_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, did, id, req.Action, from, to, req.Reason, actor.UserID, now, entry); err != nil {
			return translate(err)
		}
		_, err = tx.Exec(ctx, `UPDATE cases SET status = $2, updated_at = $3 WHERE id = $1`, id, to, now)
		return translate(err)
	})
	if err != nil {
		return nil, fmt.Errorf("decide case %s: %w", id, err)
	}
	return s.Case(ctx, actor, id, now)
}

func dismissCaseFlags(ctx context.Context, tx pgx.Tx, actor market.Actor, id uuid.UUID, reason string) error {
	rows, err := tx.Query(ctx, `SELECT f.id FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
WHERE cf.case_id = $1 AND f.status = 'in_case' ORDER BY f.id`, id)
	if err != nil {
		return translate(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return translate(err)
	}
	for _, fid := range ids {
		if err := SetFlagStatus(ctx, tx, fid, market.FlagDismissed, uuidOf(actor.PartyID), "case "+id.String()+" dismissed: "+reason); err != nil {
			return err
		}
	}
	return nil
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
