package web

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/market"
)

// errTooLarge is returned by the upload reader past the size limit.
var errTooLarge = errors.New("upload too large")

// cappedReader returns errTooLarge once more than max bytes were read.
type cappedReader struct {
	r         io.Reader
	max, read int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += int64(n)
	if c.read > c.max {
		return 0, errTooLarge
	}
	return n, err
}

// uploadDataset stores an uploaded table as POST /v1/datasets does: the
// file streamed into the encrypted blob store, read as a table, PII
// detection run, the dataset row stored. The form posts the CSRF token
// first: without JavaScript the multipart body carries it as its first
// field (the API's middleware reads it only from URL-encoded forms, so the
// page checks it here); the progress-bar script sends it as a header.
func (h *Handler) uploadDataset(rc *reqCtx) error {
	rc.r.Body = http.MaxBytesReader(rc.w, rc.r.Body, h.deps.MaxUpload+1<<20)
	rctl := http.NewResponseController(rc.w)
	_ = rctl.SetReadDeadline(time.Now().Add(2 * time.Hour))
	_ = rctl.SetWriteDeadline(time.Now().Add(2*time.Hour + time.Minute))
	mt, _, err := mime.ParseMediaType(rc.r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		return market.Invalid("file", "missing_file", "upload the dataset as multipart/form-data")
	}
	mr, err := rc.r.MultipartReader()
	if err != nil {
		return market.Invalid("file", "missing_file", "the body is not a valid multipart form")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return h.uploadFailed(rc, market.Invalid("file", "missing_file", "file: the form has no file"))
		}
		if err != nil {
			return h.uploadFailed(rc, uploadErr(err))
		}
		switch part.FormName() {
		case httpapi.CSRFField:
			tok, _ := io.ReadAll(io.LimitReader(part, 256))
			if err := h.multipartActor(rc, string(tok)); err != nil {
				return err
			}
		case "file":
			a, err := rc.require(market.RoleSeller)
			if err != nil {
				return err
			}
			name := strings.TrimSpace(part.FileName())
			if name == "" {
				return h.uploadFailed(rc, market.Invalid("file", "missing_file", "file: choose a file"))
			}
			return h.storeUpload(rc, a, name, part)
		}
		part.Close()
	}
}

// multipartActor authenticates a multipart form by its session cookie and
// the CSRF token of its csrf_token field (when the API's middleware did not
// already, from the X-CSRF-Token header).
func (h *Handler) multipartActor(rc *reqCtx, token string) error {
	if _, ok := rc.actor(); ok {
		return nil
	}
	ck, err := rc.r.Cookie(httpapi.SessionCookie)
	if err != nil {
		return errLogin
	}
	a, err := h.deps.Accounts.AuthenticateSession(rc.r.Context(), ck.Value)
	if err != nil || !a.CheckCSRF(token) {
		return errLogin
	}
	rc.who = &a
	return nil
}

func (h *Handler) storeUpload(rc *reqCtx, a market.Actor, name string, part io.Reader) error {
	ctx := rc.r.Context()
	ref, info, err := jobs.StoreUpload(ctx, h.deps.Blobs, name, &cappedReader{r: part, max: h.deps.MaxUpload})
	keep := false
	defer func() {
		if !keep && ref.Created {
			h.dropBlob(context.WithoutCancel(ctx), ref.SHA256)
		}
	}()
	if err != nil {
		var me *market.Error
		if !errors.As(err, &me) {
			err = uploadErr(err)
		}
		return h.uploadFailed(rc, err)
	}
	d := &market.Dataset{ID: market.NewID(), PartyID: a.PartyID, UploadedBy: a.UserID, Name: name,
		Format: string(info.Format), SHA256: ref.SHA256, SizeBytes: ref.Size, Rows: info.Rows, Columns: info.Columns,
		Detection: info.Detection, CreatedAt: h.now()}
	// Shaanxi Art. 36(3): the sampled values are scanned with the content
	// signatures in force; only the counts are stored.
	rs, err := h.deps.Stores.RuleSets.CurrentRuleSet(ctx)
	if err != nil {
		return err
	}
	d.ContentScan = info.ScanContent(rs)
	if err := h.deps.Stores.Datasets.CreateDataset(ctx, d); err != nil {
		return err
	}
	keep = true
	return rc.redirect(Prefix + "/seller/datasets/" + d.ID.String() + "?notice=uploaded")
}

// uploadFailed shows the seller's desk again with the problem next to the
// file field; an error that is not about the input fails the page.
func (h *Handler) uploadFailed(rc *reqCtx, err error) error {
	fe, ok := rc.fieldErrors(err)
	if !ok {
		return err
	}
	if msg, ok := fe["_form"]; ok {
		fe = map[string]string{"file": msg}
	}
	return h.renderSellerHome(rc, http.StatusBadRequest, fe)
}

// uploadErr maps a failed upload read: past the limit, or cut short.
func uploadErr(err error) error {
	var mbe *http.MaxBytesError
	if errors.Is(err, errTooLarge) || errors.As(err, &mbe) {
		return market.Invalid("file", "upload_too_large", "the dataset is larger than the upload limit")
	}
	return market.Invalid("file", "upload_interrupted", "the upload was interrupted; nothing was stored")
}

// dropBlob deletes the blob of a failed upload unless a stored dataset or
// artifact has the same content.
func (h *Handler) dropBlob(ctx context.Context, sum string) {
	used, err := h.deps.Stores.Datasets.DatasetBlobInUse(ctx, sum)
	if err == nil && !used {
		err = h.deps.Blobs.Delete(sum)
	}
	if err != nil {
		h.log.Error("web: remove the blob of a failed upload", "sha256", sum, "error", err.Error())
	}
}
