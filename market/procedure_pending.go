package market

import (
	"fmt"
	"time"
)

// Procedure dates that reach a year the working-day calendar does not
// cover. The State Council publishes each year's holiday arrangement late
// in the year before, so from some weeks before the calendar's last year
// ends — and for the six months to sue, from July — a period of the
// penalty procedure can end in a year nobody can count yet. Such a date is
// never guessed: it is left pending, saying why, and set by the first step
// or read after an operator adds the year (settle). Meanwhile the
// procedure goes on, and every doubt favours the party: a right whose
// period may not have ended is still granted (a statement, a hearing
// request, an application for review, a lawsuit), while a step that needs
// the period to be over (a decision after the statement window, a
// surcharge for late payment) waits for the year (409
// calendar_year_not_covered).

// workdaysAfter is the nth working day after from, or pending (the
// calendar's message) when the count reaches a year cal does not cover.
func workdaysAfter(cal *Calendar, from Date, n int) (Date, string, error) {
	d, err := cal.AddWorkdays(from.Start(), n)
	if err == nil {
		return chinaDay(d), "", nil
	}
	if msg, ok := YearNotCovered(err); ok {
		return Date{}, msg, nil
	}
	return Date{}, "", err
}

// settle sets the dates left pending on a year the calendar did not cover
// when cal covers it now; it leaves them pending otherwise.
func (p *Procedure) settle(cal *Calendar) error {
	if w := p.Window; w != nil && w.End.IsZero() && p.NoticeService != nil {
		end, pending, err := workdaysAfter(cal, p.NoticeService.ServedOn, w.Workdays)
		if err != nil {
			return err
		}
		w.End, w.EndPending = end, pending
	}
	if p.Decision != nil && p.ServeBy.IsZero() {
		by, pending, err := workdaysAfter(cal, p.Decision.DecidedOn, 7)
		if err != nil {
			return err
		}
		p.ServeBy, p.ServeByPending = by, pending
	}
	if p.DecisionService != nil && p.PeriodsPending != "" {
		return p.setPeriods(cal, p.DecisionService.ServedOn)
	}
	return nil
}

// pending reports whether a date of p waits for a year of the calendar.
func (p *Procedure) pending() bool {
	return p.Window != nil && p.Window.End.IsZero() || p.Decision != nil && p.ServeBy.IsZero() || p.PeriodsPending != ""
}

// windowClosed reports whether the statement window is over on day, and
// whether that is known: a pending end lies in the year the calendar does
// not cover or later, so before that year begins the window is open.
func (p *Procedure) windowClosed(cal *Calendar, day Date) (closed, known bool) {
	w := p.Window
	if !w.End.IsZero() {
		return day.Start().After(w.End.Start()), true
	}
	if day.Start().Before(cal.FirstGap(w.Start.Start())) {
		return false, true
	}
	return false, false
}

// setPeriods sets the payment, review and lawsuit periods from the
// decision's service on day: calendar days, a last day on a rest day
// moved to the next working day (lastDayOfPeriod). Where that needs a
// year cal does not cover, the date is the period's plain last day — the
// earliest it can be — and PeriodsPending says it may still move.
func (p *Procedure) setPeriods(cal *Calendar, day Date) error {
	p.PeriodsPending = ""
	for _, d := range []struct {
		at  *Date
		end time.Time
	}{
		{&p.PaymentDue, day.Start().AddDate(0, 0, PaymentDays)},
		{&p.ReviewBy, day.Start().AddDate(0, 0, ReviewDays)},
		{&p.SueBy, day.Start().AddDate(0, SueMonths, 0)},
	} {
		last, err := lastDayOfPeriod(cal, d.end)
		if msg, ok := YearNotCovered(err); ok {
			*d.at = chinaDay(d.end)
			p.PeriodsPending = fmt.Sprintf("%s; a period ending on a rest day of that year runs to the next working day, so the dates there are the earliest they can be, set once the year is added", msg)
			continue
		}
		if err != nil {
			return err
		}
		*d.at = last
	}
	return nil
}

// uncertain reports whether the period whose plain last day is d may
// still move: PeriodsPending is set and moving d off a rest day needs a
// year cal does not cover.
func (p *Procedure) uncertain(cal *Calendar, d Date) bool {
	if p.PeriodsPending == "" {
		return false
	}
	_, err := lastDayOfPeriod(cal, d.Start())
	_, gap := YearNotCovered(err)
	return gap
}

// restRunBound bounds how far a period's last day can move off rest days:
// no State Council arrangement has a run of rest days near a month (the
// longest, Spring Festival with its weekends, is eight or nine days).
const restRunBound = 31 * 24 * time.Hour

// mayStillRun reports whether a period whose plain last day is d, pending
// on a year cal does not cover, may still run on day: d may move to the
// next working day, and no further than restRunBound.
func (p *Procedure) mayStillRun(cal *Calendar, d, day Date) bool {
	return p.uncertain(cal, d) && !day.Start().After(d.Start().Add(restRunBound))
}

// gapError is the 409 a step gets when it needs a pending date.
func gapError(what, pending string) error {
	return &Error{Kind: ErrConflict, Code: CodeCalendarYearNotCovered,
		Message: fmt.Sprintf("%s is not known yet: %s", what, pending)}
}
