package market

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ChinaTime is the zone of deadlines served in mainland China (UTC+8, no
// daylight saving): a deadline is a date there.
var ChinaTime = time.FixedZone("CST", 8*3600)

// CorrectionStatus is where a correction order stands on a given day.
type CorrectionStatus string

// Correction statuses.
const (
	// CorrectionPending: not corrected, the deadline not yet passed.
	CorrectionPending CorrectionStatus = "pending"
	// CorrectionContested: the party contested the order; the deadline
	// has not passed and it has not corrected.
	CorrectionContested CorrectionStatus = "contested"
	// CorrectionCorrected: corrected (or delisted) by the deadline.
	CorrectionCorrected CorrectionStatus = "corrected"
	// CorrectionCorrectedLate: corrected only after the deadline.
	CorrectionCorrectedLate CorrectionStatus = "corrected_late"
	// CorrectionRefused: the deadline passed without correction (逾期不改正).
	CorrectionRefused CorrectionStatus = "refused"
	// CorrectionAwaitingConfirmation: the party answered "correct" in time
	// to an order for a Shaanxi Art. 37 breach; it counts once a regulator
	// confirms the refunds (confirm_correction).
	CorrectionAwaitingConfirmation CorrectionStatus = "awaiting_confirmation"
)

// ResponseAction is a seller's answer to a correction order.
type ResponseAction string

// Response actions.
const (
	// ResponseCorrect: the party corrected (its declaration, its price plan…)
	// and states how.
	ResponseCorrect ResponseAction = "correct"
	// ResponseDelist: the party delists the flagged listings.
	ResponseDelist ResponseAction = "delist"
	// ResponseContest: the party contests the order with a statement
	// (陈述申辩); it does not stop the deadline.
	ResponseContest ResponseAction = "contest"
)

// Corrects reports whether the action is a correction (correct or delist).
func (a ResponseAction) Corrects() bool { return a == ResponseCorrect || a == ResponseDelist }

// ResponseRequest is a seller's response (POST
// /v1/correction-orders/{id}/response).
type ResponseRequest struct {
	Action    ResponseAction `json:"action"`
	Statement string         `json:"statement"`
}

// Validate checks and trims a response: a known action; a statement for
// correct (how) and contest (why).
func (r *ResponseRequest) Validate() error {
	r.Statement = strings.TrimSpace(r.Statement)
	switch r.Action {
	case ResponseCorrect, ResponseContest:
		if r.Statement == "" {
			return Invalid("statement", "statement_required", "statement: say how the party corrected, or why it contests the order")
		}
	case ResponseDelist:
	default:
		return Invalid("action", "invalid_action", "action: %q; want correct, delist or contest", r.Action)
	}
	return nil
}

// CorrectionResponse is a recorded response of the party.
type CorrectionResponse struct {
	ID          uuid.UUID      `json:"id"`
	Action      ResponseAction `json:"action"`
	Statement   string         `json:"statement"`
	UserID      UserID         `json:"user_id"`
	RespondedAt time.Time      `json:"responded_at"`
	// OnTime: given on or before the deadline day (China time).
	OnTime bool `json:"on_time"`
}

// CorrectionOrder is a correction order (责令改正通知) of a case: the
// breaches, what to do, and the deadline in working days.
type CorrectionOrder struct {
	ID      uuid.UUID `json:"id"`
	CaseID  uuid.UUID `json:"case_id"`
	PartyID PartyID   `json:"party_id"`
	// Breaches are the Shaanxi articles breached (shaanxi-36, shaanxi-37).
	Breaches    []PenaltyArticle `json:"breaches"`
	Requirement string           `json:"requirement"`
	Workdays    int              `json:"workdays"`
	IssuedAt    time.Time        `json:"issued_at"`
	// Deadline is the last working day to correct, a date in China time
	// (YYYY-MM-DD).
	Deadline  string               `json:"deadline"`
	Responses []CorrectionResponse `json:"responses"`
	// Confirmation is the regulator's confirmation of a price correction
	// (Shaanxi Art. 37 breaches only), nil until given.
	Confirmation *CorrectionConfirmation `json:"confirmation,omitempty"`
	// Status, Corrected and Basis are evaluated on the day of the request
	// (see Evaluate).
	Status CorrectionStatus `json:"status"`
	// Corrected is what Shaanxi Art. 75 reads: true when corrected by the
	// deadline, false when not (拒不改正), null while pending.
	Corrected *bool  `json:"corrected"`
	Basis     string `json:"basis"`
}

// NewCorrectionOrder computes the deadline of an order issued at issued,
// workdays working days later by cal: the day of issue is not counted
// (期间开始之日不计算在内), and the count is made on China dates. It
// returns the calendar's error for a year it does not cover (code
// calendar_year_not_covered).
func NewCorrectionOrder(cal *Calendar, issued time.Time, workdays int, requirement string, breaches []PenaltyArticle) (CorrectionOrder, error) {
	d, err := cal.AddWorkdays(issued.In(ChinaTime), workdays)
	if err != nil {
		return CorrectionOrder{}, fmt.Errorf("correction deadline: %w", err)
	}
	return CorrectionOrder{Breaches: breaches, Requirement: requirement, Workdays: workdays,
		IssuedAt: issued.UTC(), Deadline: d.Format(time.DateOnly), Responses: []CorrectionResponse{}}, nil
}

// DeadlineTime returns the deadline date at midnight, China time.
func (o CorrectionOrder) DeadlineTime() time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, o.Deadline, ChinaTime)
	return t
}

// OnTime reports whether a response at t is on or before the deadline day
// (China time).
func (o CorrectionOrder) OnTime(t time.Time) bool {
	return t.In(ChinaTime).Format(time.DateOnly) <= o.Deadline
}

// Evaluate sets Status, Corrected and Basis as they stand at now: the
// first correction (correct or delist) on or before the deadline makes it
// corrected (true); after the deadline without one in time it is refused
// (false; corrected_late when a correction came after the deadline) —
// Shaanxi Art. 75 fines only a party that refuses to correct; before the
// deadline it is pending or contested (null). For a Shaanxi Art. 37
// breach a "correct" answer counts only once a regulator has confirmed it
// with the refunds (Confirmation); until then the order is
// awaiting_confirmation (null), whether or not the deadline has passed.
func (o *CorrectionOrder) Evaluate(now time.Time) {
	var late, awaiting *CorrectionResponse
	contested := false
	confirmed := !o.NeedsConfirmation() || o.Confirmation != nil
	for i, r := range o.Responses {
		counts := r.Action == ResponseDelist || r.Action == ResponseCorrect && confirmed
		switch {
		case counts && r.OnTime:
			yes := true
			o.Status, o.Corrected = CorrectionCorrected, &yes
			o.Basis = fmt.Sprintf("correction order due %s: the party answered %q on %s, by the deadline → corrected: true",
				o.Deadline, r.Action, r.RespondedAt.In(ChinaTime).Format(time.DateOnly))
			if r.Action == ResponseCorrect && o.Confirmation != nil {
				o.Basis += fmt.Sprintf("; a regulator confirmed the correction on %s, with the refunds of %d overcharged counterparties",
					o.Confirmation.ConfirmedAt.In(ChinaTime).Format(time.DateOnly), len(o.Confirmation.Refunds))
			}
			return
		case r.Action.Corrects() && !r.OnTime && late == nil:
			late = &o.Responses[i]
		case r.Action == ResponseCorrect && r.OnTime && awaiting == nil:
			awaiting = &o.Responses[i]
		case r.Action == ResponseContest:
			contested = true
		}
	}
	if awaiting != nil {
		o.Corrected, o.Status = nil, CorrectionAwaitingConfirmation
		o.Basis = fmt.Sprintf("correction order due %s: the party answered \"correct\" on %s, by the deadline; for a Shaanxi Art. 37 breach it counts once a regulator confirms the refunds to every overcharged counterparty → corrected: null (awaiting confirmation)",
			o.Deadline, awaiting.RespondedAt.In(ChinaTime).Format(time.DateOnly))
		return
	}
	if !o.OnTime(now) {
		no := false
		o.Corrected = &no
		if late != nil {
			o.Status = CorrectionCorrectedLate
			o.Basis = fmt.Sprintf("correction order due %s: corrected only on %s, after the deadline (逾期不改正) → corrected: false",
				o.Deadline, late.RespondedAt.In(ChinaTime).Format(time.DateOnly))
			return
		}
		o.Status = CorrectionRefused
		o.Basis = fmt.Sprintf("correction order due %s: no correction by the deadline (拒不改正, Shaanxi Art. 75) → corrected: false", o.Deadline)
		return
	}
	o.Corrected = nil
	o.Status = CorrectionPending
	if contested {
		o.Status = CorrectionContested
	}
	o.Basis = fmt.Sprintf("correction order due %s: not corrected yet, the deadline has not passed → corrected: null (pending)", o.Deadline)
}
