// Package jobs runs Shujiao's background work on River
// (github.com/riverqueue/river) over the server's PostgreSQL: the
// de-identification of datasets and the sealing of order deliveries. Every
// `shujiao serve` runs a River client; River hands each job to one of them.
//
// A de-identification job is a row of the jobs table (what its owner sees:
// stage, progress, result or error) and a River job that runs it, inserted
// in one transaction. The worker persists the stage and progress as it
// goes and records the outcome: the released artifact and its signed
// certificate when the irreversibility gate (Tianjin Art. 29) passes, the
// gate's reasons when it refuses, or the error. A sealing job seals an
// order's delivery (internal/delivery) and, when the delivery cannot be
// sealed, refunds the buyer.
//
// River gives each kind of job its uniqueness (one River job per
// de-identification job, one queued seal per order), retries with
// exponential backoff, cancellation and a graceful stop: Stop lets running
// jobs finish for a while and then cancels them; an interrupted job goes
// back to the queue without counting the attempt and leaves no release
// behind. A job whose server was killed is rescued by River's rescuer
// after Config.RescueAfter and run again, or failed once its attempts are
// spent.
package jobs
