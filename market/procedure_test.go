package market

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

var procRegulator = Actor{UserID: UserID(uuid.MustParse("00000000-0000-7000-8000-000000000001")), Roles: []Role{RoleRegulator}}

const procNoticeFile = `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","product":"L1",
	"trades":[{"id":"t1","amount":"6000.00"},{"id":"t2","amount":"7000.00"}],"factors":["first_offence"]}]}`

// procDecisionFile decides the lighter penalty of 250,000 yuan.
const procDecisionFile = `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","product":"L1",
	"trades":[{"id":"t1","amount":"6000.00"},{"id":"t2","amount":"7000.00"}],"factors":["first_offence"],
	"decision":{"kind":"lighter","fine":"250000.00","reason":"初次违法，陈述意见部分采纳"}}]}`

const procHeavierFile = `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","product":"L1",
	"trades":[{"id":"t1","amount":"6000.00"},{"id":"t2","amount":"7000.00"}],"override":{"fine":"900000.00","reason":"x"}}]}`

type procWalk struct {
	t   *testing.T
	p   *Procedure
	now time.Time
}

func newProcWalk(t *testing.T) *procWalk {
	return &procWalk{t: t, p: &Procedure{CaseID: NewID(), PartyID: PartyID(NewID())}, now: time.Date(2026, 6, 30, 4, 0, 0, 0, time.UTC)}
}

// step applies st on day on and fails the test unless it succeeds and leads to want.
func (w *procWalk) step(st ProcedureStep, on string, want ProcedureState) {
	w.t.Helper()
	w.mustRefuseSkips()
	st.On = MustDate(on)
	if _, _, err := w.p.Apply(procRegulator, DefaultCalendar(), st, procRef(st), w.now); err != nil {
		w.t.Fatalf("%s on %s from %s: %v", st.Action, on, w.p.State, err)
	}
	if w.p.State != want {
		w.t.Fatalf("%s: state %s, want %s", st.Action, w.p.State, want)
	}
}

// refused applies st and fails the test unless it is refused with code.
func (w *procWalk) refused(st ProcedureStep, on, code string) {
	w.t.Helper()
	st.On = MustDate(on)
	before := w.p.State
	_, _, err := w.p.Apply(procRegulator, DefaultCalendar(), st, procRef(st), w.now)
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		w.t.Fatalf("%s on %s from %s: err = %v, want code %s", st.Action, on, before, err, code)
	}
	if e.Kind == ErrRefused && e.Article == "" {
		w.t.Errorf("%s refused without citing the rule: %v", st.Action, err)
	}
	if w.p.State != before {
		w.t.Fatalf("a refused step moved the case from %s to %s", before, w.p.State)
	}
}

// mustRefuseSkips tries every step the current state does not allow and
// checks each is refused with the rule: no state can be skipped.
func (w *procWalk) mustRefuseSkips() {
	w.t.Helper()
	if w.p.State == "" {
		return
	}
	for a, r := range procedureRules {
		allowed := a == ActFile
		for _, f := range r.from {
			allowed = allowed || f == w.p.State
		}
		if allowed {
			continue
		}
		_, _, err := w.p.Apply(procRegulator, DefaultCalendar(), ProcedureStep{Action: a}, nil, w.now)
		var e *Error
		if !errors.As(err, &e) || e.Code != "step_not_allowed" || e.Article == "" {
			w.t.Errorf("%s from %s: err = %v, want step_not_allowed citing the rule", a, w.p.State, err)
		}
	}
}

func procRef(st ProcedureStep) *LedgerRef {
	if st.Evidence == nil || st.Evidence.SourceEntryID == nil {
		return nil
	}
	return &LedgerRef{ID: *st.Evidence.SourceEntryID, Kind: "order.paid"}
}

func (w *procWalk) toNoticeServed() {
	w.step(ProcedureStep{Action: ActFile}, "2026-03-02", ProcFiled)
	w.step(ProcedureStep{Action: ActInvestigate}, "2026-03-02", ProcInvestigating)
	w.refused(ProcedureStep{Action: ActIssueNotice, CaseFile: []byte(procNoticeFile)}, "2026-03-09", "no_evidence")
	src := NewID()
	w.step(ProcedureStep{Action: ActAddEvidence, Evidence: &EvidenceInput{Kind: EvidenceTrade, Description: "订单t1交易记录", SourceEntryID: &src}}, "2026-03-03", ProcInvestigating)
	w.step(ProcedureStep{Action: ActAddEvidence, Evidence: &EvidenceInput{Kind: EvidenceDocument, Description: "询问笔录",
		SHA256: "aa00000000000000000000000000000000000000000000000000000000000000"}}, "2026-03-04", ProcInvestigating)
	w.step(ProcedureStep{Action: ActIssueNotice, CaseFile: []byte(procNoticeFile)}, "2026-03-10", ProcNotified)
	if !w.p.Notice.HearingRight || w.p.Notice.Penalty.Violations[0].FineMin.String() != "200000.00" {
		w.t.Fatalf("notice: hearing right %v, fine_min %s; want the 13,000 product in the 200,000 range with a hearing right",
			w.p.Notice.HearingRight, w.p.Notice.Penalty.Violations[0].FineMin)
	}
	w.refused(ProcedureStep{Action: ActServeNotice, Method: "pigeon", Receipt: "x"}, "2026-03-11", "invalid_service_method")
	w.step(ProcedureStep{Action: ActServeNotice, Method: "direct", Receipt: "当事人委托代理人王某签收"}, "2026-03-11", ProcNoticeServed)
	// Served Wed 11 Mar 2026: five working days are 12, 13, 16, 17, 18 March (APL Art. 85).
	if got, want := w.p.Window.Start.String()+" – "+w.p.Window.End.String(), "2026-03-12 – 2026-03-18"; got != want {
		w.t.Fatalf("window = %s, want %s", got, want)
	}
	w.step(ProcedureStep{Action: ActStatement, Text: "交易系误操作，已下架"}, "2026-03-12", ProcNoticeServed)
}

func TestProcedure_EveryStateWithoutHearing(t *testing.T) {
	w := newProcWalk(t)
	w.toNoticeServed()
	w.refused(ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "理由"}, "2026-03-18", "statement_window_open")
	w.refused(ProcedureStep{Action: ActRequestHearing}, "2026-03-19", "hearing_request_late")
	w.refused(ProcedureStep{Action: ActDecide, CaseFile: []byte(procHeavierFile), Text: "理由"}, "2026-03-19", "heavier_than_notice")
	w.step(ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "当事人陈述已下架，予以采纳，从轻处罚"}, "2026-03-19", ProcDecided)
	if got, want := w.p.DecideBy.String()+" "+w.p.ServeBy.String(), "2026-05-31 2026-03-30"; got != want {
		t.Errorf("decide by (90 days from filing), serve by (7 working days from the decision) = %s, want %s", got, want)
	}
	w.step(ProcedureStep{Action: ActServeDecision, Method: "mail", Receipt: "EMS 1234567890"}, "2026-03-20", ProcDecisionServed)
	if got, want := w.p.PaymentDue.String()+" "+w.p.ReviewBy.String()+" "+w.p.SueBy.String(), "2026-04-07 2026-05-19 2026-09-20"; got != want {
		t.Errorf("payment due, review by, sue by = %s, want %s (15 days to Sat 4 Apr, moved past the Qingming holiday to Tue 7 Apr)", got, want)
	}
	w.refused(ProcedureStep{Action: ActClose}, "2026-03-21", "payment_outstanding")
	// Paid on Thu 9 Apr, two days late: 250,000 + 13,000 confiscated + 2 × 3 % × 250,000 surcharge.
	w.refused(ProcedureStep{Action: ActPay, Channel: "指定银行", Receipt: "R1", Amount: ptrMoney("263000.00")}, "2026-04-09", "payment_amount_mismatch")
	w.step(ProcedureStep{Action: ActPay, Channel: "指定银行", Receipt: "R1", Amount: ptrMoney("278000.00")}, "2026-04-09", ProcPaid)
	if got, want := w.p.Payment.Surcharge.String()+" "+fmt.Sprint(w.p.Payment.DaysLate), "15000.00 2"; got != want {
		t.Errorf("surcharge, days late = %s, want %s", got, want)
	}
	w.step(ProcedureStep{Action: ActClose}, "2026-04-10", ProcClosed)
	w.mustRefuseSkips()
}

func TestProcedure_EveryStateWithHearing(t *testing.T) {
	w := newProcWalk(t)
	w.toNoticeServed()
	w.step(ProcedureStep{Action: ActRequestHearing}, "2026-03-13", ProcHearingRequested)
	w.refused(ProcedureStep{Action: ActScheduleHearing, HearingDate: MustDate("2026-03-20"), Place: "第一听证室"}, "2026-03-16", "hearing_notice_too_short")
	w.step(ProcedureStep{Action: ActScheduleHearing, HearingDate: MustDate("2026-03-25"), Place: "第一听证室"}, "2026-03-16", ProcHearingScheduled)
	w.refused(ProcedureStep{Action: ActHoldHearing, Text: "笔录"}, "2026-03-24", "hearing_before_scheduled_date")
	w.step(ProcedureStep{Action: ActHoldHearing, Text: "当事人到场陈述，出示下架记录", SHA256: "bb"}, "2026-03-25", ProcHeard)
	w.step(ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "听证意见部分采纳"}, "2026-03-26", ProcDecided)
	w.step(ProcedureStep{Action: ActServeDecision, Method: "direct", Receipt: "当事人签收"}, "2026-03-27", ProcDecisionServed)
	w.refused(ProcedureStep{Action: ActChallenge, Kind: "review", Body: "西安市人民政府"}, "2026-05-27", "review_out_of_time")
	w.step(ProcedureStep{Action: ActChallenge, Kind: "review", Body: "西安市人民政府"}, "2026-04-10", ProcContested)
	w.refused(ProcedureStep{Action: ActClose, Outcome: "upheld"}, "2026-06-01", "payment_outstanding")
	w.step(ProcedureStep{Action: ActClose, Outcome: "revoked"}, "2026-06-01", ProcClosed)
	if w.p.Challenge.Outcome != "revoked" || len(w.p.Evidence) != 2 || len(w.p.Statements) != 1 {
		t.Errorf("record: challenge %+v, %d evidence, %d statements", w.p.Challenge, len(w.p.Evidence), len(w.p.Statements))
	}
}

func TestProcedure_NoHearingRightBelowArt77(t *testing.T) {
	w := newProcWalk(t)
	w.step(ProcedureStep{Action: ActFile}, "2026-03-02", ProcFiled)
	w.step(ProcedureStep{Action: ActInvestigate}, "2026-03-02", ProcInvestigating)
	w.step(ProcedureStep{Action: ActAddEvidence, Evidence: &EvidenceInput{Kind: EvidenceDocument, Description: "检查笔录",
		SHA256: "cc00000000000000000000000000000000000000000000000000000000000000"}}, "2026-03-03", ProcInvestigating)
	small := `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-37","trades":[{"id":"t","amount":"900","overcharge":"100"}],"corrected":true,"harm":"none"}]}`
	w.step(ProcedureStep{Action: ActIssueNotice, CaseFile: []byte(small)}, "2026-03-10", ProcNotified)
	w.step(ProcedureStep{Action: ActServeNotice, Method: "electronic", Receipt: "平台送达记录"}, "2026-03-10", ProcNoticeServed)
	w.refused(ProcedureStep{Action: ActRequestHearing}, "2026-03-11", "no_hearing_right")
	w.step(ProcedureStep{Action: ActWaive}, "2026-03-11", ProcNoticeServed)
	noPenalty := `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-37","trades":[{"id":"t","amount":"900","overcharge":"100"}],"corrected":true,"harm":"none","decision":{"kind":"no_penalty","reason":"轻微并及时改正"}}]}`
	w.step(ProcedureStep{Action: ActDecide, CaseFile: []byte(noPenalty), Text: "当事人放弃陈述申辩；违法行为轻微并已及时改正"}, "2026-03-11", ProcDecided)
	w.step(ProcedureStep{Action: ActServeDecision, Method: "electronic", Receipt: "平台送达记录"}, "2026-03-12", ProcDecisionServed)
	w.refused(ProcedureStep{Action: ActPay, Channel: "x", Receipt: "x", Amount: ptrMoney("0")}, "2026-03-13", "nothing_to_pay")
	w.step(ProcedureStep{Action: ActClose}, "2026-03-13", ProcClosed)
}

func TestSurcharge_AdministrativePenaltyLawArt72(t *testing.T) {
	for _, tt := range []struct {
		fine string
		days int
		want string
	}{{"10000.00", 0, "0.00"}, {"10000.00", 1, "300.00"}, {"10000.00", 33, "9900.00"}, {"10000.00", 34, "10000.00"}, {"10000.00", 400, "10000.00"}} {
		t.Run(fmt.Sprintf("%d days late on %s is %s, never above the fine", tt.days, tt.fine, tt.want), func(t *testing.T) {
			if got := Surcharge(MustMoney(tt.fine), tt.days).String(); got != tt.want {
				t.Errorf("surcharge = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNextActions_FollowTheProcedure(t *testing.T) {
	for _, tt := range []struct {
		state ProcedureState
		want  string
	}{
		{"", "file"},
		{ProcInvestigating, "add_evidence, issue_notice"},
		{ProcNoticeServed, "statement, waive, request_hearing, decide"},
		{ProcHearingScheduled, "statement, hold_hearing"},
		{ProcDecisionServed, "pay, challenge, close"},
		{ProcClosed, ""},
	} {
		got := make([]string, 0)
		for _, a := range NextActions(tt.state) {
			got = append(got, string(a))
		}
		if s := strings.Join(got, ", "); s != tt.want {
			t.Errorf("NextActions(%q) = %s, want %s", tt.state, s, tt.want)
		}
	}
}
