package market

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Dataset is a raw table a seller uploaded: its file is kept encrypted in
// the content-addressed blob store under its SHA-256, and detection's
// findings propose each column's role for de-identification.
type Dataset struct {
	ID         uuid.UUID `json:"id"`
	PartyID    PartyID   `json:"party_id"`
	UploadedBy UserID    `json:"uploaded_by"`
	Name       string    `json:"name"`
	Format     string    `json:"format"`
	SHA256     string    `json:"sha256"`
	SizeBytes  int64     `json:"size_bytes"`
	Rows       int64     `json:"rows"`
	Columns    []string  `json:"columns"`
	// Detection is the anonymizer's detection report: identifier types per
	// column and the proposed roles with their confidence.
	Detection json.RawMessage `json:"detection"`
	// ContentScan is what the content signatures' value patterns found in
	// the sampled values at upload: counts per column, never a value; nil
	// for a dataset uploaded before values were scanned.
	ContentScan *ContentScan `json:"content_scan,omitempty"`
	CreatedAt   time.Time    `json:"created_at"`
}

// Artifact is a released (de-identified) file a job produced, kept in the
// blob store, with the anonymizer's report.
type Artifact struct {
	ID        uuid.UUID       `json:"id"`
	PartyID   PartyID         `json:"party_id"`
	DatasetID uuid.UUID       `json:"dataset_id"`
	JobID     uuid.UUID       `json:"job_id"`
	Name      string          `json:"name"`
	Format    string          `json:"format"`
	SHA256    string          `json:"sha256"`
	SizeBytes int64           `json:"size_bytes"`
	Report    json.RawMessage `json:"report"`
	CreatedAt time.Time       `json:"created_at"`
}

// Certificate is a signed de-identification certificate (Tianjin Art. 29):
// Body is the exact certificate JSON that Signature (an armored detached
// OpenPGP signature by the platform key) signs.
type Certificate struct {
	ID         uuid.UUID `json:"id"`
	PartyID    PartyID   `json:"party_id"`
	DatasetID  uuid.UUID `json:"dataset_id"`
	ArtifactID uuid.UUID `json:"artifact_id"`
	Body       []byte    `json:"-"`
	Signature  string    `json:"-"`
	Passed     bool      `json:"passed"`
	Level      string    `json:"level"`
	CreatedAt  time.Time `json:"created_at"`
}

// Gate returns the certificate's record as the Art. 36 gate reads it. It
// is not proof and counts for nothing there (Tianjin Art. 29): use
// CertificateOnRecord, which checks the signed body against the listed
// artifact.
func (c *Certificate) Gate() *CertificateGate {
	return &CertificateGate{Passed: c.Passed, Level: c.Level}
}
