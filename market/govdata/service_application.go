package govdata

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Apply receives an application for conditional sharing (from department
// staff, for the department's duties) or conditional opening (from a
// citizen or enterprise) and starts its clock under the configured
// jurisdiction. Errors: ErrForbidden, ErrInvalid naming the field,
// ErrRefused citing the article when the class calls for no application,
// the calendar's ErrConflict when the deadline falls in a year it lacks.
func (s *Service) Apply(ctx context.Context, actor market.Actor, n NewApplication) (*Application, error) {
	switch n.Kind {
	case KindSharing:
		if err := requireDepartment(actor); err != nil {
			return nil, err
		}
	case KindOpening:
		if actor.PartyType != market.PartyParticipant {
			return nil, market.Errorf(market.ErrForbidden, "forbidden_party", "conditional opening is applied for by citizens and enterprises; departments apply for sharing")
		}
	default:
		return nil, market.Invalid("kind", "invalid_kind", "kind %q: want sharing or opening", n.Kind)
	}
	r, err := s.store.Resource(ctx, n.ResourceID)
	if err != nil {
		return nil, err
	}
	if r.DepartmentID == actor.PartyID {
		return nil, market.Errorf(market.ErrConflict, "own_resource", "a department does not apply for its own data")
	}
	if err := n.validate(r); err != nil {
		return nil, err
	}
	now := s.now()
	applicant, err := s.store.Party(ctx, actor.PartyID)
	if err != nil {
		return nil, err
	}
	a := &Application{ID: market.NewID(), Kind: n.Kind, ResourceID: r.ID, ResourceCode: r.Code, ResourceTitle: r.Title,
		ResourceVersion: r.Version, ProviderID: r.DepartmentID, ProviderName: r.DepartmentName,
		ApplicantID: actor.PartyID, ApplicantName: applicant.Name, ApplicantUserID: actor.UserID,
		Purpose: n.Purpose, LegalBasis: n.LegalBasis, Fields: n.Fields, PeriodFrom: n.PeriodFrom, PeriodTo: n.PeriodTo,
		Resale: n.Resale, WrittenAnswer: n.WrittenAnswer, State: StateReceived,
		Jurisdiction: s.opt.Jurisdiction, Clock: s.opt.Jurisdiction.Clock(n.Kind), ReceivedAt: now, UpdatedAt: now}
	// A deadline in a year the calendar lacks is not guessed, and the
	// application is not refused for it either: it is received, its
	// deadline pending until an operator adds the year (settle).
	if err := s.settle(s.deadlines(ctx), a); err != nil {
		return nil, err
	}
	ev := event("govdata.application_received", actor.PartyID, a.ID, now, map[string]any{
		"kind": a.Kind, "resource": r.Code, "provider_id": uuid.UUID(r.DepartmentID), "fields": a.Fields,
		"purpose": a.Purpose, "due_date": a.DueDate, "due_pending": a.DuePending != "", "article": a.Clock.Article})
	if err := s.store.CreateApplication(ctx, a, ev); err != nil {
		return nil, fmt.Errorf("receive application: %w", err)
	}
	return a, nil
}

// settle sets the deadlines of a whose clocks run but which are not set
// yet: the answer deadline from receipt (municipal) or acceptance
// (Tianjin), and a received Tianjin application's acceptance limit. One
// that reaches a year the working-day calendar does not cover stays
// unset, and DuePending says why (deadlines.set).
func (s *Service) settle(d *deadlines, a *Application) error {
	var err error
	switch {
	case a.Clock.Start == FromReceipt:
		a.DuePending, err = d.set(&a.DueBy, a.ReceivedAt, a.Clock.Workdays)
	case a.AcceptedAt != nil:
		a.DuePending, err = d.set(&a.DueBy, *a.AcceptedAt, a.Clock.Workdays)
	default:
		a.DuePending, err = d.set(&a.AcceptBy, a.ReceivedAt, s.opt.Settings.AcceptWorkdays)
	}
	if a.DueBy != nil {
		a.DueDate = DueDate(*a.DueBy)
	}
	return err
}

// Application returns application id when actor is its applicant, its
// provider or a coordinator. Errors: ErrNotFound.
func (s *Service) Application(ctx context.Context, actor market.Actor, id ApplicationID) (*Application, error) {
	a, err := s.store.Application(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor.PartyID != a.ApplicantID && actor.PartyID != a.ProviderID && requireCoordinator(actor) != nil {
		return nil, market.Errorf(market.ErrNotFound, "not_found", "no application %s", id)
	}
	if err := s.settle(s.deadlines(ctx), a); err != nil {
		return nil, err
	}
	a.Overdue = a.IsOverdue(s.now())
	return a, nil
}

// Applications lists the applications the actor's party made or must
// answer; a coordinator sees every one. overdueOnly keeps the open ones
// past their deadline (the coordinator's queue).
func (s *Service) Applications(ctx context.Context, actor market.Actor, overdueOnly bool) ([]Application, error) {
	f := ApplicationFilter{Party: actor.PartyID, Open: overdueOnly}
	if requireCoordinator(actor) == nil {
		f.Party = market.PartyID{}
	}
	apps, err := s.store.Applications(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list applications: %w", err)
	}
	now := s.now()
	out := apps[:0]
	d := s.deadlines(ctx)
	for _, a := range apps {
		if err := s.settle(d, &a); err != nil {
			return nil, err
		}
		a.Overdue = a.IsOverdue(now)
		if !overdueOnly || a.Overdue {
			out = append(out, a)
		}
	}
	return out, nil
}

// providerApp loads an application the actor's department must answer.
func (s *Service) providerApp(ctx context.Context, actor market.Actor, id ApplicationID) (*Application, error) {
	if err := requireDepartment(actor); err != nil {
		return nil, err
	}
	a, err := s.Application(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if err := actor.RequireOwnParty(a.ProviderID); err != nil {
		return nil, err
	}
	return a, nil
}

// Accept accepts a received application (受理); under Tianjin the answer
// clock starts now (Art. 17, 23). Errors: ErrForbidden, ErrNotFound,
// ErrConflict invalid_transition.
func (s *Service) Accept(ctx context.Context, actor market.Actor, id ApplicationID) (*Application, error) {
	a, err := s.providerApp(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if a.State != StateReceived {
		return nil, invalidTransition(a, "accepted")
	}
	if err := s.accept(ctx, a); err != nil {
		return nil, err
	}
	ev := event("govdata.application_accepted", actor.PartyID, a.ID, *a.AcceptedAt, map[string]any{
		"due_date": a.DueDate, "article": a.Clock.Article})
	if err := s.store.UpdateApplication(ctx, a, StateReceived, nil, ev); err != nil {
		return nil, fmt.Errorf("accept application %s: %w", id, err)
	}
	return a, nil
}

func (s *Service) accept(ctx context.Context, a *Application) error {
	now := s.now()
	a.State, a.AcceptedAt, a.UpdatedAt = StateAccepted, &now, now
	return s.settle(s.deadlines(ctx), a) // under Tianjin the answer clock starts now
}

// Provide answers an application by granting access: an approval of the
// permitted purposes, fields and validity. A received application is
// accepted at the same moment (an answer on the spot, Municipal Art. 26).
// Errors: ErrForbidden, ErrNotFound, ErrInvalid, ErrRefused (resale on
// sharing), ErrConflict invalid_transition.
func (s *Service) Provide(ctx context.Context, actor market.Actor, id ApplicationID, ans Answer) (*Application, error) {
	a, err := s.providerApp(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, actor, a, true, ans, false)
}

// Refuse answers an application by refusing it with reasons and basis
// (Tianjin Art. 17, 23; Municipal Art. 20, 26). Errors as Provide, and
// ErrInvalid when the reasons or basis are missing.
func (s *Service) Refuse(ctx context.Context, actor market.Actor, id ApplicationID, ans Answer) (*Application, error) {
	a, err := s.providerApp(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return s.answer(ctx, actor, a, false, ans, false)
}

// answer provides or refuses a (open, or escalated when byCoordinator).
func (s *Service) answer(ctx context.Context, actor market.Actor, a *Application, provide bool, ans Answer, byCoordinator bool) (*Application, error) {
	from := a.State
	action := map[bool]string{true: "provided", false: "refused"}[provide]
	switch {
	case byCoordinator && from != StateEscalated, !byCoordinator && !from.Open():
		return nil, invalidTransition(a, action)
	}
	if from == StateReceived {
		if err := s.accept(ctx, a); err != nil {
			return nil, err
		}
	}
	now := s.now()
	var ap *Approval
	payload := map[string]any{"article": a.Clock.Article, "by_coordinator": byCoordinator, "from": from}
	if from == StateReceived {
		payload["accepted_at"] = a.AcceptedAt // accepted and answered at once (on the spot)
	}
	if provide {
		var err error
		if ap, err = grant(a, ans, now, byCoordinator); err != nil {
			return nil, err
		}
		a.State, a.ApprovalID = StateProvided, ap.ID
		payload["approval_id"], payload["fields"], payload["purposes"] = ap.ID, ap.Fields, ap.Purposes
		payload["valid_to"], payload["resale"] = ap.ValidTo.String(), ap.Resale
	} else {
		if err := ans.checkRefusal(a.Clock.Article); err != nil {
			return nil, err
		}
		a.State, a.Reasons, a.Basis = StateRefused, ans.Reasons, ans.Basis
		payload["reasons"], payload["basis"] = ans.Reasons, ans.Basis
	}
	if byCoordinator {
		a.DecidedByCoordinator = true
		payload["article"] = s.opt.Jurisdiction.EscalationArticle()
	} else {
		a.AnsweredAt = &now
		payload["on_time"] = a.AnsweredOnTime()
	}
	a.UpdatedAt = now
	a.Overdue = false
	ev := event("govdata.application_"+action, actor.PartyID, a.ID, now, payload)
	if err := s.store.UpdateApplication(ctx, a, from, ap, ev); err != nil {
		return nil, fmt.Errorf("answer application %s: %w", a.ID, err)
	}
	return a, nil
}

// Escalate sends a sharing dispute to the coordinating authority (Tianjin
// Art. 17, Municipal Art. 21): the applicant department of a refused or
// unanswered application, or the provider of an open one, with the reason.
// Errors: ErrForbidden, ErrNotFound, ErrInvalid, ErrConflict.
func (s *Service) Escalate(ctx context.Context, actor market.Actor, id ApplicationID, reason string) (*Application, error) {
	if err := requireDepartment(actor); err != nil {
		return nil, err
	}
	a, err := s.Application(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if a.Kind != KindSharing {
		return nil, market.Errorf(market.ErrConflict, "not_escalable", "only sharing disputes between departments go to the coordinator (%s)", s.opt.Jurisdiction.EscalationArticle())
	}
	ok := (actor.PartyID == a.ApplicantID && (a.State == StateRefused || a.State.Open())) ||
		(actor.PartyID == a.ProviderID && a.State.Open())
	if !ok {
		if actor.PartyID != a.ApplicantID && actor.PartyID != a.ProviderID {
			return nil, market.Errorf(market.ErrForbidden, "forbidden_party", "only the two departments of a dispute escalate it")
		}
		return nil, invalidTransition(a, "escalated")
	}
	if reason = strings.TrimSpace(reason); reason == "" {
		return nil, market.Invalid("reason", "missing_field", "reason is required: what the departments disagree on")
	}
	from, now := a.State, s.now()
	a.State, a.EscalatedAt, a.Escalation, a.UpdatedAt, a.Overdue = StateEscalated, &now, reason, now, false
	ev := event("govdata.application_escalated", actor.PartyID, a.ID, now, map[string]any{
		"reason": reason, "from": from, "article": s.opt.Jurisdiction.EscalationArticle()})
	if err := s.store.UpdateApplication(ctx, a, from, nil, ev); err != nil {
		return nil, fmt.Errorf("escalate application %s: %w", id, err)
	}
	return a, nil
}

// Decide is the coordinator's decision on an escalated application:
// provide (with the approval's terms) or refuse (with reasons and basis).
// Errors: ErrForbidden, ErrNotFound, ErrInvalid, ErrConflict.
func (s *Service) Decide(ctx context.Context, actor market.Actor, id ApplicationID, provide bool, ans Answer) (*Application, error) {
	if err := requireCoordinator(actor); err != nil {
		return nil, err
	}
	a, err := s.Application(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	provider, err := s.store.Party(ctx, a.ProviderID)
	if err != nil {
		return nil, err
	}
	if provider.Jurisdiction != actor.Jurisdiction {
		return nil, market.Errorf(market.ErrForbidden, "forbidden_jurisdiction", "the coordinator of jurisdiction %s does not decide for a department of %s", actor.Jurisdiction, provider.Jurisdiction)
	}
	return s.answer(ctx, actor, a, provide, ans, true)
}

// Approvals lists the approvals the actor's party holds.
func (s *Service) Approvals(ctx context.Context, actor market.Actor) ([]Approval, error) {
	return s.store.Approvals(ctx, actor.PartyID)
}

// Approval returns approval id to its holder, its provider or a coordinator.
func (s *Service) Approval(ctx context.Context, actor market.Actor, id uuid.UUID) (*Approval, error) {
	ap, err := s.store.Approval(ctx, id)
	if err != nil {
		return nil, err
	}
	if actor.PartyID != ap.HolderID && actor.PartyID != ap.ProviderID && requireCoordinator(actor) != nil {
		return nil, market.Errorf(market.ErrNotFound, "not_found", "no approval %s", id)
	}
	return ap, nil
}
