package jobs

import (
	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// River queues: de-identification is long and heavy, sealing short and
// frequent; each has its own workers so that one does not starve the other.
const (
	QueueDeidentify = "deidentify"
	QueueDelivery   = "delivery"
)

// DeidentifyArgs is the River job that runs de-identification job JobID
// (a row of the jobs table). It is unique by its arguments: one River job
// per de-identification job, ever.
type DeidentifyArgs struct {
	JobID uuid.UUID `json:"job_id"`
}

// Kind names the job kind in River.
func (DeidentifyArgs) Kind() string { return "deidentify" }

// InsertOpts puts it on its queue, unique by job id.
func (DeidentifyArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDeidentify, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// SealArgs is the River job that seals order OrderID's delivery for the
// buyer's current key. It is unique by order while it waits or runs: asking
// again for a delivery being sealed queues nothing more; once sealed, a
// new seal may be queued (the buyer replaced their key).
type SealArgs struct {
	OrderID uuid.UUID `json:"order_id"`
}

// Kind names the job kind in River.
func (SealArgs) Kind() string { return "seal_delivery" }

// sealUniqueStates are the states in which a seal of the same order is not
// queued again (River requires the first four).
var sealUniqueStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
	rivertype.JobStateScheduled, rivertype.JobStateRetryable}

// InsertOpts puts it on the delivery queue, unique by order while pending.
func (SealArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueDelivery, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: sealUniqueStates}}
}
