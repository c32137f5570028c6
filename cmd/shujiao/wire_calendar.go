package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// Working-day deadlines (government data answers, penalty procedure
// windows, correction orders) are counted on the calendar in force, which
// holds one year at a time as the State Council publishes it (usually in
// November for the next year). A deadline that reaches a year it lacks is
// never guessed: government data applications, objections, correction
// orders and penalty procedure periods wait with it pending (the steps
// that need such a date are refused, 409 calendar_year_not_covered) — so
// from some weeks before the end of its
// last year, deadlines go unknown until an operator adds the next year
// (PUT /v1/calendar/years/{year}). serve says so in its log beforehand: at
// start and once a day while fewer than calendarWarnDays days remain.
const (
	calendarWarnDays  = 60
	calendarWarnEvery = 24 * time.Hour
)

// calendarWarning returns the warning due at now for a calendar covering
// years, and false when none is (the last year ends more than
// calendarWarnDays days after now).
func calendarWarning(years []int, now time.Time) (string, bool) {
	now = now.In(market.ChinaTime)
	if len(years) == 0 {
		return "the working-day calendar holds no year: every working-day deadline is refused until an operator adds one (PUT /v1/calendar/years/{year})", true
	}
	last := years[len(years)-1]
	end := time.Date(last+1, 1, 1, 0, 0, 0, 0, market.ChinaTime)
	left := end.Sub(now)
	if left > calendarWarnDays*24*time.Hour {
		return "", false
	}
	if left <= 0 {
		return fmt.Sprintf("the working-day calendar ends with %d: every working-day deadline after it is unknown (pending, or refused with 409 calendar_year_not_covered) until an operator adds %d's State Council holiday arrangement (PUT /v1/calendar/years/%d)", last, now.Year(), now.Year()), true
	}
	return fmt.Sprintf("the working-day calendar ends with %d, in %d days: deadlines that reach into %d are unknown until an operator adds its State Council holiday arrangement (PUT /v1/calendar/years/%d) — government data applications, objections, correction orders and penalty procedure periods wait with their deadline pending (decisions after a pending window, late payments and hearing days there are refused with 409 calendar_year_not_covered)",
		last, int(left.Hours()/24)+1, last+1, last+1), true
}

// watchCalendar logs calendarWarning at start and every calendarWarnEvery
// until ctx ends.
func watchCalendar(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) {
	for {
		cal, err := postgres.LoadCalendar(ctx, pool)
		if err == nil {
			if msg, ok := calendarWarning(cal.Years(), time.Now()); ok {
				log.Warn("calendar: " + msg)
			}
		} else if ctx.Err() == nil {
			log.Error("calendar: load the working-day calendar", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(calendarWarnEvery):
		}
	}
}
