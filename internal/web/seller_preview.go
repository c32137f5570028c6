package web

import (
	"bytes"
	"io"

	"github.com/shujiao/shujiao/anonymizer"
)

// previewRows is how many rows the preview shows side by side.
const previewRows = 10

// previewView is the first rows of the input and the same rows as
// released, so a seller sees what a buyer will get before listing.
type previewView struct {
	InHeader, OutHeader []string
	Rows                []previewRow
}

// previewRow is one input row and its released form; Suppressed marks a
// release row whose quasi-identifiers are all "*".
type previewRow struct {
	N          int
	In, Out    []string
	Suppressed bool
}

// preview reads the head of the raw file (raw, from the certificate, names
// the blob) and pairs its rows with the release's. It shows nothing when
// the release dropped its suppressed rows (the rows no longer line up) or
// the raw file cannot be read.
func (h *Handler) preview(raw anonymizer.FileDigest, release *anonymizer.Table, rep *anonymizer.Report) *previewView {
	if release == nil || rep == nil || rep.DropSuppressed || h.deps.Blobs == nil {
		return nil
	}
	in := h.readHead(raw.SHA256, raw.Name, raw.Bytes)
	if in == nil || rep.RowsIn != rep.RowsOut || release.Rows() != rep.RowsOut {
		return nil
	}
	var qcols []*anonymizer.Column
	for _, q := range rep.QuasiIdentifiers {
		if c := release.Column(q); c != nil {
			qcols = append(qcols, c)
		}
	}
	p := &previewView{InHeader: in.Header(), OutHeader: release.Header()}
	for r := 0; r < previewRows && r < in.Rows() && r < release.Rows(); r++ {
		sup := len(qcols) > 0
		for _, c := range qcols {
			sup = sup && c.Value(r) == anonymizer.Suppressed
		}
		p.Rows = append(p.Rows, previewRow{N: r + 1, In: in.Row(r), Out: release.Row(r), Suppressed: sup})
	}
	return p
}

// readHead reads a blob as a table: whole when small, else (text formats)
// its first samplePrefix bytes cut at a line end.
func (h *Handler) readHead(sha, name string, size int64) *anonymizer.Table {
	rc, err := h.deps.Blobs.Open(sha)
	if err != nil {
		return nil
	}
	defer rc.Close()
	var src io.Reader = rc
	if size > sampleFullLimit {
		buf, err := io.ReadAll(io.LimitReader(rc, samplePrefix))
		if err != nil {
			return nil
		}
		if i := bytes.LastIndexByte(buf, '\n'); i > 0 {
			buf = buf[:i+1]
		}
		src = bytes.NewReader(buf)
	}
	t, _, err := anonymizer.ReadTable(src, name, anonymizer.ReadOptions{})
	if err != nil {
		return nil
	}
	return t
}
