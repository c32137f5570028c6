package market

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var cnZone = time.FixedZone("CST", 8*3600)

// day returns 09:30 China time on a YYYY-MM-DD date.
func cnDay(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.ParseInLocation(time.DateOnly, s, cnZone)
	if err != nil {
		tb.Fatal(err)
	}
	return d.Add(9*time.Hour + 30*time.Minute)
}

func TestDefaultCalendar_CoversTheShippedYears(t *testing.T) {
	if got, want := DefaultCalendar().Years(), []int{2025, 2026}; !slices.Equal(got, want) {
		t.Errorf("Years() = %v, want %v", got, want)
	}
	if src, _ := DefaultCalendar().Source(2026); !strings.Contains(src, "2026年部分节假日安排") {
		t.Errorf("Source(2026) = %q, want the State Council notice", src)
	}
}

func TestCalendar_IsWorkday(t *testing.T) {
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-10-01", false, "National Day (国庆节) is a holiday"},
		{"2026-10-07", false, "the last day of the National Day holiday"},
		{"2026-10-08", true, "a Thursday after the holiday"},
		{"2026-10-10", true, "Saturday 10 October 2026 is a make-up workday"},
		{"2026-10-11", false, "an ordinary Sunday"},
		{"2026-09-20", true, "Sunday 20 September 2026 is a make-up workday"},
		{"2026-02-14", true, "Saturday 14 February 2026 is the make-up workday before Spring Festival"},
		{"2026-02-23", false, "Monday 23 February 2026 is the last Spring Festival holiday"},
		{"2025-10-08", false, "2025's National Day and Mid-Autumn holiday runs to 8 October"},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			got, err := DefaultCalendar().IsWorkday(cnDay(t, tt.date))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
			}
		})
	}
}

func TestCalendar_AddWorkdays(t *testing.T) {
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"1 working day after Wed 30 Sep 2026 skips the National Day holiday to Thu 8 Oct", "2026-09-30", 1, "2026-10-08"},
		{"3 working days after 30 Sep 2026 end on the make-up Saturday 10 Oct", "2026-09-30", 3, "2026-10-10"},
		{"4 working days after 30 Sep 2026 skip Sunday 11 Oct to Mon 12 Oct", "2026-09-30", 4, "2026-10-12"},
		{"1 working day after Fri 18 Sep 2026 is the make-up Sunday 20 Sep", "2026-09-18", 1, "2026-09-20"},
		{"1 working day after Thu 24 Sep 2026 skips the Mid-Autumn holiday to Mon 28 Sep", "2026-09-24", 1, "2026-09-28"},
		{"1 working day after Fri 13 Feb 2026 is the make-up Saturday 14 Feb", "2026-02-13", 1, "2026-02-14"},
		{"2 working days after Fri 13 Feb 2026 skip Spring Festival to Tue 24 Feb", "2026-02-13", 2, "2026-02-24"},
		{"6 working days after Fri 13 Feb 2026 end on the make-up Saturday 28 Feb", "2026-02-13", 6, "2026-02-28"},
		{"7 working days after Fri 13 Feb 2026 end on Mon 2 Mar", "2026-02-13", 7, "2026-03-02"},
		{"a deadline across New Year 2026 ends on the make-up Sunday 4 Jan", "2025-12-31", 1, "2026-01-04"},
		{"15 working days after the 2026 National Day eve", "2026-09-30", 15, "2026-10-27"},
		{"0 working days is the day itself", "2026-10-03", 0, "2026-10-03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := cnDay(t, tt.from)
			got, err := DefaultCalendar().AddWorkdays(from, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got.Format(time.DateOnly) != tt.want {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(time.DateOnly), tt.want)
			}
			if got.Hour() != 9 || got.Minute() != 30 || got.Location() != cnZone {
				t.Errorf("AddWorkdays kept %s, want from's clock time 09:30 CST", got)
			}
		})
	}
}

func TestCalendar_RefusesYearsItDoesNotCover(t *testing.T) {
	cal := DefaultCalendar()
	for _, tt := range []struct {
		name string
		call func() error
	}{
		{"a deadline running into 2027 is an error, not a guess", func() error {
			_, err := cal.AddWorkdays(cnDay(t, "2026-12-31"), 1)
			return err
		}},
		{"a date in 2024 is an error", func() error {
			_, err := cal.IsWorkday(cnDay(t, "2024-05-01"))
			return err
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeCalendarYearNotCovered || !errors.Is(err, ErrConflict) {
				t.Fatalf("err = %v, want an ErrConflict with code %s", err, CodeCalendarYearNotCovered)
			}
		})
	}
	if _, err := cal.AddWorkdays(cnDay(t, "2026-01-05"), -1); !errors.Is(err, ErrInvalid) {
		t.Errorf("AddWorkdays(-1) err = %v, want ErrInvalid", err)
	}
}

// A made-up arrangement for tests only: New Year's Day 2027 off, and a
// make-up Sunday 10 January 2027.
const testYear2027 = `{"years": {"2027": {"source": "test arrangement",
  "holidays": {"元旦": ["2027-01-01"]}, "workdays": ["2027-01-10"]}}}`

func TestCalendar_MergeAddsAnOperatorsYear(t *testing.T) {
	extra, err := ParseCalendar([]byte(testYear2027))
	if err != nil {
		t.Fatal(err)
	}
	cal := DefaultCalendar().Merge(extra)
	if got, want := cal.Years(), []int{2025, 2026, 2027}; !slices.Equal(got, want) {
		t.Errorf("merged Years() = %v, want %v", got, want)
	}
	got, err := cal.AddWorkdays(cnDay(t, "2026-12-31"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got.Format(time.DateOnly) != "2027-01-04" {
		t.Errorf("1 working day after 31 Dec 2026 = %s, want Mon 4 Jan 2027 (1 Jan off, then a weekend)", got.Format(time.DateOnly))
	}
	if ok, _ := cal.IsWorkday(cnDay(t, "2027-01-10")); !ok {
		t.Errorf("the merged make-up Sunday 10 Jan 2027 is not a working day")
	}
	if DefaultCalendar().Covers(2027) {
		t.Errorf("Merge changed the default calendar")
	}
}

func TestParseCalendar_RejectsBadArrangements(t *testing.T) {
	tests := []struct{ name, input, field string }{
		{"a make-up workday on a weekday", `{"years":{"2027":{"source":"s","holidays":{"元旦":["2027-01-01"]},"workdays":["2027-01-05"]}}}`, "years.2027.workdays[0]"},
		{"a holiday dated in another year", `{"years":{"2027":{"source":"s","holidays":{"元旦":["2026-01-01"]}}}}`, "years.2027.holidays.元旦[0]"},
		{"a date that is not a date", `{"years":{"2027":{"source":"s","holidays":{"元旦":["2027-02-30"]}}}}`, "years.2027.holidays.元旦[0]"},
		{"a day both holiday and workday", `{"years":{"2027":{"source":"s","holidays":{"x":["2027-01-02"]},"workdays":["2027-01-02"]}}}`, "years.2027.workdays[0]"},
		{"a year without holidays", `{"years":{"2027":{"source":"s","holidays":{}}}}`, "years.2027.holidays"},
		{"a year without its source", `{"years":{"2027":{"holidays":{"元旦":["2027-01-01"]}}}}`, "years.2027.source"},
		{"a year key that is not a year", `{"years":{"27":{"source":"s","holidays":{"元旦":["2027-01-01"]}}}}`, "years.27"},
		{"an unknown key", `{"years":{"2027":{"source":"s","holiday":{}}}}`, "years.2027.holiday"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCalendar([]byte(tt.input))
			var e *Error
			if !errors.As(err, &e) || e.Field != tt.field {
				t.Errorf("err = %v (field %q), want field %q", err, calendarErrField(err), tt.field)
			}
		})
	}
}

func calendarErrField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// FuzzParseCalendar: no input panics; an accepted calendar answers
// IsWorkday for every year it claims to cover, and errors name a field.
func FuzzParseCalendar(f *testing.F) {
	f.Add(cnWorkdays)
	f.Add([]byte(testYear2027))
	f.Add([]byte(`{"years":{"2027":{"source":"s","holidays":{"x":["2027-01-02"]},"workdays":["2027-01-02"]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCalendar(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v is not an ErrInvalid *Error", err)
			}
			return
		}
		for _, y := range c.Years() {
			if _, err := c.IsWorkday(time.Date(y, 6, 1, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatalf("covered year %d: %v", y, err)
			}
		}
	})
}
