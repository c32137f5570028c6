package market

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// calendarFile is the JSON of a working-day calendar, the format of
// calendar/cn-workdays.json.
type calendarFile struct {
	Description string                     `json:"description"`
	Years       map[string]json.RawMessage `json:"years"`
}

// calendarFileYear is one year of a calendarFile.
type calendarFileYear struct {
	Source   string              `json:"source"`
	Holidays map[string][]string `json:"holidays"`
	Workdays []string            `json:"workdays"`
}

// ParseCalendar reads a working-day calendar in the format of the embedded
// calendar/cn-workdays.json: {"years": {"2027": {"source": "…", "holidays":
// {"春节": ["2027-02-06", …]}, "workdays": ["2027-02-14", …]}}}. Operators
// add years by parsing their file and merging it onto DefaultCalendar.
//
// It checks that every year has a source and at least one holiday, every
// date is a YYYY-MM-DD of its year, no date is listed twice, and every
// make-up workday falls on a Saturday or Sunday. It returns an ErrInvalid
// *Error naming the field at fault ("years.2027.workdays[1]").
func ParseCalendar(data []byte) (*Calendar, error) {
	var f calendarFile
	if err := strictDecodeAt(data, &f, ""); err != nil {
		return nil, err
	}
	if len(f.Years) == 0 {
		return nil, invalidField("years", "missing", "no year; want at least one year's arrangement")
	}
	c := &Calendar{years: make(map[int]calendarYear, len(f.Years))}
	for _, ys := range slices.Sorted(maps.Keys(f.Years)) {
		path := "years." + ys
		var fy calendarFileYear
		if err := strictDecodeAt(f.Years[ys], &fy, path); err != nil {
			return nil, err
		}
		year, err := strconv.Atoi(ys)
		if err != nil || len(ys) != 4 {
			return nil, invalidField(path, "invalid_year", "%q is not a four-digit year", ys)
		}
		if fy.Source == "" {
			return nil, invalidField(path+".source", "missing", "missing; name the holiday-arrangement notice the year comes from")
		}
		if len(fy.Holidays) == 0 {
			return nil, invalidField(path+".holidays", "missing", "no holiday; a year without its arrangement would be a guess")
		}
		y := calendarYear{source: fy.Source, holidays: map[string]string{}, workdays: map[string]bool{}}
		for _, name := range slices.Sorted(maps.Keys(fy.Holidays)) {
			for i, ds := range fy.Holidays[name] {
				field := fmt.Sprintf("%s.holidays.%s[%d]", path, name, i)
				d, err := calendarDate(ds, year, field)
				if err != nil {
					return nil, err
				}
				if prev, dup := y.holidays[d]; dup {
					return nil, invalidField(field, "duplicate_date", "%s is already a holiday (%s)", d, prev)
				}
				y.holidays[d] = name
			}
		}
		for i, ds := range fy.Workdays {
			field := fmt.Sprintf("%s.workdays[%d]", path, i)
			d, err := calendarDate(ds, year, field)
			if err != nil {
				return nil, err
			}
			t, _ := time.Parse(time.DateOnly, d)
			switch {
			case y.workdays[d]:
				return nil, invalidField(field, "duplicate_date", "%s is listed twice", d)
			case y.holidays[d] != "":
				return nil, invalidField(field, "duplicate_date", "%s is also a holiday (%s)", d, y.holidays[d])
			case t.Weekday() != time.Saturday && t.Weekday() != time.Sunday:
				return nil, invalidField(field, "not_weekend", "%s is a %s; a make-up workday (调休上班) is a Saturday or Sunday", d, t.Weekday())
			}
			y.workdays[d] = true
		}
		c.years[year] = y
	}
	return c, nil
}

// calendarDate checks that s is a YYYY-MM-DD date in year.
func calendarDate(s string, year int, field string) (string, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", invalidField(field, "invalid_date", "%q is not a date YYYY-MM-DD", s)
	}
	if t.Year() != year {
		return "", invalidField(field, "wrong_year", "%s is not in %d", s, year)
	}
	return t.Format(time.DateOnly), nil
}
