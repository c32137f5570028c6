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
	// OnTime: given on or before the deadline day (China time). Null only
	// while the deadline is pending and the answer came on or after the
	// first day of the year the calendar does not cover: whether it was in
	// time is known once an operator adds that year (Settle).
	OnTime *bool `json:"on_time"`
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
	// (YYYY-MM-DD); empty while pending.
	Deadline string `json:"deadline,omitempty"`
	// DeadlinePending says why the deadline is not known yet: counting the
	// working days reaches a year the working-day calendar does not cover
	// (the State Council publishes each year's arrangement late in the
	// year before). It is never guessed: the first read after an operator
	// adds the year (PUT /v1/calendar/years/{year}) sets it (Settle).
	// Meanwhile the order runs, answers are recorded, and it cannot be
	// found refused (拒不改正, Shaanxi Art. 75) — before the uncovered
	// year begins the deadline certainly has not passed.
	DeadlinePending string `json:"deadline_pending,omitempty"`
	// pendingFrom is the first day of the year the count reached while
	// pending (zero when not pending or not settled).
	pendingFrom time.Time
	Responses   []CorrectionResponse `json:"responses"`
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
// (期间开始之日不计算在内), and the count is made on China dates. When the
// count reaches a year cal does not cover, the order is made with its
// deadline pending (DeadlinePending), never guessed. Other calendar errors
// are returned.
func NewCorrectionOrder(cal *Calendar, issued time.Time, workdays int, requirement string, breaches []PenaltyArticle) (CorrectionOrder, error) {
	o := CorrectionOrder{Breaches: breaches, Requirement: requirement, Workdays: workdays,
		IssuedAt: issued.UTC(), Responses: []CorrectionResponse{}}
	if err := o.Settle(cal); err != nil {
		return CorrectionOrder{}, fmt.Errorf("correction deadline: %w", err)
	}
	return o, nil
}

// Late reports whether the answer is known to have come after the
// deadline.
func (r CorrectionResponse) Late() bool { return r.OnTime != nil && !*r.OnTime }

// TimelinessKnown reports whether it is known if the answer came in time.
func (r CorrectionResponse) TimelinessKnown() bool { return r.OnTime != nil }

// NeedsCalendar reports whether Settle has anything to do: the deadline
// is pending, or an answer's timeliness is not known.
func (o *CorrectionOrder) NeedsCalendar() bool {
	if o.Deadline == "" {
		return true
	}
	for _, r := range o.Responses {
		if r.OnTime == nil {
			return true
		}
	}
	return false
}

// Settle sets a pending deadline when cal now covers the count, and the
// timeliness of every answer it can judge. A count that still reaches a
// year cal does not cover leaves the deadline pending, saying why. It
// returns cal's other errors (a negative count).
func (o *CorrectionOrder) Settle(cal *Calendar) error {
	if o.Deadline == "" {
		issued := o.IssuedAt.In(ChinaTime)
		d, err := cal.AddWorkdays(issued, o.Workdays)
		msg, gap := YearNotCovered(err)
		switch {
		case err == nil:
			o.Deadline, o.DeadlinePending, o.pendingFrom = d.Format(time.DateOnly), "", time.Time{}
		case gap:
			o.DeadlinePending, o.pendingFrom = msg, cal.FirstGap(issued)
		default:
			return err
		}
	}
	for i := range o.Responses {
		if o.Responses[i].OnTime == nil {
			o.Responses[i].OnTime = o.OnTimeAt(o.Responses[i].RespondedAt)
		}
	}
	return nil
}

// DeadlineTime returns the deadline date at midnight, China time (the
// zero time while pending).
func (o CorrectionOrder) DeadlineTime() time.Time {
	if o.Deadline == "" {
		return time.Time{}
	}
	t, _ := time.ParseInLocation(time.DateOnly, o.Deadline, ChinaTime)
	return t
}

// OnTimeAt reports whether an answer at t is on or before the deadline
// day (China time): nil when that is not known — the deadline pending and
// t on or after the first day of the year the calendar does not cover (or
// the order not settled). Before that day a pending deadline has
// certainly not passed: it lies in that year or later.
func (o CorrectionOrder) OnTimeAt(t time.Time) *bool {
	var in bool
	switch {
	case o.Deadline != "":
		in = t.In(ChinaTime).Format(time.DateOnly) <= o.Deadline
	case !o.pendingFrom.IsZero() && t.Before(o.pendingFrom):
		in = true
	default:
		return nil
	}
	return &in
}

// Passed reports whether the deadline is known and over at now.
func (o CorrectionOrder) Passed(now time.Time) bool {
	return o.Deadline != "" && now.In(ChinaTime).Format(time.DateOnly) > o.Deadline
}

// due names the deadline in a basis: the date, or why it is pending.
func (o CorrectionOrder) due() string {
	if o.Deadline != "" {
		return o.Deadline
	}
	return fmt.Sprintf("%d working days from %s, the last day not known yet (%s)",
		o.Workdays, o.IssuedAt.In(ChinaTime).Format(time.DateOnly), o.DeadlinePending)
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
	var late, awaiting, unknown *CorrectionResponse
	contested := false
	confirmed := !o.NeedsConfirmation() || o.Confirmation != nil
	for i, r := range o.Responses {
		counts := r.Action == ResponseDelist || r.Action == ResponseCorrect && confirmed
		switch {
		case counts && r.OnTime != nil && *r.OnTime:
			yes := true
			o.Status, o.Corrected = CorrectionCorrected, &yes
			o.Basis = fmt.Sprintf("correction order due %s: the party answered %q on %s, by the deadline → corrected: true",
				o.due(), r.Action, r.RespondedAt.In(ChinaTime).Format(time.DateOnly))
			if r.Action == ResponseCorrect && o.Confirmation != nil {
				o.Basis += fmt.Sprintf("; a regulator confirmed the correction on %s, with the refunds of %d overcharged counterparties",
					o.Confirmation.ConfirmedAt.In(ChinaTime).Format(time.DateOnly), len(o.Confirmation.Refunds))
			}
			return
		case r.Action.Corrects() && r.OnTime == nil && unknown == nil:
			unknown = &o.Responses[i]
		case r.Action.Corrects() && r.OnTime != nil && !*r.OnTime && late == nil:
			late = &o.Responses[i]
		case r.Action == ResponseCorrect && r.OnTime != nil && *r.OnTime && awaiting == nil:
			awaiting = &o.Responses[i]
		case r.Action == ResponseContest:
			contested = true
		}
	}
	if awaiting != nil {
		o.Corrected, o.Status = nil, CorrectionAwaitingConfirmation
		o.Basis = fmt.Sprintf("correction order due %s: the party answered \"correct\" on %s, by the deadline; for a Shaanxi Art. 37 breach it counts once a regulator confirms the refunds to every overcharged counterparty → corrected: null (awaiting confirmation)",
			o.due(), awaiting.RespondedAt.In(ChinaTime).Format(time.DateOnly))
		return
	}
	if unknown != nil {
		o.Corrected, o.Status = nil, CorrectionPending
		o.Basis = fmt.Sprintf("correction order due %s: the party answered %q on %s; whether that was by the deadline is known once the working-day calendar covers it → corrected: null (pending)",
			o.due(), unknown.Action, unknown.RespondedAt.In(ChinaTime).Format(time.DateOnly))
		return
	}
	if o.Passed(now) {
		no := false
		o.Corrected = &no
		if late != nil {
			o.Status = CorrectionCorrectedLate
			o.Basis = fmt.Sprintf("correction order due %s: corrected only on %s, after the deadline (逾期不改正) → corrected: false",
				o.due(), late.RespondedAt.In(ChinaTime).Format(time.DateOnly))
			return
		}
		o.Status = CorrectionRefused
		o.Basis = fmt.Sprintf("correction order due %s: no correction by the deadline (拒不改正, Shaanxi Art. 75) → corrected: false", o.due())
		return
	}
	o.Corrected = nil
	o.Status = CorrectionPending
	if contested {
		o.Status = CorrectionContested
	}
	passed := "the deadline has not passed"
	if o.Deadline == "" && (o.pendingFrom.IsZero() || !now.Before(o.pendingFrom)) {
		passed = "whether the deadline has passed is known once the working-day calendar covers it"
	}
	o.Basis = fmt.Sprintf("correction order due %s: not corrected yet, %s → corrected: null (pending)", o.due(), passed)
}
