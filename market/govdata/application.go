package govdata

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// ApplicationID identifies an application (a UUIDv7).
type ApplicationID = uuid.UUID

// Kind says what an application asks for.
type Kind string

// Application kinds.
const (
	// KindSharing: a department asks another for conditionally shared data
	// for its duties (Tianjin Art. 17, Municipal Art. 20).
	KindSharing Kind = "sharing"
	// KindOpening: a citizen or enterprise asks for conditionally open
	// data (依申请开放, Tianjin Art. 23, Municipal Art. 26).
	KindOpening Kind = "opening"
)

// State is where an application stands.
type State string

// Application states: received → accepted → provided | refused, and
// escalated to the coordinator (sharing disputes), who decides.
const (
	StateReceived  State = "received"
	StateAccepted  State = "accepted"
	StateProvided  State = "provided"
	StateRefused   State = "refused"
	StateEscalated State = "escalated"
)

// Open reports whether an application in s still awaits its provider's answer.
func (s State) Open() bool { return s == StateReceived || s == StateAccepted }

// NewApplication is what an applicant sends: the resource, the purpose,
// the legal basis (for sharing, the duty it serves), the fields and the
// period of use requested; Resale asks leave to put products built on
// conditionally opened data up for trade; WrittenAnswer asks for a written
// answer (Municipal Art. 26).
type NewApplication struct {
	Kind          Kind        `json:"kind"`
	ResourceID    ResourceID  `json:"resource_id"`
	Purpose       string      `json:"purpose"`
	LegalBasis    string      `json:"legal_basis"`
	Fields        []string    `json:"fields"`
	PeriodFrom    market.Date `json:"period_from"`
	PeriodTo      market.Date `json:"period_to"`
	Resale        bool        `json:"resale"`
	WrittenAnswer bool        `json:"written_answer"`
}

// Answer is a provider's (or the coordinator's) answer. Provide grants an
// approval of the permitted purposes, fields and validity (defaults: the
// requested ones); a refusal needs reasons and a basis (Tianjin Art. 17,
// 23; Municipal Art. 20, 26).
type Answer struct {
	Purposes  []string    `json:"purposes"`
	Fields    []string    `json:"fields"`
	ValidFrom market.Date `json:"valid_from"`
	ValidTo   market.Date `json:"valid_to"`
	Resale    bool        `json:"resale"`
	Reasons   string      `json:"reasons"`
	Basis     string      `json:"basis"`
}

// Application is one application for conditional sharing or opening, its
// clock and its answer.
type Application struct {
	ID              ApplicationID  `json:"id"`
	Kind            Kind           `json:"kind"`
	ResourceID      ResourceID     `json:"resource_id"`
	ResourceCode    string         `json:"resource_code"`
	ResourceTitle   string         `json:"resource_title"`
	ResourceVersion int            `json:"resource_version"`
	ProviderID      market.PartyID `json:"provider_id"`
	ProviderName    string         `json:"provider_name"`
	ApplicantID     market.PartyID `json:"applicant_id"`
	ApplicantName   string         `json:"applicant_name"`
	ApplicantUserID market.UserID  `json:"applicant_user_id"`
	Purpose         string         `json:"purpose"`
	LegalBasis      string         `json:"legal_basis"`
	Fields          []string       `json:"fields"`
	PeriodFrom      market.Date    `json:"period_from"`
	PeriodTo        market.Date    `json:"period_to"`
	Resale          bool           `json:"resale"`
	WrittenAnswer   bool           `json:"written_answer"`
	State           State          `json:"state"`
	// Jurisdiction and Clock are the rules the application runs on, fixed
	// at receipt.
	Jurisdiction Jurisdiction `json:"jurisdiction"`
	Clock        Clock        `json:"clock"`
	ReceivedAt   time.Time    `json:"received_at"`
	// AcceptBy is the platform's acceptance limit (Tianjin, "及时受理").
	AcceptBy   *time.Time `json:"accept_by,omitempty"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
	// DueBy is the first instant after the answer deadline; nil until the
	// clock runs (a Tianjin application before acceptance).
	DueBy   *time.Time `json:"due_by,omitempty"`
	DueDate string     `json:"due_date,omitempty"`
	// DuePending says why a deadline that runs is not known yet: it
	// reaches a year the working-day calendar does not cover. The
	// application is received all the same, and the deadline is set as
	// soon as an operator adds that year (Service.settle).
	DuePending string     `json:"due_pending,omitempty"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	// Reasons and Basis of a refusal.
	Reasons string `json:"reasons,omitempty"`
	Basis   string `json:"basis,omitempty"`
	// Escalation is why the application went to the coordinator.
	EscalatedAt *time.Time `json:"escalated_at,omitempty"`
	Escalation  string     `json:"escalation,omitempty"`
	// DecidedBy is set when the coordinator answered an escalated application.
	DecidedByCoordinator bool      `json:"decided_by_coordinator,omitempty"`
	ApprovalID           uuid.UUID `json:"approval_id,omitempty"`
	Overdue              bool      `json:"overdue"`
	UpdatedAt            time.Time `json:"updated_at"`
}

// Deadline returns the instant the application is next due by: DueBy
// once the clock runs, else AcceptBy; nil when nothing is due.
func (a *Application) Deadline() *time.Time {
	if !a.State.Open() {
		return nil
	}
	if a.DueBy != nil {
		return a.DueBy
	}
	return a.AcceptBy
}

// IsOverdue reports whether the application awaits an answer (or its
// acceptance) past its deadline at now.
func (a *Application) IsOverdue(now time.Time) bool {
	d := a.Deadline()
	return d != nil && !now.Before(*d)
}

// AnsweredOnTime reports whether the provider answered before the deadline;
// false for an application not answered by its provider, and while the
// deadline is pending (DuePending: not known yet).
func (a *Application) AnsweredOnTime() bool {
	return a.AnsweredAt != nil && !a.DecidedByCoordinator && a.DueBy != nil && a.AnsweredAt.Before(*a.DueBy)
}

// validate checks a new application against the resource it names: the
// class must call for an application, the purpose, legal basis for sharing
// and fields must be given, fields must be the resource's, the period sane.
func (n *NewApplication) validate(r *Resource) error {
	n.Purpose = strings.TrimSpace(n.Purpose)
	n.LegalBasis = strings.TrimSpace(n.LegalBasis)
	switch n.Kind {
	case KindSharing:
		switch r.ShareClass {
		case ShareUnconditional:
			return market.Refused(ArticleTianjin16, "no_application_needed", "resource %s is shared unconditionally: departments obtain it directly for their duties", r.Code)
		case ShareNone:
			return market.Refused(ArticleTianjin16, "not_shared", "resource %s is not shared (%s)", r.Code, r.ShareBasis)
		}
		if n.LegalBasis == "" {
			return market.Invalid("legal_basis", "missing_field", "legal_basis is required: the duty the data serves (%s)", ArticleTianjin18)
		}
		if n.Resale {
			return market.Refused(ArticleTianjin18, "shared_data_not_for_third_parties", "data obtained by sharing serves the department's duties only and never goes to third parties")
		}
	case KindOpening:
		switch r.OpenClass {
		case market.OpenUnconditional:
			return market.Refused(ArticleTianjin22, "no_application_needed", "resource %s is open unconditionally: download it without applying", r.Code)
		case market.OpenNone:
			return market.Refused(ArticleMunicipal27, "not_open", "resource %s is not open (%s)", r.Code, r.OpenBasis)
		}
	default:
		return market.Invalid("kind", "invalid_kind", "kind %q: want sharing or opening", n.Kind)
	}
	if n.Purpose == "" {
		return market.Invalid("purpose", "missing_field", "purpose is required")
	}
	if len(n.Fields) == 0 {
		return market.Invalid("fields", "missing_field", "fields: name the data items requested")
	}
	names := r.FieldNames()
	for _, f := range n.Fields {
		if !slices.Contains(names, f) {
			return market.Invalid("fields", "unknown_field", "field %q is not a data item of resource %s (%s)", f, r.Code, strings.Join(names, ", "))
		}
	}
	if n.PeriodFrom.IsZero() || n.PeriodTo.IsZero() {
		return market.Invalid("period_to", "missing_field", "period_from and period_to are required: the period of use")
	}
	if n.PeriodTo.Start().Before(n.PeriodFrom.Start()) {
		return market.Invalid("period_to", "invalid_period", "period_to %s is before period_from %s", n.PeriodTo, n.PeriodFrom)
	}
	return nil
}

// checkRefusal requires the reasons and basis of a refusal.
func (ans *Answer) checkRefusal(article string) error {
	ans.Reasons, ans.Basis = strings.TrimSpace(ans.Reasons), strings.TrimSpace(ans.Basis)
	if ans.Reasons == "" {
		e := market.Invalid("reasons", "missing_field", "a refusal states its reasons")
		e.Article = article
		return e
	}
	if ans.Basis == "" {
		e := market.Invalid("basis", "missing_field", "a refusal gives its basis in law, regulation or rule")
		e.Article = article
		return e
	}
	return nil
}

func invalidTransition(a *Application, action string) error {
	return market.Errorf(market.ErrConflict, "invalid_transition", "application %s is %s; it cannot be %s", a.ID, a.State, action)
}
