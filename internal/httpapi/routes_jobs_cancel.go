package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// JobCanceller cancels a de-identification job on River
// (jobs.Client.CancelJob).
type JobCanceller interface {
	CancelJob(ctx context.Context, id uuid.UUID) error
}

// cancelJob cancels a job of the caller's own party (a seller): a queued
// job never runs, a running one is stopped; either ends failed,
// "cancelled". It answers 202 with the job as it stands (its status
// changes once River has stopped it), 409 job_finished for a job that
// already ended.
func (s *Server) cancelJob(c *gin.Context) {
	ctx := c.Request.Context()
	a := actor(c)
	id, err := pathID(c, "job")
	if err != nil {
		s.fail(c, err)
		return
	}
	_, err = s.uc.jobs.Cancellable(ctx, a, id)
	canceller, ok := s.svc.Listings.Jobs.(JobCanceller)
	if err == nil && !ok {
		err = market.Errorf(market.ErrConflict, "job_queue_unavailable", "this server runs no job queue")
	}
	if err == nil {
		err = canceller.CancelJob(ctx, id)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	j, err := s.uc.jobs.Get(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusAccepted, viewJob(j))
}
