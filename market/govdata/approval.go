package govdata

import (
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Approval is granted access: an answered application's permitted
// purposes, fields and validity. A sharing approval serves the holder's
// duties only (Tianjin Art. 18); an opening approval permits resale only
// when Resale says so, which the Art. 36 gate reads.
type Approval struct {
	ID            uuid.UUID      `json:"id"`
	ApplicationID ApplicationID  `json:"application_id"`
	Kind          Kind           `json:"kind"`
	ResourceID    ResourceID     `json:"resource_id"`
	ResourceCode  string         `json:"resource_code"`
	HolderID      market.PartyID `json:"holder_id"`
	ProviderID    market.PartyID `json:"provider_id"`
	Purposes      []string       `json:"purposes"`
	Fields        []string       `json:"fields"`
	ValidFrom     market.Date    `json:"valid_from"`
	ValidTo       market.Date    `json:"valid_to"`
	Resale        bool           `json:"resale"`
	GrantedAt     time.Time      `json:"granted_at"`
	ByCoordinator bool           `json:"by_coordinator"`
}

// ValidAt reports whether the approval is in force at t.
func (a *Approval) ValidAt(t time.Time) bool {
	return !t.Before(a.ValidFrom.Start()) && t.Before(a.ValidTo.End())
}

// grant builds the approval an answer gives to application app: the
// requested purpose, fields and period unless the answer narrows them;
// it never widens them, and resale only on an opening application that
// asked for it.
func grant(app *Application, ans Answer, now time.Time, byCoordinator bool) (*Approval, error) {
	ap := &Approval{ID: market.NewID(), ApplicationID: app.ID, Kind: app.Kind, ResourceID: app.ResourceID,
		ResourceCode: app.ResourceCode, HolderID: app.ApplicantID, ProviderID: app.ProviderID,
		Purposes: ans.Purposes, Fields: ans.Fields, ValidFrom: ans.ValidFrom, ValidTo: ans.ValidTo,
		Resale: ans.Resale, GrantedAt: now, ByCoordinator: byCoordinator}
	if len(ap.Purposes) == 0 {
		ap.Purposes = []string{app.Purpose}
	}
	for i := range ap.Purposes {
		ap.Purposes[i] = strings.TrimSpace(ap.Purposes[i])
	}
	if len(ap.Fields) == 0 {
		ap.Fields = slices.Clone(app.Fields)
	}
	for _, f := range ap.Fields {
		if !slices.Contains(app.Fields, f) {
			return nil, market.Invalid("fields", "field_not_requested", "field %q was not requested; an approval never grants more than was asked", f)
		}
	}
	if ap.ValidFrom.IsZero() {
		ap.ValidFrom = app.PeriodFrom
	}
	if ap.ValidTo.IsZero() {
		ap.ValidTo = app.PeriodTo
	}
	if ap.ValidFrom.Start().Before(app.PeriodFrom.Start()) || ap.ValidTo.Start().After(app.PeriodTo.Start()) || ap.ValidTo.Start().Before(ap.ValidFrom.Start()) {
		return nil, market.Invalid("valid_to", "invalid_period", "validity %s–%s must lie within the requested period %s–%s", ap.ValidFrom, ap.ValidTo, app.PeriodFrom, app.PeriodTo)
	}
	if ap.Resale && (app.Kind != KindOpening || !app.Resale) {
		return nil, market.Refused(ArticleTianjin18, "resale_not_requested", "resale may be permitted only on an opening application that asked for it; data obtained by sharing never goes to third parties")
	}
	return ap, nil
}
