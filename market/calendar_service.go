package market

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// CalendarYearWriter is the storage the Calendars service writes through
// (implemented by internal/postgres).
type CalendarYearWriter interface {
	// SetCalendarYear stores arrangement, the canonical JSON
	// {"source", "holidays", "workdays"} of year, as set by user of party
	// at now, replacing any stored arrangement of that year, and appends
	// "calendar.year_set" to the ledger in the same transaction.
	SetCalendarYear(ctx context.Context, year int, arrangement []byte, by UserID, party PartyID, now time.Time) error
}

// Calendars is the operators' use case of the working-day calendar: an
// operator sets the holiday arrangement of a year (the State Council's
// notice), which then counts the working days of every deadline. It is
// safe for concurrent use.
type Calendars struct {
	store CalendarYearWriter
}

// NewCalendars returns the calendar service over store.
func NewCalendars(store CalendarYearWriter) *Calendars { return &Calendars{store: store} }

// calendarArrangement is the JSON of one year's arrangement.
type calendarArrangement struct {
	Source   string              `json:"source"`
	Holidays map[string][]string `json:"holidays"`
	Workdays []string            `json:"workdays"`
}

// ParseCalendarYear validates data, the arrangement of year as the JSON
// {"source", "holidays", "workdays"}, and returns it as a calendar of that
// year alone. Errors: ErrInvalid (code invalid_json, or from
// ParseCalendar naming the field at fault).
func ParseCalendarYear(year int, data []byte) (*Calendar, error) {
	if !json.Valid(data) {
		return nil, Invalid("", "invalid_json", "the body must be a JSON object {\"source\", \"holidays\", \"workdays\"}")
	}
	return ParseCalendar([]byte(`{"years": {"` + strconv.Itoa(year) + `": ` + string(data) + `}}`))
}

// PutYear stores an operator's arrangement of year (the JSON {"source",
// "holidays", "workdays"}) at now, replacing any stored or embedded
// arrangement of that year, and returns it as stored.
//
// Errors: ErrForbidden (code forbidden_role) for a non-operator; ErrInvalid
// (invalid_year, invalid_json, or from ParseCalendar naming the field at
// fault); the storage's error otherwise.
func (s *Calendars) PutYear(ctx context.Context, actor Actor, year int, data []byte, now time.Time) (CalendarYear, error) {
	if err := actor.RequireRole(RoleOperator); err != nil {
		return CalendarYear{}, err
	}
	if year < 1949 || year > 2999 {
		return CalendarYear{}, Invalid("year", "invalid_year", "year: %d is not a calendar year this exchange can serve", year)
	}
	if _, err := ParseCalendarYear(year, data); err != nil {
		return CalendarYear{}, err
	}
	var a calendarArrangement
	if err := json.Unmarshal(data, &a); err != nil {
		return CalendarYear{}, Invalid("", "invalid_json", "%s", err.Error())
	}
	canon, err := json.Marshal(a)
	if err != nil {
		return CalendarYear{}, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	if err := s.store.SetCalendarYear(ctx, year, canon, actor.UserID, actor.PartyID, now); err != nil {
		return CalendarYear{}, err
	}
	return CalendarYear{Year: year, Origin: "operator", Source: a.Source, Holidays: a.Holidays, Workdays: a.Workdays, UpdatedAt: &now}, nil
}
