package govdata

import (
	"fmt"
	"time"

	"github.com/shujiao/shujiao/market"
)

// Jurisdiction names the regulation whose clocks the platform runs on; a
// platform is configured for one.
type Jurisdiction string

// Jurisdictions with implemented clocks.
const (
	// JurisdictionTianjin: Tianjin Big Data Regulation 2018 — answers due
	// two working days after acceptance (Art. 17 sharing, Art. 23 opening).
	JurisdictionTianjin Jurisdiction = "tianjin"
	// JurisdictionMunicipal: the municipal government data sharing
	// regulation 2020 — five working days after receipt for sharing
	// (Art. 20), fifteen for opening (Art. 26).
	JurisdictionMunicipal Jurisdiction = "municipal"
)

// ParseJurisdiction returns the jurisdiction named s, or an ErrInvalid
// *market.Error.
func ParseJurisdiction(s string) (Jurisdiction, error) {
	switch j := Jurisdiction(s); j {
	case JurisdictionTianjin, JurisdictionMunicipal:
		return j, nil
	}
	return "", market.Invalid("jurisdiction", "invalid_jurisdiction", "govdata jurisdiction %q: want tianjin or municipal", s)
}

// ClockStart is the event a statutory clock runs from.
type ClockStart string

// Clock starts.
const (
	FromReceipt    ClockStart = "received"
	FromAcceptance ClockStart = "accepted"
)

// Clock is the answer deadline of one kind of application under one
// regulation: Workdays working days from Start, the start day not
// counted, ending with the last of them (China time).
type Clock struct {
	Start    ClockStart `json:"start"`
	Workdays int        `json:"workdays"`
	Article  string     `json:"article"`
}

// Settings are the platform's own time limits where the regulations say
// only "及时" (promptly): acceptance under Tianjin (Art. 23) and the
// verification and correction of objections (Shaanxi Art. 27).
type Settings struct {
	// AcceptWorkdays: a Tianjin application is accepted (or answered)
	// within this many working days of receipt (default 1).
	AcceptWorkdays int `json:"accept_workdays"`
	// VerifyWorkdays: an objection is verified within this many working
	// days of receipt (default 5).
	VerifyWorkdays int `json:"verify_workdays"`
	// CorrectWorkdays: an upheld objection is corrected within this many
	// working days of being upheld (default 10).
	CorrectWorkdays int `json:"correct_workdays"`
}

func (s *Settings) setDefaults() {
	if s.AcceptWorkdays <= 0 {
		s.AcceptWorkdays = 1
	}
	if s.VerifyWorkdays <= 0 {
		s.VerifyWorkdays = 5
	}
	if s.CorrectWorkdays <= 0 {
		s.CorrectWorkdays = 10
	}
}

// Clock returns the answer clock of an application of kind k under j.
func (j Jurisdiction) Clock(k Kind) Clock {
	switch {
	case j == JurisdictionMunicipal && k == KindSharing:
		return Clock{Start: FromReceipt, Workdays: 5, Article: ArticleMunicipal20}
	case j == JurisdictionMunicipal:
		return Clock{Start: FromReceipt, Workdays: 15, Article: ArticleMunicipal26}
	case k == KindSharing:
		return Clock{Start: FromAcceptance, Workdays: 2, Article: ArticleTianjin17}
	default:
		return Clock{Start: FromAcceptance, Workdays: 2, Article: ArticleTianjin23}
	}
}

// EscalationArticle is the article that sends sharing disputes to the
// coordinating authority under j.
func (j Jurisdiction) EscalationArticle() string {
	if j == JurisdictionMunicipal {
		return ArticleMunicipal21
	}
	return ArticleTianjin17
}

// DueBy returns the instant by which an answer due n working days after
// start must come: the first instant after the nth working day following
// start's date in China time (期间开始之日不计算在内). An answer at any
// time before it is on time. It returns the calendar's error when the
// count reaches a year the calendar does not cover.
func DueBy(cal *market.Calendar, start time.Time, n int) (time.Time, error) {
	d, err := cal.AddWorkdays(start.In(market.ChinaTime), n)
	if err != nil {
		return time.Time{}, fmt.Errorf("deadline %d working days after %s: %w", n, start.In(market.ChinaTime).Format(time.DateOnly), err)
	}
	y, m, day := d.Date()
	return time.Date(y, m, day+1, 0, 0, 0, 0, market.ChinaTime).UTC(), nil
}

// DueDate returns the last day of a deadline given as DueBy returns it,
// "YYYY-MM-DD" in China time.
func DueDate(dueBy time.Time) string {
	return dueBy.In(market.ChinaTime).Add(-time.Nanosecond).Format(time.DateOnly)
}
