package govdata

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Options configure a Service; zero fields take the defaults.
type Options struct {
	// Jurisdiction whose clocks applications run on (default tianjin).
	Jurisdiction Jurisdiction
	Settings     Settings
	// Calendar returns the working-day calendar in force (default
	// market.DefaultCalendar).
	Calendar func(ctx context.Context) (*market.Calendar, error)
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Service is the government-data use cases: the catalog, applications,
// approvals, objections and statistics. Every method that acts for a
// party takes the acting market.Actor and checks its role and party. It
// is safe for concurrent use.
type Service struct {
	store Store
	opt   Options
}

// NewService returns the service over store.
func NewService(store Store, opt Options) *Service {
	if opt.Jurisdiction == "" {
		opt.Jurisdiction = JurisdictionTianjin
	}
	opt.Settings.setDefaults()
	if opt.Calendar == nil {
		opt.Calendar = func(context.Context) (*market.Calendar, error) { return market.DefaultCalendar(), nil }
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &Service{store: store, opt: opt}
}

// Jurisdiction returns the jurisdiction the service runs its clocks for.
func (s *Service) Jurisdiction() Jurisdiction { return s.opt.Jurisdiction }

// Settings returns the platform's time limits.
func (s *Service) Settings() Settings { return s.opt.Settings }

func (s *Service) now() time.Time { return s.opt.Now().UTC().Truncate(time.Microsecond) }

// deadlines counts working-day deadlines on the calendar in force, loaded
// on first need and then kept (a list settles all its items on one).
type deadlines struct {
	s   *Service
	ctx context.Context
	cal *market.Calendar
}

func (s *Service) deadlines(ctx context.Context) *deadlines { return &deadlines{s: s, ctx: ctx} }

func (d *deadlines) calendar() (*market.Calendar, error) {
	if d.cal == nil {
		c, err := d.s.opt.Calendar(d.ctx)
		if err != nil {
			return nil, err
		}
		d.cal = c
	}
	return d.cal, nil
}

// set sets *by, unless it is set, to the deadline n working days after
// start (DueBy). When the count reaches a year the working-day calendar
// does not cover, *by stays nil and the calendar's message is returned as
// pending: a deadline is never guessed, and it is set by the first call
// after an operator adds the year. Other calendar errors are returned.
func (d *deadlines) set(by **time.Time, start time.Time, n int) (pending string, err error) {
	if *by != nil {
		return "", nil
	}
	cal, err := d.calendar()
	if err != nil {
		return "", err
	}
	t, err := DueBy(cal, start, n)
	msg, gap := market.YearNotCovered(err)
	switch {
	case err == nil:
		*by = &t
	case gap:
		return msg, nil
	default:
		return "", err
	}
	return "", nil
}

// event builds a ledger event of kind about subject, acted by actor's party.
func event(kind string, party market.PartyID, subject uuid.UUID, at time.Time, payload map[string]any) market.LedgerEvent {
	b, err := json.Marshal(payload)
	if err != nil {
		panic(fmt.Sprintf("ledger payload of %s: %v", kind, err)) // maps of plain values always marshal
	}
	return market.LedgerEvent{Kind: kind, PartyID: party, SubjectID: subject, Payload: b, At: at}
}

// requireDepartment checks that the actor is department staff of a
// government department party.
func requireDepartment(a market.Actor) error {
	if err := a.RequireRole(market.RoleDepartment); err != nil {
		return err
	}
	if a.PartyType != market.PartyDepartment {
		return market.Errorf(market.ErrForbidden, "forbidden_party", "only a government department may do this")
	}
	return nil
}

// requireCoordinator checks that the actor is the coordinating authority.
func requireCoordinator(a market.Actor) error {
	if err := a.RequireRole(market.RoleCoordinator); err != nil {
		return err
	}
	if a.PartyType != market.PartyDepartment {
		return market.Errorf(market.ErrForbidden, "forbidden_party", "only the big-data bureau coordinates")
	}
	return nil
}

// Statistics returns the evaluation statistics of each department of the
// coordinator's jurisdiction (Shaanxi Art. 24); coordinators only. Errors: ErrForbidden, storage errors.
func (s *Service) Statistics(ctx context.Context, actor market.Actor) ([]DepartmentStats, error) {
	if err := requireCoordinator(actor); err != nil {
		return nil, err
	}
	all, err := s.store.Departments(ctx)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	var depts []market.Party // the coordinator evaluates its own jurisdiction's departments
	for _, d := range all {
		if d.Jurisdiction == actor.Jurisdiction {
			depts = append(depts, d)
		}
	}
	counts, err := s.store.ResourceCounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	apps, err := s.store.Applications(ctx, ApplicationFilter{})
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	objs, err := s.store.Objections(ctx, ObjectionFilter{})
	if err != nil {
		return nil, fmt.Errorf("statistics: %w", err)
	}
	d := s.deadlines(ctx) // deadlines pending on a year since added
	for i := range apps {
		if err := s.settle(d, &apps[i]); err != nil {
			return nil, fmt.Errorf("statistics: %w", err)
		}
	}
	for i := range objs {
		if err := s.settleObjection(d, &objs[i]); err != nil {
			return nil, fmt.Errorf("statistics: %w", err)
		}
	}
	return Statistics(depts, counts, apps, objs, s.now()), nil
}

// Departments returns the government departments, by name; public (the
// catalog names its providers).
func (s *Service) Departments(ctx context.Context) ([]market.Party, error) {
	return s.store.Departments(ctx)
}
