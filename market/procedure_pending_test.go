package market

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// applyOn applies st on day with cal at now and returns the error.
func applyOn(p *Procedure, cal *Calendar, st ProcedureStep, day string, now time.Time) error {
	st.On = MustDate(day)
	_, _, err := p.Apply(procRegulator, cal, st, procRef(st), now)
	return err
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

// A prior notice served on 28 Dec 2026: its five working days run into
// 2027, which the calendar does not cover. The window is pending, never
// guessed, and open while unknown (APL Art. 45, 64(1), 85); a decision
// waits until the window is known to be over (409 before that); once the
// operator adds 2027 the end is set (29, 30, 31 Dec, 4, 5 Jan with the
// test arrangement) and the procedure goes on.
func TestProcedure_AdministrativePenaltyLawArt64_85_AWindowInAnUncoveredYearIsPendingAndOpen(t *testing.T) {
	cal := DefaultCalendar()
	with2027 := func() *Calendar {
		extra, err := ParseCalendar([]byte(testYear2027))
		if err != nil {
			t.Fatal(err)
		}
		return cal.Merge(extra)
	}()
	p := &Procedure{CaseID: NewID(), PartyID: PartyID(NewID())}
	dec := time.Date(2026, 12, 31, 4, 0, 0, 0, time.UTC)
	src := NewID()
	for _, s := range []struct {
		st  ProcedureStep
		day string
	}{
		{ProcedureStep{Action: ActFile}, "2026-12-01"},
		{ProcedureStep{Action: ActInvestigate}, "2026-12-01"},
		{ProcedureStep{Action: ActAddEvidence, Evidence: &EvidenceInput{Kind: EvidenceTrade, Description: "订单t1交易记录", SourceEntryID: &src}}, "2026-12-02"},
		{ProcedureStep{Action: ActIssueNotice, CaseFile: []byte(procNoticeFile)}, "2026-12-21"},
		{ProcedureStep{Action: ActServeNotice, Method: "direct", Receipt: "当事人签收"}, "2026-12-28"},
	} {
		if err := applyOn(p, cal, s.st, s.day, dec); err != nil {
			t.Fatalf("%s on %s: %v (a window reaching 2027 must not refuse the service)", s.st.Action, s.day, err)
		}
	}
	if w := p.Window; !w.End.IsZero() || !strings.Contains(w.EndPending, "2027") || w.Start.String() != "2026-12-29" {
		t.Fatalf("window %+v: want start 2026-12-29, no end, pending naming 2027", w)
	}
	// Before 2027 the window is open for certain: statements are taken, a decision is too early.
	if err := applyOn(p, cal, ProcedureStep{Action: ActStatement, Text: "交易系误操作"}, "2026-12-30", dec); err != nil {
		t.Fatal(err)
	}
	wantCode(t, applyOn(p, cal, ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "理由"}, "2026-12-31", dec), "statement_window_open")
	// In 2027, the year still missing: the party's statement and hearing request are taken, the decision waits.
	jan := time.Date(2027, 1, 20, 4, 0, 0, 0, time.UTC)
	if err := applyOn(p, cal, ProcedureStep{Action: ActStatement, Text: "补充说明"}, "2027-01-08", jan); err != nil {
		t.Fatalf("a statement while the window's end is unknown was refused: %v", err)
	}
	wantCode(t, applyOn(p, cal, ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "理由"}, "2027-01-20", jan), CodeCalendarYearNotCovered)
	// The operator adds 2027: the end is known (5 Jan), the decision can be taken.
	if err := applyOn(p, with2027, ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "陈述部分采纳"}, "2027-01-20", jan); err != nil {
		t.Fatal(err)
	}
	if got := p.Window.End.String(); got != "2027-01-05" || p.Window.EndPending != "" {
		t.Errorf("window end after 2027 was added: %q (pending %q), want 2027-01-05", got, p.Window.EndPending)
	}
	if got := p.ServeBy.String(); got != "2027-01-29" {
		t.Errorf("serve by = %s, want 2027-01-29 (7 working days after Wed 20 Jan)", got)
	}
	if len(p.Statements) != 2 {
		t.Errorf("%d statements recorded, want 2", len(p.Statements))
	}
}

// A decision served on 5 Dec 2026: the six months to sue (行政诉讼法 Art. 46)
// and the 60 days to apply for review (行政复议法 Art. 20) end in 2027,
// which the calendar does not cover. Serving the decision was refused for
// every decision served from July on; the periods are now set to their
// plain last day — the earliest they can be — and marked pending, the
// party's review accepted after it while it may still run, and the
// payment due in 2026 counted as always.
func TestProcedure_AdministrativePenaltyLawArt67_PeriodsInAnUncoveredYearArePendingAndKeepThePartysRights(t *testing.T) {
	cal := DefaultCalendar()
	w := newProcWalk(t)
	w.toNoticeServed()
	w.step(ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "从轻处罚"}, "2026-03-19", ProcDecided)
	p := w.p
	now := time.Date(2026, 12, 22, 4, 0, 0, 0, time.UTC)
	if err := applyOn(p, cal, ProcedureStep{Action: ActServeDecision, Method: "mail", Receipt: "EMS 1"}, "2026-12-05", now); err != nil {
		t.Fatalf("serving a decision whose periods reach 2027 was refused: %v", err)
	}
	// 15 days → Sun 20 Dec, moved to Mon 21 Dec (2026 is covered); 60 days → 3 Feb 2027, six months → 5 Jun 2027 (plain).
	if got := p.PaymentDue.String() + " " + p.ReviewBy.String() + " " + p.SueBy.String(); got != "2026-12-21 2027-02-03 2027-06-05" || !strings.Contains(p.PeriodsPending, "2027") {
		t.Fatalf("periods %s, pending %q; want 2026-12-21 2027-02-03 2027-06-05 with the 2027 ones pending", got, p.PeriodsPending)
	}
	// Paid a day late, on 22 Dec: the due day is certain, so is the surcharge (3 % of 250,000).
	if err := applyOn(p, cal, ProcedureStep{Action: ActPay, Channel: "指定银行", Receipt: "R1", Amount: ptrMoney("270500.00")}, "2026-12-22", now); err != nil {
		t.Fatalf("a payment against a certain due day: %v", err)
	}
	// A review applied for on 10 Feb 2027, after the plain 3 Feb, while 2027 is missing: accepted.
	feb := time.Date(2027, 2, 10, 4, 0, 0, 0, time.UTC)
	if err := applyOn(p, cal, ProcedureStep{Action: ActChallenge, Kind: "review", Body: "西安市人民政府"}, "2027-02-10", feb); err != nil {
		t.Fatalf("a review while its period may still run was refused: %v", err)
	}
}

// With the calendar covering every period nothing is pending and the
// periods are refused after their end, as before.
func TestProcedure_AdministrativePenaltyLawArt67_NoPendingPeriodWhenTheCalendarCoversThem(t *testing.T) {
	w := newProcWalk(t)
	w.toNoticeServed()
	w.step(ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "从轻处罚"}, "2026-03-19", ProcDecided)
	w.step(ProcedureStep{Action: ActServeDecision, Method: "mail", Receipt: "EMS 1"}, "2026-03-20", ProcDecisionServed)
	if w.p.PeriodsPending != "" || w.p.ServeByPending != "" || w.p.Window.EndPending != "" {
		t.Errorf("pending dates with a covering calendar: %q %q %q", w.p.PeriodsPending, w.p.ServeByPending, w.p.Window.EndPending)
	}
}

// A review applied for long after the plain last day is out of time for
// certain, pending or not: a last day moves off rest days by days, never by
// a month (行政复议法 Art. 20).
func TestProcedure_AdministrativeReviewLawArt20_AReviewMonthsLateIsRefusedThoughThePeriodIsPending(t *testing.T) {
	cal := DefaultCalendar()
	w := newProcWalk(t)
	w.toNoticeServed()
	w.step(ProcedureStep{Action: ActDecide, CaseFile: []byte(procDecisionFile), Text: "从轻处罚"}, "2026-03-19", ProcDecided)
	if err := applyOn(w.p, cal, ProcedureStep{Action: ActServeDecision, Method: "mail", Receipt: "EMS 1"}, "2026-12-05", time.Date(2026, 12, 6, 4, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	may := time.Date(2027, 5, 10, 4, 0, 0, 0, time.UTC) // plain last day 3 Feb 2027
	wantCode(t, applyOn(w.p, cal, ProcedureStep{Action: ActChallenge, Kind: "review", Body: "西安市人民政府"}, "2027-05-10", may), "review_out_of_time")
}
