package market

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// cnWorkdays is the official holiday arrangement (国务院办公厅关于部分节假日
// 安排的通知) of the years Shujiao ships with.
//
//go:embed calendar/cn-workdays.json
var cnWorkdays []byte

// CodeCalendarYearNotCovered is the Code of the error a Calendar returns for
// a date in a year it has no arrangement for.
const CodeCalendarYearNotCovered = "calendar_year_not_covered"

// Calendar is mainland China's working-day calendar: a working day is a
// Monday to Friday that is not a public holiday, or a make-up workday (调休
// 上班, a Saturday or Sunday worked in exchange for holiday days). It knows
// only the years it was given and returns an error for any other year,
// never a guess. A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	years map[int]calendarYear
}

type calendarYear struct {
	source   string
	holidays map[string]string // "2026-10-01" → "国庆节"
	workdays map[string]bool   // make-up workdays
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := ParseCalendar(cnWorkdays)
	if err != nil {
		panic(fmt.Sprintf("embedded calendar/cn-workdays.json: %v", err))
	}
	return c
})

// DefaultCalendar returns the calendar embedded in Shujiao (the State
// Council arrangements of 2025 and 2026). Add years with ParseCalendar and
// Merge.
func DefaultCalendar() *Calendar { return defaultCalendar() }

// Years returns the years the calendar covers, in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Covers reports whether the calendar has the arrangement of year.
func (c *Calendar) Covers(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Source returns the notice a year's arrangement comes from, and false if
// the calendar does not cover year.
func (c *Calendar) Source(year int) (string, bool) {
	y, ok := c.years[year]
	return y.source, ok
}

// Merge returns a new calendar holding the years of c and of o; where both
// cover a year, o's arrangement replaces c's (an operator's correction).
// Neither c nor o is changed.
func (c *Calendar) Merge(o *Calendar) *Calendar {
	m := &Calendar{years: make(map[int]calendarYear, len(c.years)+len(o.years))}
	for y, a := range c.years {
		m.years[y] = a
	}
	for y, a := range o.years {
		m.years[y] = a
	}
	return m
}

// IsWorkday reports whether the date of t, in t's location, is a working
// day. It returns an ErrConflict *Error with Code CodeCalendarYearNotCovered
// when the calendar does not cover t's year.
func (c *Calendar) IsWorkday(t time.Time) (bool, error) {
	y, err := c.year(t)
	if err != nil {
		return false, err
	}
	key := t.Format(time.DateOnly)
	if y.workdays[key] {
		return true, nil
	}
	if _, holiday := y.holidays[key]; holiday {
		return false, nil
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday, nil
}

// Holiday returns the name of the public holiday on t's date ("国庆节"), or
// "" when t is not a holiday. It returns the IsWorkday error for a year the
// calendar does not cover.
func (c *Calendar) Holiday(t time.Time) (string, error) {
	y, err := c.year(t)
	if err != nil {
		return "", err
	}
	return y.holidays[t.Format(time.DateOnly)], nil
}

// AddWorkdays returns the date n working days after from: the day of from
// is not counted (期间开始之日不计算在内), the nth working day after it is
// the result, at from's clock time and location. Pass a time in
// Asia/Shanghai for deadlines served in China. n = 0 returns from.
//
// It returns an ErrInvalid *Error for n < 0, and an ErrConflict *Error
// with Code CodeCalendarYearNotCovered when the count reaches a year the
// calendar does not cover.
func (c *Calendar) AddWorkdays(from time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, Invalid("workdays", "negative_workdays", "workdays: %d is negative; want 0 or more working days", n)
	}
	d := from
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		ok, err := c.IsWorkday(d)
		if err != nil {
			return time.Time{}, fmt.Errorf("add working days to %s: %w", from.Format(time.DateOnly), err)
		}
		if ok {
			n--
		}
	}
	return d, nil
}

// FirstGap returns the first day (China time) of the first year, from
// t's on, that c does not cover: a working-day date c cannot count from t
// lies on that day or later, so any day before it is certainly earlier.
func (c *Calendar) FirstGap(t time.Time) time.Time {
	y := t.In(ChinaTime).Year()
	for c.Covers(y) {
		y++
	}
	return time.Date(y, time.January, 1, 0, 0, 0, 0, ChinaTime)
}

// YearNotCovered returns the message of err when it is a Calendar's error
// for a year it does not cover (CodeCalendarYearNotCovered): the date it
// was counting is pending, not wrong.
func YearNotCovered(err error) (string, bool) {
	var me *Error
	if errors.As(err, &me) && me.Code == CodeCalendarYearNotCovered {
		return me.Message, true
	}
	return "", false
}

func (c *Calendar) year(t time.Time) (calendarYear, error) {
	y, ok := c.years[t.Year()]
	if !ok {
		return calendarYear{}, &Error{Kind: ErrConflict, Code: CodeCalendarYearNotCovered,
			Message: fmt.Sprintf("the working-day calendar does not cover %d (it covers %s); add that year's State Council holiday arrangement", t.Year(), yearList(c.Years()))}
	}
	return y, nil
}

func yearList(ys []int) string {
	if len(ys) == 0 {
		return "no year"
	}
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = fmt.Sprint(y)
	}
	return strings.Join(s, ", ")
}
