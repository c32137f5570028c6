package market

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// PartyCorrectionOrders returns the correction orders served on the
// actor's own party, newest first, evaluated at now. Only the party's
// sellers see them. Errors: ErrForbidden (forbidden_role).
func (s *Cases) PartyCorrectionOrders(ctx context.Context, actor Actor, now time.Time) ([]CorrectionOrder, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	orders, err := s.store.CorrectionOrders(ctx, actor.PartyID)
	if err != nil {
		return nil, fmt.Errorf("correction orders of party %s: %w", actor.PartyID, err)
	}
	for i := range orders {
		if err := s.evaluate(ctx, &orders[i], now); err != nil {
			return nil, err
		}
	}
	return orders, nil
}

// PartyFlags returns the flags raised against the actor's own party, for
// its sellers; f.PartyID is replaced by the actor's party. Errors:
// ErrForbidden (forbidden_role), the store's.
func (s *Cases) PartyFlags(ctx context.Context, actor Actor, f FlagFilter) ([]Flag, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	f.PartyID = actor.PartyID
	return s.store.Flags(ctx, f)
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
func (s *Cases) Respond(ctx context.Context, actor Actor, id uuid.UUID, req ResponseRequest, now time.Time) (*CorrectionOrder, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	notFound := Errorf(ErrNotFound, "correction_order_not_found", "no correction_order %s", id)
	err := s.store.InCaseTx(ctx, func(tx CaseTx) error {
		o, status, err := tx.LockCorrectionOrder(ctx, id)
		if IsNotFound(err) || (err == nil && o.PartyID != actor.PartyID) {
			return notFound
		}
		if err != nil {
			return err
		}
		if status == CaseDismissed {
			return Errorf(ErrConflict, "case_closed", "case %s was dismissed; its correction order needs no response", o.CaseID)
		}
		if req.Action == ResponseDelist {
			if err := delistCaseListings(ctx, tx, actor, o.CaseID, id, now); err != nil {
				return err
			}
		}
		if o.NeedsCalendar() { // the deadline pending when the order was issued
			if err := s.evaluate(ctx, &o, now); err != nil {
				return err
			}
		}
		// on_time is null only while the deadline is pending and the
		// answer comes in a year the calendar does not cover yet
		r := &CorrectionResponse{ID: NewID(), Action: req.Action, Statement: req.Statement, UserID: actor.UserID,
			RespondedAt: now, OnTime: o.OnTimeAt(now)}
		entry, err := appendCaseEvent(ctx, tx, "correction.responded", o.PartyID, o.CaseID, now, map[string]any{
			"case_id": o.CaseID, "order_id": id, "response_id": r.ID, "action": req.Action, "statement": req.Statement,
			"user_id": actor.UserID, "on_time": r.OnTime, "deadline": o.Deadline, "deadline_pending": o.DeadlinePending != ""})
		if err != nil {
			return err
		}
		return tx.InsertResponse(ctx, id, r, entry)
	})
	if err != nil {
		return nil, fmt.Errorf("respond to correction order %s: %w", id, err)
	}
	o, err := s.store.CorrectionOrder(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("correction order %s: %w", id, err)
	}
	if err := s.evaluate(ctx, o, now); err != nil {
		return nil, err
	}
	return o, nil
}

// delistCaseListings delists, as the actor (the owner's seller), every
// listing of the case's flags that is still listed.
func delistCaseListings(ctx context.Context, tx CaseTx, actor Actor, caseID, orderID uuid.UUID, now time.Time) error {
	ls, err := tx.CaseListings(ctx, caseID)
	if err != nil {
		return err
	}
	if len(ls) == 0 {
		return Invalid("action", "no_listing_to_delist", "action: the case's flags name no listing to delist; answer correct with a statement instead")
	}
	for _, l := range ls {
		if l.State != StateListed {
			continue // already off the market
		}
		ltx, cur, err := tx.Listing(ctx, l.ID)
		if err == nil {
			err = moveListing(ctx, ltx, actor, cur, ActionDelist, "delisted in answer to correction order "+orderID.String(), now)
		}
		if err != nil {
			return fmt.Errorf("%s listing %s: %w", ActionDelist, l.ID, err)
		}
	}
	return nil
}
