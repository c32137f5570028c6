package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// InsertCorrectionOrder stores correction order o.
func (t caseTx) InsertCorrectionOrder(ctx context.Context, o *market.CorrectionOrder, entry uuid.UUID) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO correction_orders (id, case_id, party_id, breaches, requirement, workdays, issued_at, deadline, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, '')::date, $9)`, o.ID, o.CaseID, o.PartyID, breachStrings(o.Breaches), o.Requirement, o.Workdays, o.IssuedAt, o.Deadline, entry)
	return translate(err)
}

func breachStrings(bs []market.PenaltyArticle) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

// LockCaseCorrectionOrder locks case id's correction order and returns
// its ID.
func (t caseTx) LockCaseCorrectionOrder(ctx context.Context, caseID uuid.UUID) (uuid.UUID, error) {
	var id uuid.UUID
	err := t.tx.QueryRow(ctx, `SELECT id FROM correction_orders WHERE case_id = $1 FOR UPDATE`, caseID).Scan(&id)
	return id, translate(err)
}

// SetConfirmation stores the confirmation of correction order id.
func (t caseTx) SetConfirmation(ctx context.Context, orderID uuid.UUID, c market.CorrectionConfirmation) error {
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode confirmation: %w", err)
	}
	_, err = t.tx.Exec(ctx, `UPDATE correction_orders SET confirmation = $2 WHERE id = $1`, orderID, body)
	return translate(err)
}

// LockCorrectionOrder locks correction order id and returns its case,
// party, issue, working days and deadline ("" while pending) with its
// case's status.
func (t caseTx) LockCorrectionOrder(ctx context.Context, id uuid.UUID) (market.CorrectionOrder, market.CaseStatus, error) {
	o := market.CorrectionOrder{ID: id}
	var status market.CaseStatus
	err := t.tx.QueryRow(ctx, `SELECT o.case_id, o.party_id, o.issued_at, o.workdays, coalesce(to_char(o.deadline, 'YYYY-MM-DD'), ''), c.status
FROM correction_orders o JOIN cases c ON c.id = o.case_id WHERE o.id = $1 FOR UPDATE OF o`, id).Scan(&o.CaseID, &o.PartyID, &o.IssuedAt, &o.Workdays, &o.Deadline, &status)
	o.IssuedAt = o.IssuedAt.UTC()
	return o, status, translate(err)
}

// InsertResponse stores response r to correction order id.
func (t caseTx) InsertResponse(ctx context.Context, orderID uuid.UUID, r *market.CorrectionResponse, entry uuid.UUID) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO correction_responses (id, order_id, action, statement, user_id, responded_at, on_time, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, r.ID, orderID, r.Action, r.Statement, r.UserID, r.RespondedAt, r.OnTime, entry)
	return translate(err)
}

const correctionColumns = `id, case_id, party_id, breaches, requirement, workdays, issued_at, coalesce(to_char(deadline, 'YYYY-MM-DD'), ''), confirmation`

func scanCorrection(row pgx.CollectableRow) (market.CorrectionOrder, error) {
	var o market.CorrectionOrder
	var breaches []string
	var confirmation []byte
	err := row.Scan(&o.ID, &o.CaseID, &o.PartyID, &breaches, &o.Requirement, &o.Workdays, &o.IssuedAt, &o.Deadline, &confirmation)
	if err == nil && confirmation != nil {
		o.Confirmation = new(market.CorrectionConfirmation)
		if err = json.Unmarshal(confirmation, o.Confirmation); err != nil {
			return o, fmt.Errorf("correction order %s: stored confirmation: %w", o.ID, err)
		}
	}
	for _, b := range breaches {
		o.Breaches = append(o.Breaches, market.PenaltyArticle(b))
	}
	o.IssuedAt = o.IssuedAt.UTC()
	return o, err
}

// caseCorrection returns the correction order of case id (not evaluated),
// or nil when none was ordered.
func caseCorrection(ctx context.Context, db DB, id uuid.UUID) (*market.CorrectionOrder, error) {
	orders, err := correctionOrders(ctx, db, `case_id = $1`, id)
	if err != nil || len(orders) == 0 {
		return nil, err
	}
	return &orders[0], nil
}

// correctionOrders loads the orders matching where (one $1 parameter)
// with their responses, newest first.
func correctionOrders(ctx context.Context, db DB, where string, arg any) ([]market.CorrectionOrder, error) {
	rows, err := db.Query(ctx, `SELECT `+correctionColumns+` FROM correction_orders WHERE `+where+` ORDER BY issued_at DESC, id DESC`, arg)
	if err != nil {
		return nil, translate(err)
	}
	orders, err := pgx.CollectRows(rows, scanCorrection)
	if err != nil {
		return nil, translate(err)
	}
	for i := range orders {
		o := &orders[i]
		rows, err := db.Query(ctx, `SELECT id, action, statement, user_id, responded_at, on_time FROM correction_responses
WHERE order_id = $1 ORDER BY responded_at, id`, o.ID)
		if err != nil {
			return nil, translate(err)
		}
		o.Responses, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (market.CorrectionResponse, error) {
			var r market.CorrectionResponse
			err := row.Scan(&r.ID, &r.Action, &r.Statement, &r.UserID, &r.RespondedAt, &r.OnTime)
			r.RespondedAt = r.RespondedAt.UTC()
			return r, err
		})
		if err != nil {
			return nil, translate(err)
		}
	}
	return orders, nil
}

// CorrectionOrders returns the correction orders served on party.
func (s *CaseStore) CorrectionOrders(ctx context.Context, party market.PartyID) ([]market.CorrectionOrder, error) {
	return correctionOrders(ctx, s.db, `party_id = $1`, party)
}

// CorrectionOrder returns correction order id.
func (s *CaseStore) CorrectionOrder(ctx context.Context, id uuid.UUID) (*market.CorrectionOrder, error) {
	orders, err := correctionOrders(ctx, s.db, `id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(orders) == 0 {
		return nil, notFound("correction_order", id)
	}
	return &orders[0], nil
}
