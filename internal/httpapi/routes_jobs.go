package httpapi

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// jobRoutes registers de-identification jobs and certificates.
func (s *Server) jobRoutes(g v1Groups) {
	g.Authed.POST("/datasets/:id/deidentify", requireRole(market.RoleSeller), s.deidentify)
	g.Authed.GET("/jobs/:id", s.getJob)
	g.Authed.POST("/jobs/:id/cancel", requireRole(market.RoleSeller), s.cancelJob)
	g.Authed.GET("/certificates/:id", s.getCertificate)
	g.Authed.GET("/certificates/:id/body", s.getCertificateBody)
	g.Authed.GET("/certificates/:id/signature", s.getCertificateSignature)
	s.artifactRoutes(g)
}

// deidentifyRequest is the body of POST /v1/datasets/{id}/deidentify.
type deidentifyRequest struct {
	Policy *anonymizer.Policy `json:"policy"`
	// Mode is the release mode the irreversibility gate judges: public
	// (default), agreement or enclave.
	Mode string `json:"mode"`
}

// jobView is a job as the API shows it.
type jobView struct {
	ID        uuid.UUID        `json:"id"`
	DatasetID uuid.UUID        `json:"dataset_id"`
	Status    market.JobStatus `json:"status"`
	Stage     string           `json:"stage"`
	Progress  float64          `json:"progress"`
	// Detail is the phase, the fraction of the phase and the rows read,
	// as the worker last reported them (about once a second).
	Detail     *market.JobProgress `json:"progress_detail,omitempty"`
	Attempts   int                 `json:"attempts"`
	Mode       string              `json:"mode"`
	Policy     json.RawMessage     `json:"policy"`
	Result     *jobResult          `json:"result"`
	Gate       json.RawMessage     `json:"gate,omitempty"`
	Error      string              `json:"error,omitempty"`
	CreatedAt  time.Time           `json:"created_at"`
	StartedAt  *time.Time          `json:"started_at"`
	FinishedAt *time.Time          `json:"finished_at"`
}

// jobResult names what a successful job produced.
type jobResult struct {
	ArtifactID    *uuid.UUID `json:"artifact_id"`
	CertificateID *uuid.UUID `json:"certificate_id"`
}

func viewJob(j *market.Job) jobView {
	v := jobView{ID: j.ID, DatasetID: j.DatasetID, Status: j.Status, Stage: j.Stage, Progress: j.Progress,
		Attempts: j.Attempts, Mode: j.Mode, Policy: j.Policy, Gate: j.Gate, Error: j.Error,
		CreatedAt: j.CreatedAt, StartedAt: j.StartedAt, FinishedAt: j.FinishedAt}
	if j.Status == market.JobSucceeded {
		v.Result = &jobResult{ArtifactID: j.ArtifactID, CertificateID: j.CertificateID}
	}
	return v
}

// deidentify queues a de-identification job of the caller's own dataset.
func (s *Server) deidentify(c *gin.Context) {
	svc := s.svc.Listings
	ctx := c.Request.Context()
	a := actor(c)
	id, err := pathID(c, "dataset")
	if err != nil {
		s.fail(c, err)
		return
	}
	var req deidentifyRequest
	if !s.bindJSON(c, &req) {
		return
	}
	ds, err := s.uc.datasets.Get(ctx, a, id)
	if err == nil {
		err = a.RequireOwnParty(ds.PartyID)
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if req.Mode == "" {
		req.Mode = market.ModePublic
	}
	if !market.ValidMode(req.Mode) {
		s.fail(c, market.Invalid("mode", "invalid_enum", "mode: %q, want public, agreement or enclave", req.Mode))
		return
	}
	if req.Policy == nil {
		s.fail(c, market.Invalid("policy", "missing", "policy: missing; send the anonymizer policy (column roles, k, l, t, suppression)"))
		return
	}
	if err := jobs.CheckPolicy(req.Policy, ds.Columns); err != nil {
		s.fail(c, err)
		return
	}
	policy, _ := json.Marshal(req.Policy)
	j := &market.Job{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, CreatedBy: a.UserID,
		Policy: policy, Mode: req.Mode, CreatedAt: svc.now()}
	queue := s.svc.Stores.Jobs.CreateJob
	if svc.Jobs != nil {
		queue = svc.Jobs.QueueJob
	}
	if err := queue(ctx, j); err != nil {
		s.fail(c, err)
		return
	}
	c.Header("Location", "/v1/jobs/"+j.ID.String())
	writeJSON(c, http.StatusAccepted, viewJob(j))
}

func (s *Server) getJob(c *gin.Context) {
	id, err := pathID(c, "job")
	if err == nil {
		var j *market.Job
		j, err = s.uc.jobs.Get(c.Request.Context(), actor(c), id)
		if err == nil {
			v := viewJob(j)
			if v.Detail, err = s.jobProgress(c.Request.Context(), j.ID); err == nil {
				writeJSON(c, http.StatusOK, v)
				return
			}
		}
	}
	s.fail(c, err)
}

// certificateView is a certificate with its signed document and signature.
type certificateView struct {
	*market.Certificate
	// Document is the signed certificate JSON; verify the signature over
	// the exact bytes of GET /v1/certificates/{id}/body.
	Document  json.RawMessage `json:"certificate"`
	Signature string          `json:"signature"`
}

func (s *Server) certificate(c *gin.Context) (*market.Certificate, bool) {
	id, err := pathID(c, "certificate")
	if err == nil {
		var cert *market.Certificate
		cert, err = s.uc.datasets.Certificate(c.Request.Context(), actor(c), id)
		if err == nil {
			return cert, true
		}
	}
	s.fail(c, err)
	return nil, false
}

func (s *Server) getCertificate(c *gin.Context) {
	if cert, ok := s.certificate(c); ok {
		writeJSON(c, http.StatusOK, certificateView{Certificate: cert, Document: cert.Body, Signature: cert.Signature})
	}
}

// getCertificateBody answers with the exact signed bytes of the certificate.
func (s *Server) getCertificateBody(c *gin.Context) {
	if cert, ok := s.certificate(c); ok {
		c.Data(http.StatusOK, "application/json", cert.Body)
	}
}

// getCertificateSignature answers with the armored detached signature.
func (s *Server) getCertificateSignature(c *gin.Context) {
	if cert, ok := s.certificate(c); ok {
		c.Data(http.StatusOK, "application/pgp-signature", []byte(cert.Signature))
	}
}
