// Package jobs runs Shujiao's background de-identification jobs: a pool of
// workers inside `shujiao serve` claims queued jobs from PostgreSQL, leases
// each to one worker, persists its stage and progress as it goes, and
// records its outcome — the released artifact and its signed certificate
// when the irreversibility gate (Tianjin Art. 29) passes, the gate's
// reasons when it refuses, or the error.
//
// A job is never stuck "running": a worker renews its lease while it works;
// when a server stops cleanly it hands its jobs back to the queue, and when
// it crashes the lease expires and any server's reaper (run on start and
// then periodically) queues the job again, or fails it once its attempts
// are spent.
package jobs
