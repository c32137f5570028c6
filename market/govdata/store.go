package govdata

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Version is one version of a resource as it stood, and why it changed.
type Version struct {
	ResourceID  ResourceID    `json:"resource_id"`
	Version     int           `json:"version"`
	Resource    Resource      `json:"resource"`
	Reason      string        `json:"reason"`
	ObjectionID *uuid.UUID    `json:"objection_id,omitempty"`
	ChangedBy   market.UserID `json:"changed_by"`
	ChangedAt   time.Time     `json:"changed_at"`
}

// ApplicationFilter selects applications; zero fields do not filter. Party
// matches the applicant or the provider.
type ApplicationFilter struct {
	Party      market.PartyID
	ProviderID market.PartyID
	State      State
	Open       bool // received or accepted only
}

// ObjectionFilter selects objections; zero fields do not filter. Party
// matches the objector or the provider.
type ObjectionFilter struct {
	Party market.PartyID
}

// Store keeps the catalog, applications, approvals and objections. Every
// write is one transaction with its ledger events; an update names the
// version or state it expects and returns an ErrConflict *market.Error
// (code "stale") when the row changed meanwhile. Lookups return
// market.ErrNotFound. Implementations are safe for concurrent use.
type Store interface {
	Party(ctx context.Context, id market.PartyID) (market.Party, error)
	Departments(ctx context.Context) ([]market.Party, error)

	// CreateResource stores a new resource as version 1 and claims its own
	// data items; a data item another resource is the source of is an
	// ErrConflict (code "datum_has_source", Shaanxi Art. 26).
	CreateResource(ctx context.Context, v Version, ev market.LedgerEvent) error
	// UpdateResource stores v as the next version of its resource (v.Version
	// = previous + 1) and, when data is set, replaces the data.
	UpdateResource(ctx context.Context, v Version, data *Data, ev market.LedgerEvent) error
	Resource(ctx context.Context, id ResourceID) (*Resource, error)
	ResourceByCode(ctx context.Context, code string) (*Resource, error)
	SearchResources(ctx context.Context, q Query) ([]Resource, int, error)
	ResourceCounts(ctx context.Context) (map[market.PartyID]int, error)
	Versions(ctx context.Context, id ResourceID) ([]Version, error)
	// PutData replaces the data of the resource's current version.
	PutData(ctx context.Context, id ResourceID, d Data, ev market.LedgerEvent) error
	Data(ctx context.Context, id ResourceID) (*Data, error)

	CreateApplication(ctx context.Context, a *Application, ev market.LedgerEvent) error
	// UpdateApplication stores a, which was in state from; approval, when
	// set, is stored with it.
	UpdateApplication(ctx context.Context, a *Application, from State, approval *Approval, ev market.LedgerEvent) error
	Application(ctx context.Context, id ApplicationID) (*Application, error)
	Applications(ctx context.Context, f ApplicationFilter) ([]Application, error)
	Approval(ctx context.Context, id uuid.UUID) (*Approval, error)
	Approvals(ctx context.Context, holder market.PartyID) ([]Approval, error)

	CreateObjection(ctx context.Context, o *Objection, ev market.LedgerEvent) error
	// UpdateObjection stores o, which was in state from; a correction's
	// new resource version, when set, is stored with it.
	UpdateObjection(ctx context.Context, o *Objection, from ObjectionState, correction *Version, data *Data, evs []market.LedgerEvent) error
	Objection(ctx context.Context, id uuid.UUID) (*Objection, error)
	Objections(ctx context.Context, f ObjectionFilter) ([]Objection, error)

	// AppendLedger appends one event on its own (data obtained by sharing
	// or under an approval).
	AppendLedger(ctx context.Context, ev market.LedgerEvent) error
}
