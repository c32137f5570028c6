package market

import (
	"errors"
	"testing"
	"time"
)

func TestMove_ListingStateMachine(t *testing.T) {
	at := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		from   ListingState
		action Action
		role   Role
		reason string
		to     ListingState
		kind   error
	}{
		{"a seller submits a draft", StateDraft, ActionSubmit, RoleSeller, "", StateSubmitted, nil},
		{"the gate lists a submitted listing", StateSubmitted, ActionGateList, RoleGate, "listable", StateListed, nil},
		{"the gate blocks a submitted listing", StateSubmitted, ActionGateBlock, RoleGate, "Shaanxi Art. 36(1)", StateBlocked, nil},
		{"the gate refers a submitted listing to review", StateSubmitted, ActionGateRefer, RoleGate, "unknown scope", StateUnderReview, nil},
		{"an operator approves a listing in review", StateUnderReview, ActionApprove, RoleOperator, "scope is lawful", StateListed, nil},
		{"an operator rejects a listing in review", StateUnderReview, ActionReject, RoleOperator, "scope is not trading", StateBlocked, nil},
		{"a regulator suspends a listed product", StateListed, ActionSuspend, RoleRegulator, "case 12", StateSuspended, nil},
		{"a regulator reinstates a suspended product", StateSuspended, ActionReinstate, RoleRegulator, "corrected", StateListed, nil},
		{"a regulator delists a suspended product", StateSuspended, ActionDelist, RoleRegulator, "not corrected", StateDelisted, nil},
		{"a seller delists its listed product", StateListed, ActionDelist, RoleSeller, "", StateDelisted, nil},
		{"a seller may not suspend", StateListed, ActionSuspend, RoleSeller, "x", "", ErrForbidden},
		{"a seller may not decide a review", StateUnderReview, ActionApprove, RoleSeller, "x", "", ErrForbidden},
		{"an operator may not suspend", StateListed, ActionSuspend, RoleOperator, "x", "", ErrForbidden},
		{"a regulator may not decide a review", StateUnderReview, ActionApprove, RoleRegulator, "x", "", ErrForbidden},
		{"a seller may not list its own submission", StateSubmitted, ActionGateList, RoleSeller, "", "", ErrForbidden},
		{"a seller may not reinstate", StateSuspended, ActionReinstate, RoleSeller, "x", "", ErrForbidden},
		{"a seller may not delist a suspended product to escape", StateSuspended, ActionDelist, RoleSeller, "", "", ErrForbidden},
		{"a draft cannot be listed", StateDraft, ActionGateList, RoleGate, "", "", ErrConflict},
		{"a delisted product cannot be reinstated", StateDelisted, ActionReinstate, RoleRegulator, "x", "", ErrConflict},
		{"a listed product cannot be submitted", StateListed, ActionSubmit, RoleSeller, "", "", ErrConflict},
		{"a regulator must say why", StateListed, ActionSuspend, RoleRegulator, " ", "", ErrInvalid},
		{"an unknown action", StateDraft, Action("teleport"), RoleSeller, "", "", ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tr, err := Move(c.from, c.action, c.role, "user-1", at, c.reason)
			if c.kind != nil {
				if !errors.Is(err, c.kind) {
					t.Fatalf("error %v, want %v", err, c.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tr.From != c.from || tr.To != c.to || tr.Actor != "user-1" || !tr.At.Equal(at) || tr.Reason != c.reason || tr.Role != c.role {
				t.Errorf("transition %+v", tr)
			}
			if tr.RegulatorFlag {
				t.Error("regulator flag raised on an ordinary transition")
			}
		})
	}
}

func TestMove_ResubmittingABlockedProductFlagsRegulators(t *testing.T) {
	tr, err := Move(StateBlocked, ActionSubmit, RoleSeller, "user-1", time.Now(), "")
	if err != nil {
		t.Fatal(err)
	}
	if tr.To != StateSubmitted || !tr.RegulatorFlag {
		t.Errorf("transition %+v, want submitted with a regulator flag", tr)
	}
}

func TestGateAction_FollowsTheDecision(t *testing.T) {
	for d, want := range map[Decision]ListingState{DecisionListable: StateListed, DecisionBlocked: StateBlocked, DecisionReview: StateUnderReview} {
		tr, err := Move(StateSubmitted, GateAction(d), RoleGate, "gate", time.Now(), string(d))
		if err != nil || tr.To != want {
			t.Errorf("decision %s: %v %s, want %s", d, err, tr.To, want)
		}
	}
}
