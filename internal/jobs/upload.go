package jobs

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/market"
)

// StoreUpload streams an uploaded dataset into the blob store and, in the
// same pass, counts its rows, checks every row and keeps a bounded sample
// on which PII detection runs (anonymizer.ProfileTable): the server's
// memory for an upload is the sample (a few MB) and the buffers, whatever
// the file's size, so parallel uploads do not add up to their files; and
// at most ProfileSlots uploads and rescans run at once (SetProfileBudget),
// the others waiting for a slot until their request ends.
// Parquet, whose schema and row count are at its end, is stored first and
// then profiled from the stored blob at random (its footer and the pages
// of the sampled rows). An XLSX workbook is spooled to a temporary file
// by the profiler and its sheet streamed row by row, in the same bound.
//
// Reading body stops when ctx ends (the client went away): the error is
// ctx's, and the blob store keeps no temporary file. A file that is not
// a readable table is an ErrInvalid *market.Error (code unreadable_table)
// naming the line and column at fault; any other error is the body's or
// the store's, wrapped. The returned Ref is set whenever the blob was
// stored, also with an error: the caller removes what it does not keep.
func StoreUpload(ctx context.Context, blobs *blob.Store, name string, body io.Reader) (blob.Ref, Info, error) {
	release, err := slots.acquire(ctx) // profile_slots.go: within the server's budget
	if err != nil {
		return blob.Ref{}, Info{}, err
	}
	defer release()
	br := bufio.NewReaderSize(&ctxReader{ctx: ctx, r: body}, 64<<10)
	format := anonymizer.FormatFromPath(name)
	if format == "" {
		if head, _ := br.Peek(4); string(head) == "PAR1" {
			format = anonymizer.FormatParquet
		}
	}
	if format == anonymizer.FormatParquet {
		return storeParquet(ctx, blobs, name, br)
	}
	pr, pw := io.Pipe()
	type result struct {
		p   *anonymizer.Profile
		err error
	}
	done := make(chan result, 1)
	go func() {
		p, err := anonymizer.ProfileTable(ctx, pr, name, anonymizer.ProfileOptions{Format: format, Unpredictable: true})
		if err == nil {
			_, err = io.Copy(io.Discard, pr) // an XLSX reader may stop before the end
		}
		pr.CloseWithError(errProfiled(err))
		done <- result{p, err}
	}()
	ref, err := blobs.Put(io.TeeReader(br, pw))
	pw.CloseWithError(err)
	res := <-done
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ref, Info{}, ctxErr
	}
	var bodyErr *profiledError
	if err != nil && !errors.As(err, &bodyErr) {
		return ref, Info{}, err // the body or the store failed: the profiler only saw that
	}
	if res.err != nil {
		return ref, Info{}, unreadable(res.err)
	}
	info, err := infoOf(res.p)
	return ref, info, err
}

// storeParquet stores a Parquet upload, then profiles the stored blob.
func storeParquet(ctx context.Context, blobs *blob.Store, name string, body io.Reader) (blob.Ref, Info, error) {
	ref, err := blobs.Put(body)
	if err != nil {
		return ref, Info{}, err
	}
	rc, err := blobs.OpenReader(ref.SHA256, true)
	if err != nil {
		return ref, Info{}, fmt.Errorf("inspect upload: %w", err)
	}
	defer rc.Close()
	p, err := anonymizer.ProfileTable(ctx, rc, name, anonymizer.ProfileOptions{Format: anonymizer.FormatParquet, Unpredictable: true})
	if errors.Is(err, blob.ErrCorrupt) || ctx.Err() != nil {
		return ref, Info{}, fmt.Errorf("inspect upload: %w", errors.Join(err, ctx.Err()))
	}
	if err != nil {
		return ref, Info{}, unreadable(err)
	}
	info, err := infoOf(p)
	return ref, info, err
}

// unreadable is the problem of a file that is not a readable table.
func unreadable(err error) error {
	return market.Invalid("file", "unreadable_table", "file: %s", err.Error())
}

// infoOf runs detection on a profile's sample and profiles its values
// for the content signatures.
func infoOf(p *anonymizer.Profile) (Info, error) {
	d := anonymizer.Detect(p.Sample, anonymizer.DetectOptions{MaxRows: detectRows})
	det, err := json.Marshal(d)
	if err != nil {
		return Info{}, fmt.Errorf("inspect upload: %w", err)
	}
	return Info{Format: p.Format, Rows: p.Rows, Columns: p.Columns, Detection: det,
		Content: ContentProfile(p.Sample, d), SampleRows: int64(p.Sample.Rows())}, nil
}

// profiledError is what the upload's copy sees when the profiler stopped
// reading: the table is unreadable, and the profiler's error says why.
type profiledError struct{ err error }

func (e *profiledError) Error() string { return "the upload is not a readable table: " + e.err.Error() }

// errProfiled is the error the pipe gives the copy once the profiler
// returned: nil (EOF) when it read everything.
func errProfiled(err error) error {
	if err == nil {
		return nil
	}
	return &profiledError{err}
}

// ctxReader stops reading when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
