package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// DefaultMaxUpload is the default size limit of a dataset upload: 2 GiB.
const DefaultMaxUpload int64 = 2 << 30

// ListingServices are what the dataset, job, certificate, listing,
// catalog and rule-set routes need.
type ListingServices struct {
	Blobs *blob.Store
	// Jobs queues de-identification jobs on River (jobs.Client); nil: a
	// job is only stored, queued for no runner (tests of the queue itself).
	Jobs JobQueue
	// MaxUpload limits a dataset file (default DefaultMaxUpload).
	MaxUpload int64
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (l *ListingServices) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

func (l *ListingServices) maxUpload() int64 {
	if l.MaxUpload > 0 {
		return l.MaxUpload
	}
	return DefaultMaxUpload
}

// listingRoutes registers the routes of datasets, de-identification jobs,
// certificates, listings, the catalog and the rule set.
func (s *Server) listingRoutes(g v1Groups) {
	if s.svc.Listings == nil {
		s.svc.Listings = &ListingServices{}
	}
	// the multipart envelope around the file may add a little
	s.setBodyLimit("/v1/datasets", s.svc.Listings.maxUpload()+1<<20)
	g.Authed.POST("/datasets", requireRole(market.RoleSeller), s.uploadDataset)
	g.Authed.GET("/datasets", s.listDatasets)
	g.Authed.GET("/datasets/:id", s.getDataset)
	g.Authed.POST("/datasets/:id/scan", requireRole(market.RoleSeller), s.rescanDataset) // routes_datasets_scan.go
	s.jobRoutes(g)
	s.listingResourceRoutes(g)
	s.catalogRoutes(g)
	s.ruleSetRoutes(g)
}

// pathID parses the :id path parameter; a malformed one is 404, as an ID
// that names nothing.
func pathID(c *gin.Context, what string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param("id"))
	if err != nil {
		return uuid.Nil, market.Errorf(market.ErrNotFound, what+"_not_found", "no %s %q", what, c.Param("id"))
	}
	return id, nil
}

// pathTypedID is pathID as the entity's ID type (market.QuoteID, …).
func pathTypedID[T ~[16]byte](c *gin.Context, what string) (T, error) {
	id, err := pathID(c, what)
	return T(id), err
}

// errTooLarge is returned by the upload reader past the size limit.
var errTooLarge = errors.New("upload too large")

// cappedReader returns errTooLarge once more than max bytes were read.
type cappedReader struct {
	r    io.Reader
	max  int64
	read int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	if c.read > c.max {
		return 0, errTooLarge
	}
	return n, err
}

// uploadDataset streams the "file" part of a multipart body into the
// encrypted blob store while counting its rows and sampling it for
// detection in the same pass (jobs.StoreUpload: bounded memory), and
// stores the dataset. A failed or interrupted upload, or a client that
// goes away, leaves no row and no file.
func (s *Server) uploadDataset(c *gin.Context) {
	svc := s.svc.Listings
	a := actor(c)
	// A large upload may take longer than the server's read and write timeouts.
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetReadDeadline(time.Now().Add(2 * time.Hour))
	_ = rc.SetWriteDeadline(time.Now().Add(2*time.Hour + time.Minute))
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		s.fail(c, &httpError{http.StatusUnsupportedMediaType, "unsupported_media_type", "upload the dataset as multipart/form-data with a part named file"})
		return
	}
	mr, err := c.Request.MultipartReader()
	if err != nil {
		s.fail(c, &httpError{http.StatusBadRequest, "invalid_multipart", "the body is not a valid multipart form"})
		return
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			s.fail(c, market.Invalid("file", "missing_file", "file: the form has no part named file"))
			return
		}
		if err != nil {
			s.fail(c, uploadError(err, svc.maxUpload()))
			return
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		name := strings.TrimSpace(part.FileName())
		if name == "" {
			name = "dataset.csv"
		}
		s.storeUpload(c, a, name, part)
		return
	}
}

func (s *Server) storeUpload(c *gin.Context, a market.Actor, name string, part io.Reader) {
	svc := s.svc.Listings
	ctx := c.Request.Context()
	ref, info, err := jobs.StoreUpload(ctx, svc.Blobs, name, &cappedReader{r: part, max: svc.maxUpload()})
	keep := false
	defer func() {
		if !keep && ref.Created {
			s.dropBlob(context.WithoutCancel(ctx), ref.SHA256)
		}
	}()
	if err != nil {
		var me *market.Error
		if !errors.As(err, &me) {
			err = uploadError(err, svc.maxUpload())
		}
		s.fail(c, err)
		return
	}
	d := &market.Dataset{ID: market.NewID(), PartyID: a.PartyID, UploadedBy: a.UserID, Name: name,
		Format: string(info.Format), SHA256: ref.SHA256, SizeBytes: ref.Size, Rows: info.Rows, Columns: info.Columns,
		Detection: info.Detection, CreatedAt: svc.now()}
	// Shaanxi Art. 36(3): the sampled values are scanned with the content
	// signatures in force; only the counts are stored.
	rs, err := s.svc.Stores.RuleSets.CurrentRuleSet(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	d.ContentScan = info.ScanContent(rs)
	if err := s.svc.Stores.Datasets.CreateDataset(ctx, d); err != nil {
		s.fail(c, err)
		return
	}
	keep = true
	c.Header("Location", "/v1/datasets/"+d.ID.String())
	writeJSON(c, http.StatusCreated, d)
}

// dropBlob deletes the blob of a failed upload unless a stored dataset or
// artifact has the same content.
func (s *Server) dropBlob(ctx context.Context, sum string) {
	svc := s.svc.Listings
	used, err := s.svc.Stores.Datasets.DatasetBlobInUse(ctx, sum)
	if err == nil && !used {
		err = svc.Blobs.Delete(sum)
	}
	if err != nil {
		s.log.Error("datasets: remove the blob of a failed upload", "sha256", sum, "err", err)
	}
}

// uploadError maps a failed upload read to its problem: 413 past the
// limit, 400 for a body cut short.
func uploadError(err error, max int64) error {
	var mbe *http.MaxBytesError
	if errors.Is(err, errTooLarge) || errors.As(err, &mbe) {
		return &httpError{http.StatusRequestEntityTooLarge, "upload_too_large", fmt.Sprintf("the dataset is larger than the limit of %d bytes", max)}
	}
	return &httpError{http.StatusBadRequest, "upload_interrupted", "the upload was interrupted or malformed; nothing was stored"}
}

func (s *Server) listDatasets(c *gin.Context) {
	a := actor(c)
	ds, err := s.svc.Stores.Datasets.Datasets(c.Request.Context(), a.PartyID, 200)
	if err != nil {
		s.fail(c, err)
		return
	}
	if ds == nil {
		ds = []*market.Dataset{}
	}
	writeJSON(c, http.StatusOK, gin.H{"items": ds})
}

func (s *Server) getDataset(c *gin.Context) {
	id, err := pathID(c, "dataset")
	if err == nil {
		var d *market.Dataset
		d, err = s.uc.datasets.Get(c.Request.Context(), actor(c), id)
		if err == nil {
			writeJSON(c, http.StatusOK, d)
			return
		}
	}
	s.fail(c, err)
}

// JobQueue queues a de-identification job: the job's row and the River job
// that runs it, in one transaction (jobs.Client.QueueJob).
type JobQueue interface {
	QueueJob(ctx context.Context, j *market.Job) error
}
