package market

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// JobStatus is where a background de-identification job stands.
type JobStatus string

// Job statuses: queued → running → succeeded | rejected | failed. A job
// whose worker died while running is queued again (resumed) or, once its
// attempts are spent, failed; it never stays running.
const (
	JobQueued  JobStatus = "queued"
	JobRunning JobStatus = "running"
	// JobSucceeded: the release passed the irreversibility gate (Tianjin
	// Art. 29); the job names the released artifact and its certificate.
	JobSucceeded JobStatus = "succeeded"
	// JobRejected: the irreversibility gate refused the release; the job
	// carries the gate's reasons.
	JobRejected JobStatus = "rejected"
	// JobFailed: the job could not run to its end (bad policy, unreadable
	// dataset, worker lost too often).
	JobFailed JobStatus = "failed"
)

// Terminal reports whether a job in status s is finished for good.
func (s JobStatus) Terminal() bool {
	return s == JobSucceeded || s == JobRejected || s == JobFailed
}

// Release modes of the irreversibility gate (GB/T 42460-2023 Annex D).
const (
	ModePublic    = "public"
	ModeAgreement = "agreement"
	ModeEnclave   = "enclave"
)

// ValidMode reports whether m is a release mode of the irreversibility gate.
func ValidMode(m string) bool {
	return m == ModePublic || m == ModeAgreement || m == ModeEnclave
}

// Job is a background de-identification of a dataset under a policy: it
// reads the dataset, anonymizes it, runs the irreversibility gate and, when
// the gate passes, stores the release and a signed certificate. Progress
// is persisted so that every server sees it and a restart resumes it.
type Job struct {
	ID        uuid.UUID `json:"id"`
	PartyID   PartyID   `json:"party_id"`
	DatasetID uuid.UUID `json:"dataset_id"`
	CreatedBy UserID    `json:"created_by"`
	// Policy is the anonymizer.Policy JSON the job runs.
	Policy json.RawMessage `json:"policy"`
	// Mode is the release mode the gate judges risk for: public, agreement, enclave.
	Mode        string    `json:"mode"`
	Status      JobStatus `json:"status"`
	Stage       string    `json:"stage"`
	Progress    float64   `json:"progress"`
	Attempts    int       `json:"attempts"`
	MaxAttempts int       `json:"max_attempts"`
	// ArtifactID and CertificateID are set when the job succeeded.
	ArtifactID    *uuid.UUID `json:"artifact_id"`
	CertificateID *uuid.UUID `json:"certificate_id"`
	// Gate is the irreversibility gate's result (its reasons when it refused).
	Gate json.RawMessage `json:"gate,omitempty"`
	// Report is the anonymizer's report of the release.
	Report     json.RawMessage `json:"report,omitempty"`
	Error      string          `json:"error,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
	StartedAt  *time.Time      `json:"started_at"`
	FinishedAt *time.Time      `json:"finished_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
}
