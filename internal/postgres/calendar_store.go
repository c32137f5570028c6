package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// yearArrangement is the stored JSON of a year.
type yearArrangement struct {
	Source   string              `json:"source"`
	Holidays map[string][]string `json:"holidays"`
	Workdays []string            `json:"workdays"`
}

// parseYear validates the stored arrangement of year with
// market.ParseCalendarYear.
func parseYear(year int, data []byte) (*market.Calendar, error) {
	return market.ParseCalendarYear(year, data)
}

// LoadCalendar returns the working-day calendar in force: the embedded
// default with every operator-stored year merged over it. db may be a pool
// or a transaction.
func LoadCalendar(ctx context.Context, db DB) (*market.Calendar, error) {
	rows, err := db.Query(ctx, `SELECT year, arrangement FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", translate(err))
	}
	type row struct {
		Year int
		Data []byte
	}
	years, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", translate(err))
	}
	cal := market.DefaultCalendar()
	for _, y := range years {
		c, err := parseYear(y.Year, y.Data)
		if err != nil {
			return nil, fmt.Errorf("load calendar year %d: %w", y.Year, err)
		}
		cal = cal.Merge(c)
	}
	return cal, nil
}

// GetCalendarYear returns year as the calendar in force has it. Errors:
// ErrNotFound (code calendar_year_not_covered) for a year neither stored
// nor embedded.
func GetCalendarYear(ctx context.Context, db DB, year int) (market.CalendarYear, error) {
	var data []byte
	var at time.Time
	err := db.QueryRow(ctx, `SELECT arrangement, updated_at FROM calendar_years WHERE year = $1`, year).Scan(&data, &at)
	if err == nil {
		var a yearArrangement
		if err := json.Unmarshal(data, &a); err != nil {
			return market.CalendarYear{}, fmt.Errorf("calendar year %d: %w", year, err)
		}
		at = at.UTC()
		return market.CalendarYear{Year: year, Origin: "operator", Source: a.Source, Holidays: a.Holidays, Workdays: a.Workdays, UpdatedAt: &at}, nil
	}
	if err = translate(err); !isNotFound(err) {
		return market.CalendarYear{}, fmt.Errorf("calendar year %d: %w", year, err)
	}
	cal := market.DefaultCalendar()
	if !cal.Covers(year) {
		return market.CalendarYear{}, market.Errorf(market.ErrNotFound, market.CodeCalendarYearNotCovered,
			"the working-day calendar has no arrangement for %d; an operator adds it with PUT /v1/calendar/years/%d", year, year)
	}
	return embeddedYear(cal, year)
}

// embeddedYear writes an embedded year back in the file format.
func embeddedYear(cal *market.Calendar, year int) (market.CalendarYear, error) {
	y := market.CalendarYear{Year: year, Origin: "embedded", Holidays: map[string][]string{}, Workdays: []string{}}
	y.Source, _ = cal.Source(year)
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
		name, err := cal.Holiday(d)
		if err != nil {
			return y, err
		}
		if name != "" {
			y.Holidays[name] = append(y.Holidays[name], d.Format(time.DateOnly))
			continue
		}
		work, err := cal.IsWorkday(d)
		if err != nil {
			return y, err
		}
		if wd := d.Weekday(); work && (wd == time.Saturday || wd == time.Sunday) {
			y.Workdays = append(y.Workdays, d.Format(time.DateOnly))
		}
	}
	return y, nil
}

// SetCalendarYear stores arrangement (canonical JSON, validated by
// market.Calendars.PutYear) as year, set by user of party at now, and
// appends "calendar.year_set" to the ledger in the same transaction.
func SetCalendarYear(ctx context.Context, db DB, year int, arrangement []byte, by market.UserID, party market.PartyID, now time.Time) error {
	err := InTx(ctx, db, func(tx pgx.Tx) error {
		payload, err := json.Marshal(map[string]any{"year": year, "by": by, "arrangement": json.RawMessage(arrangement)})
		if err != nil {
			return err
		}
		entry, err := AppendLedger(ctx, tx, market.LedgerEvent{Kind: "calendar.year_set", PartyID: party, Payload: payload, At: now})
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO calendar_years (year, arrangement, updated_by, updated_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5) ON CONFLICT (year) DO UPDATE SET arrangement = EXCLUDED.arrangement,
updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at, ledger_entry_id = EXCLUDED.ledger_entry_id`,
			year, string(arrangement), by, now, entry)
		return translate(err)
	})
	if err != nil {
		return fmt.Errorf("set calendar year %d: %w", year, err)
	}
	return nil
}
