package market

import (
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
)

// DecisionAction is what a regulator decides on a case.
type DecisionAction string

// Decision actions.
const (
	// DecisionDismiss closes the case without penalty; a reason is required.
	DecisionDismiss DecisionAction = "dismiss"
	// DecisionOrderCorrection orders the party to correct (责令改正, Shaanxi
	// Art. 74 and 75) within a number of working days.
	DecisionOrderCorrection DecisionAction = "order_correction"
	// DecisionProceedToPenalty moves the case on to a penalty (Shaanxi
	// Art. 74, 75), computed with POST /v1/regulator/cases/{id}/penalty.
	DecisionProceedToPenalty DecisionAction = "proceed_to_penalty"
)

// MaxCorrectionWorkdays bounds the time a correction order may allow.
const MaxCorrectionWorkdays = 60

// DecisionRequest is a regulator's decision (POST
// /v1/regulator/cases/{id}/decision). Workdays and Requirement are for
// order_correction only.
type DecisionRequest struct {
	Action DecisionAction `json:"action"`
	Reason string         `json:"reason"`
	// Workdays is the time allowed to correct, in working days (1–60) after
	// the day of the order.
	Workdays int `json:"workdays"`
	// Requirement says what the party must do (改正要求).
	Requirement string `json:"requirement"`
}

// CaseDecision is a recorded decision: who, when, why, and the move.
type CaseDecision struct {
	ID        uuid.UUID      `json:"id"`
	Action    DecisionAction `json:"action"`
	From      CaseStatus     `json:"from"`
	To        CaseStatus     `json:"to"`
	Reason    string         `json:"reason"`
	DecidedBy UserID         `json:"decided_by"`
	DecidedAt time.Time      `json:"decided_at"`
}

// caseMoves is the case state machine: from, action → to.
var caseMoves = []struct {
	from   CaseStatus
	action DecisionAction
	to     CaseStatus
}{
	{CaseOpen, DecisionDismiss, CaseDismissed},
	{CaseOpen, DecisionOrderCorrection, CaseCorrectionOrdered},
	{CaseOpen, DecisionProceedToPenalty, CaseAtPenalty},
	{CaseCorrectionOrdered, DecisionDismiss, CaseDismissed},
	{CaseCorrectionOrdered, DecisionProceedToPenalty, CaseAtPenalty},
	// the correction of a flagged price, confirmed with its refunds
	{CaseCorrectionOrdered, DecisionConfirmCorrection, CaseCorrectionOrdered},
	// a statement of defence or a hearing may show the penalty is not due
	{CaseAtPenalty, DecisionDismiss, CaseDismissed},
}

// DecideCase checks decision req by actor on a case in status from and
// returns the status it leads to. Only regulators decide.
//
// Errors: ErrForbidden (code forbidden_role) for a caller who is not a
// regulator; ErrInvalid for an unknown action, a dismissal without a
// reason (code reason_required), a correction order without a requirement
// or with workdays outside 1–60; ErrConflict (code invalid_decision) when
// the action is not possible from the case's status. Pure and safe for
// concurrent use.
func DecideCase(actor Actor, from CaseStatus, req DecisionRequest) (CaseStatus, error) {
	if err := actor.RequireRole(RoleRegulator); err != nil {
		return "", err
	}
	if err := req.validate(); err != nil {
		return "", err
	}
	for _, m := range caseMoves {
		if m.from == from && m.action == req.Action {
			return m.to, nil
		}
	}
	return "", Errorf(ErrConflict, "invalid_decision", "cannot %s a case that is %s", req.Action, from)
}

func (req *DecisionRequest) validate() error {
	req.Reason = strings.TrimSpace(req.Reason)
	req.Requirement = strings.TrimSpace(req.Requirement)
	switch req.Action {
	case DecisionDismiss:
		if req.Reason == "" {
			return Invalid("reason", "reason_required", "reason: a dismissal must say why the flags do not call for action")
		}
	case DecisionOrderCorrection:
		if req.Workdays < 1 || req.Workdays > MaxCorrectionWorkdays {
			return Invalid("workdays", "invalid_workdays", "workdays: %d; want 1 to %d working days to correct", req.Workdays, MaxCorrectionWorkdays)
		}
		if req.Requirement == "" {
			return Invalid("requirement", "missing_field", "requirement: say what the party must do to correct (改正要求)")
		}
	case DecisionProceedToPenalty, DecisionConfirmCorrection:
	default:
		return Invalid("action", "invalid_action", "action: %q; want dismiss, order_correction, proceed_to_penalty or confirm_correction", req.Action)
	}
	if req.Action != DecisionOrderCorrection && (req.Workdays != 0 || req.Requirement != "") {
		return Invalid("workdays", "invalid_field", "workdays and requirement belong to order_correction only")
	}
	return nil
}

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Validate checks and trims an open-case request: at least one flag, no
// flag twice, at most 100 flags.
func (r *OpenCaseRequest) Validate() error {
	r.Title, r.Note = strings.TrimSpace(r.Title), strings.TrimSpace(r.Note)
	if len(r.FlagIDs) == 0 {
		return Invalid("flag_ids", "missing_field", "flag_ids: open a case from at least one flag")
	}
	if len(r.FlagIDs) > 100 {
		return Invalid("flag_ids", "too_many_flags", "flag_ids: at most 100 flags in one case")
	}
	seen := map[uuid.UUID]bool{}
	for _, id := range r.FlagIDs {
		if id == uuid.Nil || seen[id] {
			return Invalid("flag_ids", "invalid_flag_ids", "flag_ids: %s is empty or listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// Validate checks and trims a note: text required; a document needs a
// title and the lower-case hex SHA-256 of its file.
func (r *NoteRequest) Validate() error {
	r.Text = strings.TrimSpace(r.Text)
	if r.Text == "" {
		return Invalid("text", "missing_field", "text: a note needs text")
	}
	if d := r.Document; d != nil {
		d.Title = strings.TrimSpace(d.Title)
		if d.Title == "" {
			return Invalid("document.title", "missing_field", "document.title: name the document")
		}
		if !sha256Pattern.MatchString(d.SHA256) {
			return Invalid("document.sha256", "invalid_sha256", "document.sha256: want the 64 lower-case hex digits of the file's SHA-256")
		}
	}
	return nil
}
