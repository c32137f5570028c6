package main

import (
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// serve warns before the working-day calendar runs out: a deadline in a
// year it lacks is refused, so an operator must add the next year's State
// Council arrangement in time. No warning more than calendarWarnDays days
// before the end of the last year; one naming the year to add from then;
// one naming the current year once it has begun uncovered.
func TestCalendarWarning_BeforeTheLastYearEnds(t *testing.T) {
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, market.ChinaTime)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	years := []int{2025, 2026}
	if msg, ok := calendarWarning(years, at("2026-11-01 00:00")); ok {
		t.Errorf("61 days before the end: warned %q", msg)
	}
	msg, ok := calendarWarning(years, at("2026-12-05 09:00"))
	if !ok || !strings.Contains(msg, "ends with 2026, in 27 days") || !strings.Contains(msg, "PUT /v1/calendar/years/2027") {
		t.Errorf("on 5 December: %v %q, want a warning to add 2027 in 27 days", ok, msg)
	}
	if msg, ok := calendarWarning(years, at("2027-01-02 08:00")); !ok || !strings.Contains(msg, "/v1/calendar/years/2027") || !strings.Contains(msg, "every working-day deadline after it is unknown") {
		t.Errorf("in 2027: %v %q", ok, msg)
	}
	// China time decides: 31 December 16:30 UTC is 1 January in Beijing.
	if msg, ok := calendarWarning(years, time.Date(2026, 12, 31, 16, 30, 0, 0, time.UTC)); !ok || !strings.Contains(msg, "every working-day deadline after it is unknown") {
		t.Errorf("at midnight in Beijing: %v %q", ok, msg)
	}
	if _, ok := calendarWarning(nil, at("2026-06-01 00:00")); !ok {
		t.Error("an empty calendar gave no warning")
	}
}
