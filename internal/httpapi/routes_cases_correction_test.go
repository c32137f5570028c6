package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// TestCases_ShaanxiArt75_CorrectionFeedsTheFine: whether the party
// corrected by the deadline decides the Art. 75 fine — corrected: none;
// refused (no correction by the deadline, or only after it): fined;
// pending (the deadline not passed): none yet. The order is served Wed 30
// Sep 2026 with 3 working days: due Sat 10 Oct 2026 (make-up workday).
func TestCases_ShaanxiArt75_CorrectionFeedsTheFine(t *testing.T) {
	t.Parallel()
	served := time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST)
	for _, tc := range []struct {
		name string
		// respond is the seller's answer and when, nil for none
		respond     string
		respondAt   time.Time
		penaltyAt   time.Time
		wantStatus  string
		wantCorrect *bool
		wantFine    string
	}{
		// (confirmed with the refunds: TestCases_ShaanxiArt75_APriceCorrectionCountsOnceTheRegulatorConfirmsTheRefunds)
		{"ShaanxiArt75_CorrectedByTheDeadlineButNotConfirmedIsNotFinedYet", `{"action": "correct", "statement": "已按价格方案统一定价并退还多收价款"}`,
			time.Date(2026, 10, 10, 23, 0, 0, 0, chinaCST), time.Date(2026, 10, 13, 9, 0, 0, 0, chinaCST), "awaiting_confirmation", nil, "0.00"},
		{"ShaanxiArt75_RefusedCorrectionIsFined", "",
			time.Time{}, time.Date(2026, 10, 11, 0, 0, 0, 0, chinaCST), "refused", caseBoolPtr(false), "55000.00"},
		{"ShaanxiArt75_CorrectedAfterTheDeadlineIsFined", `{"action": "correct", "statement": "已整改"}`,
			time.Date(2026, 10, 12, 9, 0, 0, 0, chinaCST), time.Date(2026, 10, 12, 10, 0, 0, 0, chinaCST), "corrected_late", caseBoolPtr(false), "55000.00"},
		{"ShaanxiArt75_ContestedAndPendingIsNotFinedYet", `{"action": "contest", "statement": "差价系批量折扣，不属差别待遇"}`,
			time.Date(2026, 10, 9, 9, 0, 0, 0, chinaCST), time.Date(2026, 10, 9, 10, 0, 0, 0, chinaCST), "contested", nil, "0.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cw := mustCaseWorld(t, served)
			c := cw.openCase(t, cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence()))
			c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 3, "requirement": "统一定价"}`)
			if tc.respond != "" {
				cw.cases.now = tc.respondAt
				cw.call(t, "POST", "/v1/correction-orders/"+c.Correction.ID+"/response", cw.tokSellerA, tc.respond, http.StatusCreated)
			}
			cw.cases.now = tc.penaltyAt
			c = cw.decide(t, c.ID, `{"action": "proceed_to_penalty"}`)
			if c.Correction.Status != tc.wantStatus || !caseSameBool(c.Correction.Corrected, tc.wantCorrect) {
				t.Fatalf("correction order = %+v, want status %s corrected %v", c.Correction, tc.wantStatus, caseShowBool(tc.wantCorrect))
			}
			c = cw.call(t, "POST", "/v1/regulator/cases/"+c.ID+"/penalty", cw.tokRegulator, ``, http.StatusOK)
			v := c.Penalty.Result.Violations[0]
			if got := v.Fine.String(); got != tc.wantFine || !caseSameBool(v.Corrected, tc.wantCorrect) {
				t.Errorf("Art. 75 fine = %s with corrected %v, want %s with %v", got, caseShowBool(v.Corrected), tc.wantFine, caseShowBool(tc.wantCorrect))
			}
			if got := v.Confiscation.String(); got != "800.00" {
				t.Errorf("confiscation = %s, want the 800.00 overcharge whatever the correction", got)
			}
		})
	}
}

// TestCases_CorrectionDeadline_CountsChinaWorkingDays: deadlines skip the
// 2026 National Day holiday and count its make-up workdays; a count that
// runs into a year the calendar lacks is refused until an operator adds
// that year.
func TestCases_CorrectionDeadline_CountsChinaWorkingDays(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		served   time.Time
		workdays int
		want     string
	}{
		{"3 working days from Wed 30 Sep 2026 end on the make-up Saturday 10 Oct", time.Date(2026, 9, 30, 16, 0, 0, 0, chinaCST), 3, "2026-10-10"},
		{"5 working days from Fri 25 Sep 2026 skip National Day (1–7 Oct) and end Fri 9 Oct", time.Date(2026, 9, 25, 9, 0, 0, 0, chinaCST), 5, "2026-10-09"},
		{"6 working days from Fri 25 Sep 2026 end on the make-up Saturday 10 Oct", time.Date(2026, 9, 25, 9, 0, 0, 0, chinaCST), 6, "2026-10-10"},
		{"7 working days from Fri 25 Sep 2026 end Mon 12 Oct", time.Date(2026, 9, 25, 9, 0, 0, 0, chinaCST), 7, "2026-10-12"},
		{"1 working day from Fri 18 Sep 2026 is the make-up Sunday 20 Sep", time.Date(2026, 9, 18, 9, 0, 0, 0, chinaCST), 1, "2026-09-20"},
		{"the day of service is China's: 29 Sep 17:00 UTC is 30 Sep there, so 1 working day ends Thu 8 Oct", time.Date(2026, 9, 29, 17, 0, 0, 0, time.UTC), 1, "2026-10-08"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cw := mustCaseWorld(t, tc.served)
			c := cw.openCase(t, cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence()))
			c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": `+strconv.Itoa(tc.workdays)+`, "requirement": "统一定价"}`)
			if c.Correction.Deadline != tc.want {
				t.Errorf("deadline = %s, want %s", c.Correction.Deadline, tc.want)
			}
		})
	}
	t.Run("a deadline in a year the calendar does not cover is pending until an operator adds the year, never guessed", func(t *testing.T) {
		t.Parallel()
		cw := mustCaseWorld(t, time.Date(2026, 12, 28, 9, 0, 0, 0, chinaCST))
		c := cw.openCase(t, cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence()))
		c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 5, "requirement": "统一定价"}`)
		if c.Correction.Deadline != "" || !strings.Contains(c.Correction.DeadlinePending, "2027") || c.Correction.Status != "pending" {
			t.Fatalf("issued 28 Dec 2026 with 5 working days: deadline %q pending %q status %s; want a pending deadline naming 2027",
				c.Correction.Deadline, c.Correction.DeadlinePending, c.Correction.Status)
		}
		doc := cw.do(t, req{method: "GET", path: "/v1/regulator/cases/" + c.ID + "/documents/correction", token: cw.tokRegulator})
		if doc.Code != http.StatusOK || !strings.Contains(doc.Body.String(), "5个工作日内改正") {
			t.Errorf("the correction notice with its deadline pending: %d, want 200 stating the 5 working days", doc.Code)
		}
		// February 2027, no answer, the year still not added: not refused.
		cw.cases.now = time.Date(2027, 2, 1, 9, 0, 0, 0, chinaCST)
		got := cw.call(t, "GET", "/v1/regulator/cases/"+c.ID, cw.tokRegulator, ``, http.StatusOK)
		if got.Correction.Status != "pending" || got.Correction.Corrected != nil {
			t.Errorf("Feb 2027, deadline pending, no answer: status %s corrected %v; want pending, null", got.Correction.Status, caseShowBool(got.Correction.Corrected))
		}
		cw.call(t, "PUT", "/v1/calendar/years/2027", cw.tokOp, caseYear2027, http.StatusOK)
		got = cw.call(t, "GET", "/v1/regulator/cases/"+c.ID, cw.tokRegulator, ``, http.StatusOK)
		// 29, 30, 31 Dec; 1 Jan is New Year; 4, 5 Jan → Tue 5 Jan 2027
		if got.Correction.Deadline != "2027-01-05" || got.Correction.DeadlinePending != "" || got.Correction.Status != "refused" {
			t.Errorf("with the operator's 2027 arrangement: deadline %q pending %q status %s; want 2027-01-05 and refused (no answer by then)",
				got.Correction.Deadline, got.Correction.DeadlinePending, got.Correction.Status)
		}
	})
	t.Run("an answer before the uncovered year is in time for certain; one after it waits for the year", func(t *testing.T) {
		t.Parallel()
		cw := mustCaseWorld(t, time.Date(2026, 12, 28, 9, 0, 0, 0, chinaCST))
		c := cw.openCase(t, cw.raise(t, cw.sellerA, "shaanxi-36", "Shaanxi Art. 36", "repeated_submission", map[string]any{"submissions": 2}))
		c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 5, "requirement": "下架"}`)
		path := "/v1/correction-orders/" + c.Correction.ID + "/response"
		cw.cases.now = time.Date(2027, 1, 6, 9, 0, 0, 0, chinaCST)
		var o market.CorrectionOrder
		mustJSON(t, cw.do(t, req{method: "POST", path: path, token: cw.tokSellerA, body: `{"action": "contest", "statement": "已取得授权"}`}), http.StatusCreated, &o)
		if len(o.Responses) != 1 || o.Responses[0].OnTime != nil || o.Status != "contested" {
			t.Errorf("an answer on 6 Jan 2027 with 2027 not covered: %+v; want on_time null, contested", o)
		}
		cw.call(t, "PUT", "/v1/calendar/years/2027", cw.tokOp, caseYear2027, http.StatusOK)
		got := cw.call(t, "GET", "/v1/regulator/cases/"+c.ID, cw.tokRegulator, ``, http.StatusOK)
		if r := got.Correction.Responses; len(r) != 1 || r[0].OnTime == nil || *r[0].OnTime {
			t.Errorf("after 2027 is added the 6 Jan answer (deadline 5 Jan): %+v; want on_time false", r)
		}
	})
}

// caseYear2027 is a test arrangement for 2027 (New Year only).
const caseYear2027 = `{"source": "测试用2027年安排", "holidays": {"元旦": ["2027-01-01"]}, "workdays": []}`

func caseBoolPtr(b bool) *bool { return &b }

func caseSameBool(a, b *bool) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

func caseShowBool(b *bool) string {
	if b == nil {
		return "null"
	}
	if *b {
		return "true"
	}
	return "false"
}
