package market

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Submit submits listing id for its owner's seller and runs the Shaanxi
// Art. 36 gate on it at now, under the current rule set, with the
// listing's certificate read from its signed record. In one transaction it
// records the decision (with the rule-set version), the two transitions
// (→ submitted by the seller, → listed | blocked | under_review by the
// gate) and their ledger events; submitting a blocked listing again also
// raises a flag for regulators (rule shaanxi-36, kind
// repeated_submission). It returns the listing as it now stands.
//
// Errors: ErrNotFound (no such listing the actor may see), ErrForbidden
// (not the owner's seller), an ErrConflict *Error with code
// invalid_transition (the listing is not a draft or blocked).
func (s *Listings) Submit(ctx context.Context, actor Actor, id uuid.UUID, reason string, now time.Time) (*ListingRecord, error) {
	err := s.store.InListingTx(ctx, id, func(tx ListingTx, cur *ListingRecord) error {
		if !cur.ReadableBy(actor) {
			return listingNotFound(id)
		}
		if err := actor.RequireOwnParty(cur.PartyID); err != nil {
			return err
		}
		if err := actor.RequireRole(RoleSeller); err != nil {
			return err
		}
		submit, err := Move(cur.State, ActionSubmit, RoleSeller, actor.UserID.String(), now, reason)
		if err != nil {
			return err
		}
		if err := recordListingMove(ctx, tx, cur, submit, &actor, nil); err != nil {
			return err
		}
		// Shaanxi Art. 36: the gate decides whether the product is listed.
		res, err := tx.Gate(ctx, cur, now)
		if err != nil {
			return err
		}
		decisionID, err := tx.RecordDecision(ctx, cur, res, now)
		if err != nil {
			return err
		}
		decided, err := Move(StateSubmitted, GateAction(res.Decision), RoleGate, "gate", now, gateReason(res))
		if err != nil {
			return err
		}
		if err := recordListingMove(ctx, tx, cur, decided, nil, &decisionID); err != nil {
			return err
		}
		prev := *cur
		version := res.RuleSetVersion
		cur.State, cur.Decision, cur.RuleSetVersion, cur.Submissions, cur.UpdatedAt = decided.To, &res, &version, cur.Submissions+1, now
		if decided.To == StateListed {
			cur.ListedAt = &now
		}
		if err := tx.SaveState(ctx, cur); err != nil {
			return err
		}
		if submit.RegulatorFlag {
			return raiseResubmissionFlag(ctx, tx, &prev, res, now)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("submit listing %s: %w", id, err)
	}
	return s.Get(ctx, actor, id)
}

// Transition applies action (suspend, reinstate, approve, reject, delist)
// to listing id for actor at now, for reason: regulators suspend,
// reinstate and delist suspended listings, operators decide listings under
// review, the owner's sellers delist listed ones. The move is recorded
// with who, when and why, and appended to the ledger in the same
// transaction. Submission goes through Submit, since it runs the gate.
//
// Errors: ErrNotFound, ErrForbidden (code transition_forbidden, or
// forbidden_party for a seller acting on another party's listing), an
// ErrConflict *Error (code invalid_transition) when the action is not
// possible from the listing's state, an ErrInvalid *Error (codes
// invalid_action, reason_required).
func (s *Listings) Transition(ctx context.Context, actor Actor, id uuid.UUID, action Action, reason string, now time.Time) (*ListingRecord, error) {
	if action == ActionSubmit {
		return s.Submit(ctx, actor, id, reason, now)
	}
	err := s.store.InListingTx(ctx, id, func(tx ListingTx, cur *ListingRecord) error {
		return moveListing(ctx, tx, actor, cur, action, reason, now)
	})
	if err != nil {
		return nil, fmt.Errorf("%s listing %s: %w", action, id, err)
	}
	return s.Get(ctx, actor, id)
}

// moveListing applies action to the locked listing cur for actor inside
// tx: the move, its record and ledger event, and the new state.
func moveListing(ctx context.Context, tx ListingTx, actor Actor, cur *ListingRecord, action Action, reason string, now time.Time) error {
	if !cur.ReadableBy(actor) {
		return listingNotFound(cur.ID)
	}
	t, err := moveAs(actor, cur, action, now, reason)
	if err != nil {
		return err
	}
	if err := recordListingMove(ctx, tx, cur, t, &actor, nil); err != nil {
		return err
	}
	cur.State, cur.UpdatedAt = t.To, now
	if t.To == StateListed {
		cur.ListedAt = &now
	}
	return tx.SaveState(ctx, cur)
}

// moveAs tries action under each role actor holds (sellers only on their
// own party's listings) and returns the first allowed move, or the most
// telling refusal.
func moveAs(actor Actor, l *ListingRecord, action Action, now time.Time, reason string) (Transition, error) {
	var firstErr error
	for _, role := range actor.Roles {
		if role == RoleSeller || role == RoleBuyer {
			if actor.PartyID != l.PartyID {
				continue
			}
		}
		t, err := Move(l.State, action, role, actor.UserID.String(), now, reason)
		if err == nil {
			return t, nil
		}
		if firstErr == nil || errors.Is(firstErr, ErrForbidden) && !errors.Is(err, ErrForbidden) {
			firstErr = err
		}
	}
	if firstErr == nil {
		return Transition{}, Errorf(ErrForbidden, "forbidden_party",
			"only members of party %s, regulators and operators may change this listing", l.PartyID)
	}
	return Transition{}, firstErr
}

// recordListingMove records move t of l by actor (nil for the gate), with
// the decision it came from, and appends "listing.<to>" to the ledger.
func recordListingMove(ctx context.Context, tx ListingTx, l *ListingRecord, t Transition, actor *Actor, decisionID *uuid.UUID) error {
	if _, err := tx.RecordTransition(ctx, l, t, actor, decisionID); err != nil {
		return err
	}
	var userID *UserID
	var partyID *PartyID
	if actor != nil {
		userID, partyID = &actor.UserID, &actor.PartyID
	}
	return appendListingEvent(ctx, tx, l, "listing."+string(t.To), t.At, map[string]any{"from": t.From, "to": t.To,
		"action": t.Action, "role": t.Role, "actor_user_id": userID, "actor_party_id": partyID, "reason": t.Reason,
		"decision_id": decisionID, "regulator_flag": t.RegulatorFlag})
}

// appendListingEvent appends a listing.* ledger event about l with facts.
func appendListingEvent(ctx context.Context, tx ListingTx, l *ListingRecord, kind string, at time.Time, facts map[string]any) error {
	payload, err := json.Marshal(facts)
	if err != nil {
		return fmt.Errorf("encode %s: %w", kind, err)
	}
	if err := tx.AppendLedger(ctx, LedgerEvent{Kind: kind, PartyID: l.PartyID, SubjectID: l.ID, Payload: payload, At: at}); err != nil {
		return fmt.Errorf("append %s to the ledger: %w", kind, err)
	}
	return nil
}

// gateReason summarizes a gate result as the reason of its transition.
func gateReason(res GateResult) string {
	if len(res.Violations) == 0 {
		return fmt.Sprintf("Shaanxi Art. 36 gate: listable under rule set %d", res.RuleSetVersion)
	}
	parts := make([]string, 0, len(res.Violations))
	for _, v := range res.Violations {
		parts = append(parts, v.Article+" "+v.Rule)
	}
	return fmt.Sprintf("Shaanxi Art. 36 gate: %s under rule set %d: %s", res.Decision, res.RuleSetVersion, strings.Join(parts, "; "))
}

// raiseResubmissionFlag raises the regulators' flag for blocked listing l
// submitted again (Shaanxi Art. 36), with the previous and the new
// decision as evidence.
func raiseResubmissionFlag(ctx context.Context, tx ListingTx, l *ListingRecord, res GateResult, now time.Time) error {
	evidence, err := json.Marshal(map[string]any{"previous_decision": l.Decision, "decision": res, "submissions": l.Submissions + 1})
	if err != nil {
		return err
	}
	id := l.ID
	f := &Flag{
		ID: NewID(), Rule: "shaanxi-36", Article: "Shaanxi Art. 36", Kind: "repeated_submission",
		PartyID: l.PartyID, ListingID: &id,
		Summary: fmt.Sprintf("listing %q was blocked by the Art. 36 gate and submitted again (now %s)",
			l.Declaration.Title, res.Decision),
		Evidence: evidence, Status: FlagOpen, CreatedAt: now,
	}
	if err := tx.RaiseFlag(ctx, f); err != nil {
		return fmt.Errorf("raise flag: %w", err)
	}
	return nil
}
