package delivery

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// content is the data file an order delivers, chosen from the certified
// release as the order's plan unit says (market.ScopeOf), and the record
// of what it is. open returns its bytes; size is their length.
type content struct {
	market.DeliveredContent
	size int64
	open func() (io.ReadCloser, error)
	// data holds the bytes when they are in memory (rows chosen, a marked
	// copy); nil for the release itself, read from the blob store.
	data []byte
}

// openData opens the bytes held in memory.
func (c content) openData() (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(c.data)), nil
}

// selectContent chooses what order src.Order delivers from the certified
// release (issue 16: what is paid is what is delivered). A licence or
// months of access deliver the release byte for byte; a rows order
// delivers the header and the first N data rows in release order, written
// in the release's format (UTF-8; CSV with ',' delimiters), held in memory.
// It returns the errors of market.ScopeOf, ErrConflict
// (rows_exceed_release) when the order bought more rows than the release
// holds, or the wrapped read error.
func (s *Service) selectContent(src market.DeliverySource) (content, error) {
	o := src.Order
	scope, err := market.ScopeOf(src.Unit, o.Quantity)
	if err != nil {
		return content{}, err
	}
	name := path.Base(src.ArtifactName)
	c := content{DeliveredContent: market.DeliveredContent{Unit: scope.Unit, Quantity: scope.Quantity, Selection: scope.Selection,
		File: name, SHA256: src.ArtifactSHA, ReleaseSHA256: src.ArtifactSHA}, size: src.ArtifactSize,
		open: func() (io.ReadCloser, error) { return s.blobs.Open(src.ArtifactSHA) }}
	if scope.Selection == market.SelectWholeRelease {
		return c, nil
	}
	rc, err := s.blobs.OpenReader(src.ArtifactSHA, anonymizer.FormatFromPath(name) == anonymizer.FormatParquet)
	if err != nil {
		return content{}, fmt.Errorf("certified artifact %s: %w", src.ArtifactSHA, err)
	}
	defer rc.Close()
	release, format, err := anonymizer.ReadTable(rc, name, anonymizer.ReadOptions{})
	if err != nil {
		return content{}, fmt.Errorf("certified artifact %s: %w", src.ArtifactSHA, err)
	}
	if int64(release.Rows()) < scope.Rows {
		return content{}, market.Errorf(market.ErrConflict, "rows_exceed_release",
			"order %s bought %d rows, and the certified release %s holds %d: it cannot be delivered as paid (it is refunded when its delivery deadline passes)",
			o.ID, scope.Rows, name, release.Rows())
	}
	first, err := firstRows(release, int(scope.Rows))
	if err != nil {
		return content{}, err
	}
	var buf bytes.Buffer
	if err := anonymizer.WriteTable(&buf, first, format, anonymizer.WriteOptions{}); err != nil {
		return content{}, fmt.Errorf("rows of order %s: %w", o.ID, err)
	}
	sum := sha256.Sum256(buf.Bytes())
	rows := scope.Rows
	ext := path.Ext(name)
	c.File = fmt.Sprintf("%s.first-%d-rows%s", strings.TrimSuffix(name, ext), rows, ext)
	c.SHA256, c.RowsDelivered, c.size = hex.EncodeToString(sum[:]), &rows, int64(buf.Len())
	c.data = buf.Bytes()
	c.open = c.openData
	return c, nil
}

// firstRows returns a table of t's header and its first n rows.
func firstRows(t *anonymizer.Table, n int) (*anonymizer.Table, error) {
	out, err := anonymizer.NewTable(t.Source, t.Header())
	if err != nil {
		return nil, err
	}
	for r := 0; r < n; r++ {
		if err := out.AppendRow(t.Row(r), t.Line(r)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
