package govdata

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// ObjectionKind is what an objector finds wrong with government data
// (Shaanxi Art. 27).
type ObjectionKind string

// Objection kinds.
const (
	ObjectionError       ObjectionKind = "error"        // 错误
	ObjectionOmission    ObjectionKind = "omission"     // 遗漏
	ObjectionStateSecret ObjectionKind = "state_secret" // 侵犯国家秘密
	ObjectionTradeSecret ObjectionKind = "trade_secret" // 侵犯商业秘密
	ObjectionPrivacy     ObjectionKind = "privacy"      // 侵犯个人隐私
)

// Valid reports whether k is one of the kinds.
func (k ObjectionKind) Valid() bool {
	switch k {
	case ObjectionError, ObjectionOmission, ObjectionStateSecret, ObjectionTradeSecret, ObjectionPrivacy:
		return true
	}
	return false
}

// ObjectionState is where an objection stands: received → upheld →
// corrected, or received → dismissed.
type ObjectionState string

// Objection states.
const (
	ObjectionReceived  ObjectionState = "received"
	ObjectionUpheld    ObjectionState = "upheld"
	ObjectionDismissed ObjectionState = "dismissed"
	ObjectionCorrected ObjectionState = "corrected"
)

// NewObjection is what an objector sends.
type NewObjection struct {
	ResourceID  ResourceID    `json:"resource_id"`
	Kind        ObjectionKind `json:"kind"`
	Fields      []string      `json:"fields"`
	Description string        `json:"description"`
}

// Correction is the provider's correction of an upheld objection: a note
// and the corrected resource and/or data, recorded as a new version.
type Correction struct {
	Note     string    `json:"note"`
	Resource *Resource `json:"resource"`
	Data     *Data     `json:"data"`
}

// Objection is one objection to a resource, with its verification and
// correction deadlines (Shaanxi Art. 27: the department verifies and
// corrects promptly; the platform's Settings give the working days).
type Objection struct {
	ID              uuid.UUID      `json:"id"`
	ResourceID      ResourceID     `json:"resource_id"`
	ResourceCode    string         `json:"resource_code"`
	ResourceTitle   string         `json:"resource_title"`
	ResourceVersion int            `json:"resource_version"`
	ProviderID      market.PartyID `json:"provider_id"`
	ObjectorID      market.PartyID `json:"objector_id"`
	ObjectorUserID  market.UserID  `json:"objector_user_id"`
	Kind            ObjectionKind  `json:"kind"`
	Fields          []string       `json:"fields"`
	Description     string         `json:"description"`
	State           ObjectionState `json:"state"`
	ReceivedAt      time.Time      `json:"received_at"`
	// VerifyBy and CorrectBy are nil while pending (DuePending): they
	// reach a year the working-day calendar does not cover.
	VerifyBy         *time.Time `json:"verify_by,omitempty"`
	VerifiedAt       *time.Time `json:"verified_at,omitempty"`
	Finding          string     `json:"finding,omitempty"`
	CorrectBy        *time.Time `json:"correct_by,omitempty"`
	CorrectedAt      *time.Time `json:"corrected_at,omitempty"`
	CorrectedVersion int        `json:"corrected_version,omitempty"`
	Correction       string     `json:"correction,omitempty"`
	DuePending       string     `json:"due_pending,omitempty"`
	Overdue          bool       `json:"overdue"`
	UpdatedAt        time.Time  `json:"updated_at"`
}

// IsOverdue reports whether the objection waits for verification or
// correction past its deadline at now.
func (o *Objection) IsOverdue(now time.Time) bool {
	switch o.State {
	case ObjectionReceived:
		return o.VerifyBy != nil && !now.Before(*o.VerifyBy)
	case ObjectionUpheld:
		return o.CorrectBy != nil && !now.Before(*o.CorrectBy)
	}
	return false
}

func (n *NewObjection) validate(r *Resource) error {
	n.Description = strings.TrimSpace(n.Description)
	if !n.Kind.Valid() {
		return market.Invalid("kind", "invalid_kind", "kind %q: want error, omission, state_secret, trade_secret or privacy", n.Kind)
	}
	if n.Description == "" {
		return market.Invalid("description", "missing_field", "description is required: what is wrong, and where")
	}
	names := r.FieldNames()
	for _, f := range n.Fields {
		found := false
		for _, x := range names {
			found = found || x == f
		}
		if !found {
			return market.Invalid("fields", "unknown_field", "field %q is not a data item of resource %s", f, r.Code)
		}
	}
	return nil
}
