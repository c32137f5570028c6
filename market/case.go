package market

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// CaseStatus is where a regulator case stands.
type CaseStatus string

// Case statuses: open → correction_ordered | penalty | dismissed;
// correction_ordered → penalty | dismissed; penalty → dismissed.
const (
	// CaseOpen: opened from flags, under investigation.
	CaseOpen CaseStatus = "open"
	// CaseCorrectionOrdered: the party was ordered to correct (责令改正).
	CaseCorrectionOrdered CaseStatus = "correction_ordered"
	// CaseAtPenalty: the regulator proceeds to a penalty (Shaanxi Art. 74, 75).
	CaseAtPenalty CaseStatus = "penalty"
	// CaseDismissed: closed without penalty, with a reason.
	CaseDismissed CaseStatus = "dismissed"
)

// Valid reports whether s is a case status.
func (s CaseStatus) Valid() bool {
	switch s {
	case CaseOpen, CaseCorrectionOrdered, CaseAtPenalty, CaseDismissed:
		return true
	}
	return false
}

// Case is a regulator's case against one party, opened from one or more
// of its flags. Notes, decisions, the correction order and the penalties
// computed are recorded with it, each also in the ledger.
type Case struct {
	ID uuid.UUID `json:"id"`
	// PartyID is the party concerned (当事人): the party of every flag.
	PartyID PartyID `json:"party_id"`
	// AuthorityPartyID is the regulator's party (the bureau) that opened it.
	AuthorityPartyID PartyID    `json:"authority_party_id"`
	OpenedBy         UserID     `json:"opened_by"`
	Title            string     `json:"title"`
	Status           CaseStatus `json:"status"`
	// Articles are the articles cited by the case's flags, sorted.
	Articles  []string       `json:"articles"`
	Flags     []Flag         `json:"flags"`
	Notes     []CaseNote     `json:"notes"`
	Decisions []CaseDecision `json:"decisions"`
	// Correction is the correction order, once one was decided.
	Correction *CorrectionOrder `json:"correction_order"`
	// Penalty is the latest penalty computed, once one was.
	Penalty   *CasePenalty `json:"penalty"`
	CreatedAt time.Time    `json:"created_at"`
	UpdatedAt time.Time    `json:"updated_at"`
}

// CaseSummary is a case as listed: without its flags' evidence and history.
type CaseSummary struct {
	ID        uuid.UUID   `json:"id"`
	PartyID   PartyID     `json:"party_id"`
	Title     string      `json:"title"`
	Status    CaseStatus  `json:"status"`
	Articles  []string    `json:"articles"`
	FlagIDs   []uuid.UUID `json:"flag_ids"`
	CreatedAt time.Time   `json:"created_at"`
	UpdatedAt time.Time   `json:"updated_at"`
}

// CaseFilter selects cases for the regulator (GET /v1/regulator/cases).
// Zero fields do not filter.
type CaseFilter struct {
	Status  CaseStatus
	PartyID PartyID
	// Limit caps the result (default 100, at most 1000); Offset skips.
	Limit, Offset int
}

// CaseNote is a regulator's note on a case, with an optional document
// filed with it (a record of inquiry, an inspection report…), referred to
// by its SHA-256.
type CaseNote struct {
	ID        uuid.UUID     `json:"id"`
	Author    UserID        `json:"author"`
	Text      string        `json:"text"`
	Document  *NoteDocument `json:"document,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
}

// NoteDocument describes a document filed with a note.
type NoteDocument struct {
	Title     string `json:"title"`
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type,omitempty"`
}

// OpenCaseRequest opens a case from flags (POST /v1/regulator/cases).
type OpenCaseRequest struct {
	FlagIDs []uuid.UUID `json:"flag_ids"`
	// Title names the case; default: the first flag's summary.
	Title string `json:"title"`
	// Note is an optional first note.
	Note string `json:"note"`
}

// NoteRequest adds a note (POST /v1/regulator/cases/{id}/notes).
type NoteRequest struct {
	Text     string        `json:"text"`
	Document *NoteDocument `json:"document"`
}

// CasePenalty is one penalty computation of a case: the case file given to
// ComputePenalty (the JSON `shujiao penalty` reads), its result, and where
// the figures came from (which flag recorded which trade, how the
// correction order set "corrected").
type CasePenalty struct {
	ID         uuid.UUID       `json:"id"`
	Input      json.RawMessage `json:"input"`
	Result     PenaltyResult   `json:"result"`
	Basis      []string        `json:"basis"`
	ComputedBy UserID          `json:"computed_by"`
	ComputedAt time.Time       `json:"computed_at"`
}
