package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// TransitionListing applies action (suspend, reinstate, approve, reject,
// delist) to listing id for actor at now, for reason: regulators suspend,
// reinstate and delist suspended listings, operators decide listings under
// review, the owner's sellers delist listed ones. The move is recorded with
// who, when and why, and appended to the ledger in the same transaction.
// Submission goes through SubmitListing, since it runs the gate.
//
// Errors: ErrNotFound, ErrForbidden (code transition_forbidden, or
// forbidden_party for a seller acting on another party's listing), an
// ErrConflict *Error (code invalid_transition) when the action is not
// possible from the listing's state, an ErrInvalid *Error (codes
// invalid_action, reason_required).
func (s *ListingStore) TransitionListing(ctx context.Context, actor market.Actor, id uuid.UUID, action market.Action, reason string, now time.Time) (*market.ListingRecord, error) {
	if action == market.ActionSubmit {
		return s.SubmitListing(ctx, actor, id, reason, now)
	}
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := lockListing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		t, err := moveAs(actor, cur, action, now, reason)
		if err != nil {
			return err
		}
		if _, err := recordTransition(ctx, tx, cur, t, &actor, nil); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE listings SET state = $2, updated_at = $3,
listed_at = CASE WHEN $2 = 'listed' THEN $3 ELSE listed_at END WHERE id = $1`, id, t.To, now)
		return translate(err)
	})
	if err != nil {
		return nil, fmt.Errorf("%s listing %s: %w", action, id, err)
	}
	return s.Listing(ctx, actor, id)
}

// moveAs tries action under each role actor holds (sellers only on their
// own party's listings) and returns the first allowed move, or the most
// telling refusal.
func moveAs(actor market.Actor, l *market.ListingRecord, action market.Action, now time.Time, reason string) (market.Transition, error) {
	var firstErr error
	for _, role := range actor.Roles {
		if role == market.RoleSeller || role == market.RoleBuyer {
			if actor.PartyID != l.PartyID {
				continue
			}
		}
		t, err := market.Move(l.State, action, role, actor.UserID.String(), now, reason)
		if err == nil {
			return t, nil
		}
		if firstErr == nil || isKind(firstErr, market.ErrForbidden) && !isKind(err, market.ErrForbidden) {
			firstErr = err
		}
	}
	if firstErr == nil {
		return market.Transition{}, market.Errorf(market.ErrForbidden, "forbidden_party",
			"only members of party %s, regulators and operators may change this listing", l.PartyID)
	}
	return market.Transition{}, firstErr
}

// recordTransition stores transition t of listing l by actor (nil for the
// gate), with the decision it came from, and appends "listing.<to>" to the
// ledger in tx.
func recordTransition(ctx context.Context, tx pgx.Tx, l *market.ListingRecord, t market.Transition, actor *market.Actor, decisionID *uuid.UUID) (uuid.UUID, error) {
	id := market.NewID()
	var userID *market.UserID
	var partyID *market.PartyID
	if actor != nil {
		userID, partyID = &actor.UserID, &actor.PartyID
	}
	if _, err := tx.Exec(ctx, `INSERT INTO listing_transitions (id, listing_id, party_id, from_state, to_state,
action, role, actor_user_id, actor_party_id, reason, decision_id, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		id, l.ID, l.PartyID, t.From, t.To, t.Action, t.Role, userID, partyID, t.Reason, decisionID, t.At); err != nil {
		return uuid.Nil, translate(err)
	}
	payload, err := json.Marshal(map[string]any{"from": t.From, "to": t.To, "action": t.Action, "role": t.Role,
		"actor_user_id": userID, "actor_party_id": partyID, "reason": t.Reason, "decision_id": decisionID,
		"regulator_flag": t.RegulatorFlag})
	if err != nil {
		return uuid.Nil, err
	}
	err = appendEvent(ctx, tx, market.LedgerEvent{Kind: "listing." + string(t.To), PartyID: uuidOf(l.PartyID),
		SubjectID: l.ID, Payload: payload, At: t.At})
	return id, err
}

// isKind reports whether err is of market error kind kind.
func isKind(err, kind error) bool { return err != nil && errors.Is(err, kind) }
