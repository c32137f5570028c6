package market

import (
	"strings"
	"testing"
	"time"
)

// A correction order whose working days run into a year the calendar does
// not cover (the State Council publishes each arrangement late in the year
// before) is issued with its deadline pending, never guessed: answers
// before that year are in time for certain, later ones wait for the year,
// and the order cannot be found refused (Shaanxi Art. 75) meanwhile. Once
// the year is added the deadline and every answer's timeliness are set.
func TestCorrectionOrder_ShaanxiArt74_75_ADeadlineInAnUncoveredYearIsPendingNeverGuessed(t *testing.T) {
	issued := time.Date(2026, 12, 5, 10, 0, 0, 0, ChinaTime) // a Saturday
	o, err := NewCorrectionOrder(DefaultCalendar(), issued, 30, "下架涉案数据产品", []PenaltyArticle{BreachArt36})
	if err != nil {
		t.Fatalf("a correction order running into 2027 was refused: %v", err)
	}
	if o.Deadline != "" || !strings.Contains(o.DeadlinePending, "2027") {
		t.Fatalf("deadline %q, pending %q; want no deadline and a pending reason naming 2027", o.Deadline, o.DeadlinePending)
	}
	if !o.DeadlineTime().IsZero() {
		t.Errorf("DeadlineTime %v while pending, want zero", o.DeadlineTime())
	}
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 15, 0, 0, 0, ChinaTime) }
	if in := o.OnTimeAt(day(2026, 12, 31)); in == nil || !*in {
		t.Errorf("an answer on 31 Dec 2026: on time %v, want true (the deadline lies in 2027 or later)", in)
	}
	if in := o.OnTimeAt(day(2027, 2, 20)); in != nil {
		t.Errorf("an answer on 20 Feb 2027 with 2027 not covered: on time %v, want unknown (nil)", *in)
	}
	// No answer, long after the uncovered year began: still pending, not refused.
	o.Evaluate(day(2027, 6, 1))
	if o.Status != CorrectionPending || o.Corrected != nil || !strings.Contains(o.Basis, "known once") {
		t.Errorf("pending deadline, no answer, June 2027: %s %v %q; want pending, corrected null", o.Status, o.Corrected, o.Basis)
	}
	// A delisting in February 2027, timeliness unknown: pending, not corrected late.
	o.Responses = []CorrectionResponse{{Action: ResponseDelist, RespondedAt: day(2027, 2, 20).UTC(), OnTime: o.OnTimeAt(day(2027, 2, 20))}}
	o.Evaluate(day(2027, 6, 1))
	if o.Status != CorrectionPending || o.Corrected != nil {
		t.Errorf("an answer of unknown timeliness: %s %v; want pending, corrected null", o.Status, o.Corrected)
	}

	// The operator adds 2027 (the test arrangement: 1 Jan off, Sunday 10
	// Jan worked): 19 working days in December, then 4–8 Jan, 10 Jan and
	// 11–15 Jan → 15 January 2027.
	extra, err := ParseCalendar([]byte(testYear2027))
	if err != nil {
		t.Fatal(err)
	}
	if !o.NeedsCalendar() {
		t.Fatal("a pending order does not ask for the calendar")
	}
	if err := o.Settle(DefaultCalendar().Merge(extra)); err != nil {
		t.Fatal(err)
	}
	if o.Deadline != "2027-01-15" || o.DeadlinePending != "" || o.NeedsCalendar() {
		t.Fatalf("settled: deadline %q pending %q; want 2027-01-15 and nothing pending", o.Deadline, o.DeadlinePending)
	}
	if r := o.Responses[0]; r.OnTime == nil || *r.OnTime || !r.Late() {
		t.Errorf("the February answer after settling: on time %v, want false (after 15 Jan)", r.OnTime)
	}
	o.Evaluate(day(2027, 6, 1))
	if o.Status != CorrectionCorrectedLate || o.Corrected == nil || *o.Corrected {
		t.Errorf("settled: %s %v; want corrected_late, corrected false", o.Status, o.Corrected)
	}
}

// Issued where the calendar covers the whole count, the deadline is set at
// once, as it always was.
func TestCorrectionOrder_ShaanxiArt75_ACoveredDeadlineIsSetAtOnce(t *testing.T) {
	o, err := NewCorrectionOrder(DefaultCalendar(), time.Date(2026, 12, 4, 10, 0, 0, 0, ChinaTime), 10, "统一定价", []PenaltyArticle{BreachArt37})
	if err != nil {
		t.Fatal(err)
	}
	if o.Deadline != "2026-12-18" || o.DeadlinePending != "" || o.NeedsCalendar() {
		t.Errorf("deadline %q pending %q, want 2026-12-18", o.Deadline, o.DeadlinePending)
	}
}
