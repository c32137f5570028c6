package market

import (
	"strings"
	"time"
)

// ListingState is where a listing is in its life.
type ListingState string

// Listing states: draft → submitted → listed | blocked | under_review →
// suspended → delisted.
const (
	StateDraft       ListingState = "draft"
	StateSubmitted   ListingState = "submitted"
	StateListed      ListingState = "listed"
	StateBlocked     ListingState = "blocked"
	StateUnderReview ListingState = "under_review"
	StateSuspended   ListingState = "suspended"
	StateDelisted    ListingState = "delisted"
)

// RoleGate is the Art. 36 gate itself, acting for the platform right after
// a submission; no user holds it (Role.Valid reports false).
const RoleGate Role = "gate"

// Action is a transition a role asks for.
type Action string

// Listing actions.
const (
	ActionSubmit    Action = "submit"    // seller: draft or blocked → submitted
	ActionGateList  Action = "list"      // gate: submitted → listed
	ActionGateBlock Action = "block"     // gate: submitted → blocked
	ActionGateRefer Action = "refer"     // gate: submitted → under_review
	ActionApprove   Action = "approve"   // operator: under_review → listed
	ActionReject    Action = "reject"    // operator: under_review → blocked
	ActionSuspend   Action = "suspend"   // regulator: listed or under_review → suspended
	ActionReinstate Action = "reinstate" // regulator: suspended → listed
	ActionDelist    Action = "delist"    // seller: listed → delisted; regulator: suspended → delisted
)

// transition is one allowed edge of the listing state machine.
type transition struct {
	from   ListingState
	action Action
	role   Role
	to     ListingState
}

// transitions is the whole listing state machine.
var transitions = []transition{
	{StateDraft, ActionSubmit, RoleSeller, StateSubmitted},
	{StateBlocked, ActionSubmit, RoleSeller, StateSubmitted},
	{StateSubmitted, ActionGateList, RoleGate, StateListed},
	{StateSubmitted, ActionGateBlock, RoleGate, StateBlocked},
	{StateSubmitted, ActionGateRefer, RoleGate, StateUnderReview},
	{StateUnderReview, ActionApprove, RoleOperator, StateListed},
	{StateUnderReview, ActionReject, RoleOperator, StateBlocked},
	{StateListed, ActionSuspend, RoleRegulator, StateSuspended},
	{StateUnderReview, ActionSuspend, RoleRegulator, StateSuspended},
	{StateSuspended, ActionReinstate, RoleRegulator, StateListed},
	{StateSuspended, ActionDelist, RoleRegulator, StateDelisted},
	{StateListed, ActionDelist, RoleSeller, StateDelisted},
}

// Transition is one recorded move of a listing: who, when and why.
// RegulatorFlag is set when a seller submits a blocked product again
// (issue 5: regulators are told).
type Transition struct {
	From          ListingState `json:"from"`
	To            ListingState `json:"to"`
	Action        Action       `json:"action"`
	Role          Role         `json:"role"`
	Actor         string       `json:"actor"`
	At            time.Time    `json:"at"`
	Reason        string       `json:"reason"`
	RegulatorFlag bool         `json:"regulator_flag"`
}

// Move applies action by role (acting as actor) to a listing in state from
// at time at, for reason. Operators and regulators must give a reason.
//
// It returns the Transition to record, or an *Error: ErrInvalid (code
// invalid_action, or reason_required), ErrForbidden (code
// transition_forbidden) when the action exists from this state but not
// for this role, ErrConflict (code invalid_transition) when the action is
// not possible from this state at all. Move is pure and safe for
// concurrent use.
func Move(from ListingState, action Action, role Role, actor string, at time.Time, reason string) (Transition, error) {
	known, fromOK := false, false
	for _, t := range transitions {
		if t.action != action {
			continue
		}
		known = true
		if t.from != from {
			continue
		}
		fromOK = true
		if t.role != role {
			continue
		}
		if (role == RoleOperator || role == RoleRegulator) && strings.TrimSpace(reason) == "" {
			return Transition{}, Invalid("reason", "reason_required", "reason: a %s must say why they %s a listing", role, action)
		}
		return Transition{From: from, To: t.to, Action: action, Role: role, Actor: actor, At: at.UTC(),
			Reason: reason, RegulatorFlag: action == ActionSubmit && from == StateBlocked}, nil
	}
	switch {
	case !known:
		return Transition{}, Invalid("action", "invalid_action", "action: unknown listing action %q", action)
	case fromOK:
		return Transition{}, Errorf(ErrForbidden, "transition_forbidden", "a %s may not %s a %s listing", role, action, from)
	}
	return Transition{}, Errorf(ErrConflict, "invalid_transition", "cannot %s a listing that is %s", action, from)
}

// GateAction returns the gate's action for a decision: list, block or refer.
func GateAction(d Decision) Action {
	switch d {
	case DecisionListable:
		return ActionGateList
	case DecisionReview:
		return ActionGateRefer
	}
	return ActionGateBlock
}

// Editable reports whether a seller may still change a listing's
// declaration in state s (draft, or blocked before submitting again).
func Editable(s ListingState) bool { return s == StateDraft || s == StateBlocked }
