package market

import "time"

// CalendarYear is one year of the working-day calendar as served by GET
// /v1/calendar/years/{year}: the State Council arrangement in the format
// of market/calendar/cn-workdays.json, and where it comes from.
type CalendarYear struct {
	Year int `json:"year"`
	// Origin is "embedded" (shipped in the binary) or "operator" (added or
	// replaced by an operator; it takes precedence).
	Origin   string              `json:"origin"`
	Source   string              `json:"source"`
	Holidays map[string][]string `json:"holidays"`
	Workdays []string            `json:"workdays"`
	// UpdatedAt is when an operator stored the year; absent when embedded.
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}
