package httpapi

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// TestCalendar_YearsAreDataOperatorsKeep: the embedded 2026 arrangement is
// served as data (National Day and its make-up workdays); only operators
// add or replace a year, checked like the embedded file.
func TestCalendar_YearsAreDataOperatorsKeep(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	var y market.CalendarYear
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/calendar/years/2026", token: cw.tokSellerA}), 200, &y)
	if y.Origin != "embedded" || len(y.Holidays["国庆节"]) != 7 || !slices.Contains(y.Workdays, "2026-10-10") || !slices.Contains(y.Workdays, "2026-09-20") {
		t.Errorf("2026 = %+v, want the embedded arrangement with National Day 1–7 Oct and make-up workdays 20 Sep, 10 Oct", y)
	}
	mustProblem(t, cw.do(t, req{method: "GET", path: "/v1/calendar/years/2031", token: cw.tokSellerA}), http.StatusNotFound, "calendar_year_not_covered")
	for _, tc := range []struct {
		name, token, body string
		status            int
		code              string
	}{
		{"a regulator may not set a year", cw.tokRegulator, caseYear2027, http.StatusForbidden, "forbidden_role"},
		{"a seller may not set a year", cw.tokSellerA, caseYear2027, http.StatusForbidden, "forbidden_role"},
		{"a make-up workday on a weekday is refused", cw.tokOp, `{"source": "x", "holidays": {"元旦": ["2027-01-01"]}, "workdays": ["2027-01-04"]}`, http.StatusBadRequest, "not_weekend"},
		{"a date of another year is refused", cw.tokOp, `{"source": "x", "holidays": {"元旦": ["2028-01-01"]}}`, http.StatusBadRequest, "wrong_year"},
		{"an unknown key is refused", cw.tokOp, `{"source": "x", "holidays": {"元旦": ["2027-01-01"]}, "extra": 1}`, http.StatusBadRequest, "unknown_field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustProblem(t, cw.do(t, req{method: "PUT", path: "/v1/calendar/years/2027", token: tc.token, body: tc.body}), tc.status, tc.code)
		})
	}
	mustJSON(t, cw.do(t, req{method: "PUT", path: "/v1/calendar/years/2027", token: cw.tokOp, body: caseYear2027}), 200, &y)
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/calendar/years/2027", token: cw.tokBuyer}), 200, &y)
	if y.Origin != "operator" || y.Source != "测试用2027年安排" || y.UpdatedAt == nil {
		t.Errorf("2027 after PUT = %+v", y)
	}
}
