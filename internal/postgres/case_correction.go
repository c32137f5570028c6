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

// insertCorrectionOrder stores the correction order of case id, due
// req.Workdays working days after now by cal, for the Shaanxi Art. 36 and
// 37 breaches of its flags, and appends "case.correction_ordered".
func insertCorrectionOrder(ctx context.Context, tx pgx.Tx, cal *market.Calendar, id uuid.UUID, party market.PartyID, req market.DecisionRequest, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT DISTINCT f.rule FROM flags f JOIN case_flags cf ON cf.flag_id = f.id WHERE cf.case_id = $1 ORDER BY f.rule`, id)
	if err != nil {
		return translate(err)
	}
	rules, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return translate(err)
	}
	var breaches []market.PenaltyArticle
	for _, r := range rules {
		if b, ok := market.BreachOfRule(r); ok {
			breaches = append(breaches, b)
		}
	}
	if len(breaches) == 0 {
		return market.Errorf(market.ErrConflict, "no_correctable_breach",
			"the case's flags cite no Shaanxi Art. 36 or 37 breach; a correction order (Shaanxi Art. 74, 75) needs one")
	}
	o, err := market.NewCorrectionOrder(cal, now, req.Workdays, req.Requirement, breaches)
	if err != nil {
		return err
	}
	o.ID, o.CaseID, o.PartyID = market.NewID(), id, party
	entry, err := caseEvent(ctx, tx, "case.correction_ordered", party, id, now, map[string]any{
		"case_id": id, "order_id": o.ID, "breaches": o.Breaches, "requirement": o.Requirement,
		"workdays": o.Workdays, "issued_at": o.IssuedAt, "deadline": o.Deadline})
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO correction_orders (id, case_id, party_id, breaches, requirement, workdays, issued_at, deadline, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, o.ID, id, party, breachStrings(o.Breaches), o.Requirement, o.Workdays, o.IssuedAt, o.Deadline, entry)
	return translate(err)
}

func breachStrings(bs []market.PenaltyArticle) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = string(b)
	}
	return out
}

const correctionColumns = `id, case_id, party_id, breaches, requirement, workdays, issued_at, to_char(deadline, 'YYYY-MM-DD'), confirmation`

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

// caseCorrection returns the correction order of case id evaluated at now,
// or nil when none was ordered.
func caseCorrection(ctx context.Context, db DB, id uuid.UUID, now time.Time) (*market.CorrectionOrder, error) {
	orders, err := correctionOrders(ctx, db, `case_id = $1`, id, now)
	if err != nil || len(orders) == 0 {
		return nil, err
	}
	return &orders[0], nil
}

// correctionOrders loads the orders matching where (one $1 parameter)
// with their responses, evaluated at now.
func correctionOrders(ctx context.Context, db DB, where string, arg any, now time.Time) ([]market.CorrectionOrder, error) {
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
		o.Evaluate(now)
	}
	return orders, nil
}

// PartyCorrectionOrders returns the correction orders served on the
// actor's own party, newest first, evaluated at now. Only the party's
// sellers see them. Errors: ErrForbidden (forbidden_role).
func (s *CaseStore) PartyCorrectionOrders(ctx context.Context, actor market.Actor, now time.Time) ([]market.CorrectionOrder, error) {
	if err := actor.RequireRole(market.RoleSeller); err != nil {
		return nil, err
	}
	orders, err := correctionOrders(ctx, s.db, `party_id = $1`, actor.PartyID, now)
	if err != nil {
		return nil, fmt.Errorf("correction orders of party %s: %w", actor.PartyID, err)
	}
	return orders, nil
}

// PartyFlags returns the flags raised against the actor's own party, for
// its sellers; f.PartyID is replaced by the actor's party. Errors:
// ErrForbidden (forbidden_role), those of ListFlags.
func (s *CaseStore) PartyFlags(ctx context.Context, actor market.Actor, f market.FlagFilter) ([]market.Flag, error) {
	if err := actor.RequireRole(market.RoleSeller); err != nil {
		return nil, err
	}
	f.PartyID = uuidOf(actor.PartyID)
	return ListFlags(ctx, s.db, f)
}

// Respond records a seller's response to correction order id at now:
// correct (with a statement of how), delist (the flagged listings still
// listed are delisted, in the same transaction), or contest (with a
// statement). A response on or before the deadline day counts as in time
// for Shaanxi Art. 75. The response is appended to the ledger.
//
// Errors: ErrForbidden (forbidden_role); ErrNotFound
// (correction_order_not_found, also for another party's order);
// ErrInvalid (bad request, no_listing_to_delist); ErrConflict
// (case_closed when the case was dismissed), and the listing's own errors
// when it cannot be delisted.
func (s *CaseStore) Respond(ctx context.Context, actor market.Actor, id uuid.UUID, req market.ResponseRequest, now time.Time) (*market.CorrectionOrder, error) {
	if err := actor.RequireRole(market.RoleSeller); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		var o market.CorrectionOrder
		var status market.CaseStatus
		err := tx.QueryRow(ctx, `SELECT o.case_id, o.party_id, to_char(o.deadline, 'YYYY-MM-DD'), c.status
FROM correction_orders o JOIN cases c ON c.id = o.case_id WHERE o.id = $1 FOR UPDATE OF o`, id).Scan(&o.CaseID, &o.PartyID, &o.Deadline, &status)
		if err != nil || o.PartyID != actor.PartyID {
			if err == nil || isNotFound(translate(err)) {
				return notFound("correction_order", id)
			}
			return translate(err)
		}
		if status == market.CaseDismissed {
			return market.Errorf(market.ErrConflict, "case_closed", "case %s was dismissed; its correction order needs no response", o.CaseID)
		}
		if req.Action == market.ResponseDelist {
			if err := delistCaseListings(ctx, tx, actor, o.CaseID, id, now); err != nil {
				return err
			}
		}
		rid, onTime := market.NewID(), o.OnTime(now)
		entry, err := caseEvent(ctx, tx, "correction.responded", o.PartyID, o.CaseID, now, map[string]any{
			"case_id": o.CaseID, "order_id": id, "response_id": rid, "action": req.Action, "statement": req.Statement,
			"user_id": actor.UserID, "on_time": onTime, "deadline": o.Deadline})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO correction_responses (id, order_id, action, statement, user_id, responded_at, on_time, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, rid, id, req.Action, req.Statement, actor.UserID, now, onTime, entry)
		return translate(err)
	})
	if err != nil {
		return nil, fmt.Errorf("respond to correction order %s: %w", id, err)
	}
	orders, err := correctionOrders(ctx, s.db, `id = $1`, id, now)
	if err != nil {
		return nil, fmt.Errorf("correction order %s: %w", id, err)
	}
	return &orders[0], nil
}

// delistCaseListings delists, as the actor (the owner's seller), every
// listing of the case's flags that is still listed.
func delistCaseListings(ctx context.Context, tx pgx.Tx, actor market.Actor, caseID, orderID uuid.UUID, now time.Time) error {
	rows, err := tx.Query(ctx, `SELECT DISTINCT l.id, l.state FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
JOIN listings l ON l.id = f.listing_id WHERE cf.case_id = $1 ORDER BY l.id`, caseID)
	if err != nil {
		return translate(err)
	}
	type listing struct {
		ID    uuid.UUID
		State market.ListingState
	}
	ls, err := pgx.CollectRows(rows, pgx.RowToStructByPos[listing])
	if err != nil {
		return translate(err)
	}
	if len(ls) == 0 {
		return market.Invalid("action", "no_listing_to_delist", "action: the case's flags name no listing to delist; answer correct with a statement instead")
	}
	store := market.NewListings(NewListingStore(tx, nil)) // delisting runs no gate: no certificate to verify
	for _, l := range ls {
		if l.State != market.StateListed {
			continue // already off the market
		}
		if _, err := store.Transition(ctx, actor, l.ID, market.ActionDelist,
			"delisted in answer to correction order "+orderID.String(), now); err != nil {
			return err
		}
	}
	return nil
}
