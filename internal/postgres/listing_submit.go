package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// SubmitListing submits listing id for its owner's seller and runs the
// Shaanxi Art. 36 gate on it at now, under the current rule set, with the
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
func (s *ListingStore) SubmitListing(ctx context.Context, actor market.Actor, id uuid.UUID, reason string, now time.Time) (*market.ListingRecord, error) {
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := lockListing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := actor.RequireOwnParty(cur.PartyID); err != nil {
			return err
		}
		if err := actor.RequireRole(market.RoleSeller); err != nil {
			return err
		}
		submit, err := market.Move(cur.State, market.ActionSubmit, market.RoleSeller, actor.UserID.String(), now, reason)
		if err != nil {
			return err
		}
		if _, err := recordTransition(ctx, tx, cur, submit, &actor, nil); err != nil {
			return err
		}
		res, decisionID, err := runGate(ctx, tx, s.cert, cur, now)
		if err != nil {
			return err
		}
		decided, err := market.Move(market.StateSubmitted, market.GateAction(res.Decision), market.RoleGate, "gate", now, gateReason(res))
		if err != nil {
			return err
		}
		if _, err := recordTransition(ctx, tx, cur, decided, nil, &decisionID); err != nil {
			return err
		}
		resJSON, err := json.Marshal(res)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE listings SET state = $2, decision = $3, ruleset_version = $4,
submissions = submissions + 1, updated_at = $5,
listed_at = CASE WHEN $2 = 'listed' THEN $5 ELSE listed_at END WHERE id = $1`,
			id, decided.To, resJSON, res.RuleSetVersion, now); err != nil {
			return translate(err)
		}
		if submit.RegulatorFlag {
			return flagResubmission(ctx, tx, cur, res, now)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("submit listing %s: %w", id, err)
	}
	return s.Listing(ctx, actor, id)
}

// runGate runs the Art. 36 gate on the locked listing and stores the
// decision; it returns the result and the decision's ID.
func runGate(ctx context.Context, tx pgx.Tx, cert market.SignatureVerifier, l *market.ListingRecord, now time.Time) (market.GateResult, uuid.UUID, error) {
	res, err := gateListing(ctx, tx, cert, l, now)
	if err != nil {
		return market.GateResult{}, uuid.Nil, err
	}
	declJSON, err := json.Marshal(l.Declaration)
	if err != nil {
		return market.GateResult{}, uuid.Nil, err
	}
	violations, err := json.Marshal(res.Violations)
	if err != nil {
		return market.GateResult{}, uuid.Nil, err
	}
	decisionID := market.NewID()
	if _, err := tx.Exec(ctx, `INSERT INTO listing_decisions (id, listing_id, party_id, decision, violations,
ruleset_version, declaration, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		decisionID, l.ID, l.PartyID, res.Decision, violations, res.RuleSetVersion, declJSON, now); err != nil {
		return market.GateResult{}, uuid.Nil, translate(err)
	}
	return res, decisionID, nil
}

// gateReason summarizes a gate result as the reason of its transition.
func gateReason(res market.GateResult) string {
	if len(res.Violations) == 0 {
		return fmt.Sprintf("Shaanxi Art. 36 gate: listable under rule set %d", res.RuleSetVersion)
	}
	parts := make([]string, 0, len(res.Violations))
	for _, v := range res.Violations {
		parts = append(parts, v.Article+" "+v.Rule)
	}
	return fmt.Sprintf("Shaanxi Art. 36 gate: %s under rule set %d: %s", res.Decision, res.RuleSetVersion, strings.Join(parts, "; "))
}

// flagResubmission raises the regulators' flag for a blocked listing
// submitted again, with the previous and the new decision as evidence.
func flagResubmission(ctx context.Context, tx pgx.Tx, l *market.ListingRecord, res market.GateResult, now time.Time) error {
	evidence, err := json.Marshal(map[string]any{"previous_decision": l.Decision, "decision": res, "submissions": l.Submissions + 1})
	if err != nil {
		return err
	}
	id := l.ID
	f := &market.Flag{
		ID: market.NewID(), Rule: "shaanxi-36", Article: "Shaanxi Art. 36", Kind: "repeated_submission",
		PartyID: uuid.UUID(l.PartyID), ListingID: &id,
		Summary: fmt.Sprintf("listing %q was blocked by the Art. 36 gate and submitted again (now %s)",
			l.Declaration.Title, res.Decision),
		Evidence: evidence, Status: market.FlagOpen, CreatedAt: now,
	}
	if err := RaiseFlag(ctx, tx, f); err != nil {
		return fmt.Errorf("raise flag: %w", err)
	}
	return nil
}
