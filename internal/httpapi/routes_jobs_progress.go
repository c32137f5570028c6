package httpapi

import (
	"context"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// jobProgress is the latest progress job id reported, or nil (none yet,
// or no progress store wired). The caller has read the job as the actor,
// which checked that the actor may see it.
func (s *Server) jobProgress(ctx context.Context, id uuid.UUID) (*market.JobProgress, error) {
	if s.svc.Stores.JobProgress == nil {
		return nil, nil
	}
	return s.svc.Stores.JobProgress.JobProgress(ctx, id)
}
