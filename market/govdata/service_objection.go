package govdata

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Object receives an objection to a resource (Shaanxi Art. 27) from any
// logged-in party and sets its verification deadline. Errors: ErrNotFound,
// ErrInvalid naming the field, the calendar's ErrConflict.
func (s *Service) Object(ctx context.Context, actor market.Actor, n NewObjection) (*Objection, error) {
	r, err := s.store.Resource(ctx, n.ResourceID)
	if err != nil {
		return nil, err
	}
	if err := n.validate(r); err != nil {
		return nil, err
	}
	now := s.now()
	if n.Fields == nil {
		n.Fields = []string{}
	}
	o := &Objection{ID: market.NewID(), ResourceID: r.ID, ResourceCode: r.Code, ResourceTitle: r.Title, ResourceVersion: r.Version,
		ProviderID: r.DepartmentID, ObjectorID: actor.PartyID, ObjectorUserID: actor.UserID, Kind: n.Kind, Fields: n.Fields,
		Description: n.Description, State: ObjectionReceived, ReceivedAt: now, UpdatedAt: now}
	// Received even when the deadline reaches a year the calendar lacks
	// (pending, as an application's: settleObjection).
	if err := s.settleObjection(s.deadlines(ctx), o); err != nil {
		return nil, err
	}
	ev := event("govdata.objection_received", actor.PartyID, o.ID, now, map[string]any{
		"resource": r.Code, "version": r.Version, "kind": o.Kind, "verify_by": dueDateOf(o.VerifyBy), "article": ArticleShaanxi27})
	if err := s.store.CreateObjection(ctx, o, ev); err != nil {
		return nil, fmt.Errorf("receive objection: %w", err)
	}
	return o, nil
}

// Objection returns objection id to its objector, the provider or a coordinator.
func (s *Service) Objection(ctx context.Context, actor market.Actor, id uuid.UUID) (*Objection, error) {
	o, err := s.store.Objection(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor.PartyID != o.ObjectorID && actor.PartyID != o.ProviderID && requireCoordinator(actor) != nil {
		return nil, market.Errorf(market.ErrNotFound, "not_found", "no objection %s", id)
	}
	if err := s.settleObjection(s.deadlines(ctx), o); err != nil {
		return nil, err
	}
	o.Overdue = o.IsOverdue(s.now())
	return o, nil
}

// settleObjection sets o's running deadlines that are not set yet — the
// verification deadline from receipt, the correction deadline from an
// upheld verification — or, when one reaches a year the working-day
// calendar does not cover, leaves it unset with DuePending saying why
// (deadlines.set).
func (s *Service) settleObjection(d *deadlines, o *Objection) error {
	pending, err := d.set(&o.VerifyBy, o.ReceivedAt, s.opt.Settings.VerifyWorkdays)
	if err == nil && o.State == ObjectionUpheld && o.VerifiedAt != nil {
		var p string
		p, err = d.set(&o.CorrectBy, *o.VerifiedAt, s.opt.Settings.CorrectWorkdays)
		pending = cmp.Or(p, pending)
	}
	o.DuePending = pending
	return err
}

// onTime tells whether an answer at now meets the deadline by, counted
// from start: true or false; for a pending deadline (nil: it lies in the
// first year after start's the calendar lacks, or later) true when now
// comes before that year, else nil, unknown.
func (s *Service) onTime(ctx context.Context, now, start time.Time, by *time.Time) any {
	if by != nil {
		return now.Before(*by)
	}
	cal, err := s.deadlines(ctx).calendar()
	if err != nil {
		return nil
	}
	y := start.In(market.ChinaTime).Year()
	for cal.Covers(y) {
		y++
	}
	if now.In(market.ChinaTime).Year() < y {
		return true
	}
	return nil
}

// verifiedAt is when o was verified (its receipt before).
func verifiedAt(o *Objection) time.Time {
	if o.VerifiedAt != nil {
		return *o.VerifiedAt
	}
	return o.ReceivedAt
}

// dueDateOf is DueDate of a deadline that may be pending ("" then).
func dueDateOf(t *time.Time) string {
	if t == nil {
		return ""
	}
	return DueDate(*t)
}

// Objections lists the objections the actor's party made or must answer;
// a coordinator sees every one.
func (s *Service) Objections(ctx context.Context, actor market.Actor) ([]Objection, error) {
	f := ObjectionFilter{Party: actor.PartyID}
	if requireCoordinator(actor) == nil {
		f.Party = market.PartyID{}
	}
	objs, err := s.store.Objections(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list objections: %w", err)
	}
	now := s.now()
	d := s.deadlines(ctx)
	for i := range objs {
		if err := s.settleObjection(d, &objs[i]); err != nil {
			return nil, err
		}
		objs[i].Overdue = objs[i].IsOverdue(now)
	}
	return objs, nil
}

func (s *Service) providerObjection(ctx context.Context, actor market.Actor, id uuid.UUID) (*Objection, error) {
	if err := requireDepartment(actor); err != nil {
		return nil, err
	}
	o, err := s.Objection(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := actor.RequireOwnParty(o.ProviderID); err != nil {
		return nil, err
	}
	return o, nil
}

// Verify records the provider's verification of a received objection:
// upheld (a correction is then due within the correction limit) or
// dismissed, with the finding. Errors: ErrForbidden, ErrNotFound,
// ErrInvalid, ErrConflict invalid_transition.
func (s *Service) Verify(ctx context.Context, actor market.Actor, id uuid.UUID, upheld bool, finding string) (*Objection, error) {
	o, err := s.providerObjection(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if o.State != ObjectionReceived {
		return nil, market.Errorf(market.ErrConflict, "invalid_transition", "objection %s is %s; it was verified already", id, o.State)
	}
	if finding = strings.TrimSpace(finding); finding == "" {
		return nil, market.Invalid("finding", "missing_field", "finding is required: what the verification found")
	}
	now := s.now()
	o.VerifiedAt, o.Finding, o.UpdatedAt = &now, finding, now
	payload := map[string]any{"upheld": upheld, "finding": finding, "on_time": s.onTime(ctx, now, o.ReceivedAt, o.VerifyBy), "article": ArticleShaanxi27}
	if upheld {
		o.State = ObjectionUpheld
		if err := s.settleObjection(s.deadlines(ctx), o); err != nil {
			return nil, err
		}
		payload["correct_by"] = dueDateOf(o.CorrectBy)
	} else {
		o.State = ObjectionDismissed
	}
	ev := event("govdata.objection_verified", actor.PartyID, o.ID, now, payload)
	if err := s.store.UpdateObjection(ctx, o, ObjectionReceived, nil, nil, []market.LedgerEvent{ev}); err != nil {
		return nil, fmt.Errorf("verify objection %s: %w", id, err)
	}
	o.Overdue = false
	return o, nil
}

// Correct records the correction of an upheld objection against the
// resource: a new version (the corrected entry, or the current one with
// new data) whose reason names the objection. Errors: ErrForbidden,
// ErrNotFound, ErrInvalid, ErrConflict.
func (s *Service) Correct(ctx context.Context, actor market.Actor, id uuid.UUID, c Correction) (*Objection, error) {
	o, err := s.providerObjection(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if o.State != ObjectionUpheld {
		return nil, market.Errorf(market.ErrConflict, "invalid_transition", "objection %s is %s; only an upheld objection is corrected", id, o.State)
	}
	if c.Note = strings.TrimSpace(c.Note); c.Note == "" {
		return nil, market.Invalid("note", "missing_field", "note is required: what was corrected")
	}
	if c.Resource == nil && c.Data == nil {
		return nil, market.Invalid("resource", "missing_field", "send the corrected resource, the corrected data, or both")
	}
	cur, err := s.store.Resource(ctx, o.ResourceID)
	if err != nil {
		return nil, err
	}
	next := *cur
	if c.Resource != nil {
		next = *c.Resource
	}
	oid := o.ID
	v, err := s.nextVersion(actor, cur, next, fmt.Sprintf("correction of objection %s: %s", o.ID, c.Note), &oid)
	if err != nil {
		return nil, err
	}
	if c.Data != nil {
		if err := c.Data.Validate(&v.Resource); err != nil {
			return nil, err
		}
		c.Data.Version = v.Version
		v.Resource.HasData = true
	}
	now := v.ChangedAt
	o.State, o.CorrectedAt, o.CorrectedVersion, o.Correction, o.UpdatedAt = ObjectionCorrected, &now, v.Version, c.Note, now
	evs := []market.LedgerEvent{
		event("govdata.resource_revised", actor.PartyID, uuid.UUID(cur.ID), now, map[string]any{
			"code": cur.Code, "version": v.Version, "reason": v.Reason, "objection_id": o.ID}),
		event("govdata.objection_corrected", actor.PartyID, o.ID, now, map[string]any{
			"resource": cur.Code, "version": v.Version, "note": c.Note, "on_time": s.onTime(ctx, now, verifiedAt(o), o.CorrectBy), "article": ArticleShaanxi27}),
	}
	if err := s.store.UpdateObjection(ctx, o, ObjectionUpheld, v, c.Data, evs); err != nil {
		return nil, fmt.Errorf("correct objection %s: %w", id, err)
	}
	o.Overdue = false
	return o, nil
}
