package market

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// Phases of a de-identification job, in order, as JobProgress reports them.
const (
	PhaseRead   = "read"   // decrypting and parsing the dataset
	PhaseSearch = "search" // the lattice search for the optimal transformation
	PhaseCheck  = "check"  // the irreversibility gate (Tianjin Art. 29)
	PhaseWrite  = "write"  // writing and storing the release
)

// JobProgress is how far a running de-identification has come: the phase
// it is in, the fraction of that phase done (0…1; estimated from bytes
// while reading and writing, from lattice nodes while searching), the
// rows read so far and the rows of the dataset (0 when unknown).
type JobProgress struct {
	Phase     string    `json:"phase"`
	Fraction  float64   `json:"fraction"`
	RowsRead  int64     `json:"rows_read"`
	RowsTotal int64     `json:"rows_total"`
	UpdatedAt time.Time `json:"updated_at"`
}

// JobProgressStore keeps the latest progress of each job. The worker
// writes it as the job runs (at most about once a second); the API and
// the pages read it. internal/postgres implements it.
type JobProgressStore interface {
	// SaveJobProgress records p as job id's latest progress. It returns
	// ErrNotFound when there is no such job.
	SaveJobProgress(ctx context.Context, id uuid.UUID, p JobProgress) error
	// JobProgress returns job id's latest progress, or nil when the job
	// has reported none. It does not check who may see the job: read the
	// job first (JobQueue.Job does).
	JobProgress(ctx context.Context, id uuid.UUID) (*JobProgress, error)
}
