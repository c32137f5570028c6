package govdata

import (
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// cst returns a China-time instant.
func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, market.ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

// TestClocks_DueDates: each jurisdiction's clock, counted from its start
// with the start day not counted, over weekends, public holidays and
// make-up working days of the State Council's 2026 arrangement.
func TestClocks_DueDates(t *testing.T) {
	cal := market.DefaultCalendar()
	cases := []struct {
		name  string
		j     Jurisdiction
		k     Kind
		start string
		want  string
	}{
		{"Tianjin Art. 17: accepted on a Tuesday, due Thursday", JurisdictionTianjin, KindSharing, "2026-03-03 10:00", "2026-03-05"},
		{"Tianjin Art. 17: accepted on a Friday, the weekend does not count", JurisdictionTianjin, KindSharing, "2026-03-06 16:00", "2026-03-10"},
		{"Tianjin Art. 17: accepted the day before National Day, the holiday week does not count", JurisdictionTianjin, KindSharing, "2026-09-30 09:00", "2026-10-09"},
		{"Tianjin Art. 23: accepted Friday 9 Oct, make-up Saturday 10 Oct is the first working day", JurisdictionTianjin, KindOpening, "2026-10-09 11:00", "2026-10-12"},
		{"Tianjin Art. 23: accepted on make-up Sunday 20 Sep, which itself is not counted", JurisdictionTianjin, KindOpening, "2026-09-20 09:00", "2026-09-22"},
		{"Municipal Art. 20: received the day before National Day, five working days including make-up Saturday", JurisdictionMunicipal, KindSharing, "2026-09-30 09:00", "2026-10-13"},
		{"Municipal Art. 20: received on a Monday, due Monday next", JurisdictionMunicipal, KindSharing, "2026-03-02 09:00", "2026-03-09"},
		{"Municipal Art. 26: received before Spring Festival, the nine-day holiday and make-up days counted right", JurisdictionMunicipal, KindOpening, "2026-02-09 09:00", "2026-03-06"},
		{"Municipal Art. 26: fifteen working days over Labour Day and make-up Saturday 9 May", JurisdictionMunicipal, KindOpening, "2026-04-28 09:00", "2026-05-21"},
		{"Tianjin Art. 17: accepted late on New Year's Eve, the holiday skipped and make-up Sunday 4 Jan counted", JurisdictionTianjin, KindSharing, "2025-12-31 23:30", "2026-01-05"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			clock := c.j.Clock(c.k)
			due, err := DueBy(cal, cst(c.start).UTC(), clock.Workdays)
			if err != nil {
				t.Fatal(err)
			}
			if got := DueDate(due); got != c.want {
				t.Errorf("due %s, want %s (%s, %d working days from %s)", got, c.want, clock.Article, clock.Workdays, clock.Start)
			}
		})
	}
}

// TestClocks_Boundary: an answer at 23:59 China time on the last day is
// on time; at midnight it is late.
func TestClocks_Boundary(t *testing.T) {
	cal := market.DefaultCalendar()
	due, err := DueBy(cal, cst("2026-09-30 09:00"), JurisdictionTianjin.Clock(KindSharing).Workdays)
	if err != nil {
		t.Fatal(err)
	}
	a := &Application{State: StateAccepted, DueBy: &due}
	if a.IsOverdue(cst("2026-10-09 23:59")) {
		t.Error("Tianjin Art. 17: overdue at 23:59 on the last working day")
	}
	if !a.IsOverdue(cst("2026-10-10 00:00")) {
		t.Error("Tianjin Art. 17: not overdue at midnight after the last working day")
	}
	on := cst("2026-10-09 23:59").UTC()
	a.State, a.AnsweredAt = StateProvided, &on
	if !a.AnsweredOnTime() || a.IsOverdue(cst("2026-12-01 00:00")) {
		t.Error("an answer at 23:59 on the last day is on time and never overdue")
	}
	late := cst("2026-10-10 00:00").UTC()
	a.AnsweredAt = &late
	if a.AnsweredOnTime() {
		t.Error("an answer at midnight after the last day is on time")
	}
}

// TestClocks_Jurisdictions: which event each clock runs from.
func TestClocks_Jurisdictions(t *testing.T) {
	for _, c := range []struct {
		j     Jurisdiction
		k     Kind
		start ClockStart
		n     int
		art   string
	}{
		{JurisdictionTianjin, KindSharing, FromAcceptance, 2, "Tianjin Art. 17"},
		{JurisdictionTianjin, KindOpening, FromAcceptance, 2, "Tianjin Art. 23"},
		{JurisdictionMunicipal, KindSharing, FromReceipt, 5, "Municipal Art. 20"},
		{JurisdictionMunicipal, KindOpening, FromReceipt, 15, "Municipal Art. 26"},
	} {
		got := c.j.Clock(c.k)
		if got.Start != c.start || got.Workdays != c.n || got.Article != c.art {
			t.Errorf("%s %s: clock %+v, want %s %d %s", c.j, c.k, got, c.start, c.n, c.art)
		}
	}
}

// TestClocks_YearNotCovered: a deadline in a year the calendar lacks is an
// error, never a guess.
func TestClocks_YearNotCovered(t *testing.T) {
	_, err := DueBy(market.DefaultCalendar(), cst("2026-12-24 09:00"), 15)
	if err == nil {
		t.Fatal("a deadline reaching 2027 without its arrangement was computed")
	}
}
