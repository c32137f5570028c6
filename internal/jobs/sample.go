package jobs

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/market"
)

// SampleRows is how many of a dataset's first rows a sample run
// de-identifies (Sample).
const SampleRows = 2000

// samplePrefix bounds the bytes of a text file read for a sample.
const samplePrefix = 4 << 20

// SampleRun is the de-identification of a dataset's first rows: the rows
// read, their release (suppressed rows kept, "*" in each
// quasi-identifier, so that the rows line up) and the report a full job
// would record — figures of the sample, not of the table.
type SampleRun struct {
	Input, Release *anonymizer.Table
	Report         Report
}

// Sample de-identifies the first rows (at most rows) of ds under policy p,
// checks the release with the irreversibility gate for mode and finds the
// alternatives, in the request: nothing is stored, the pseudonyms use a
// random key that is not kept. It returns anonymizer.ErrNoSolution when no
// transformation satisfies the models on the sample, an error naming the
// dataset when its file cannot be read, and ctx's error when cancelled.
// It is safe for concurrent use.
func Sample(ctx context.Context, blobs *blob.Store, ds *market.Dataset, p *anonymizer.Policy, mode string, rows int) (*SampleRun, error) {
	m, err := anonymizer.ParseMode(mode)
	if err != nil {
		return nil, err
	}
	in, err := readSample(blobs, ds, rows)
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	cfg, specs, err := configFor(p, in, secret)
	if err != nil {
		return nil, err
	}
	hierarchies := cfg.Hierarchies
	if err := p.CapLevels(in, &cfg); err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	cfg.DropSuppressed = false // the preview pairs each input row with its release
	res, err := anonymizer.Anonymize(ctx, in, cfg)
	if err != nil {
		return nil, err
	}
	rep := anonymizer.NewReport(res, cfg, ds.Name, releaseName(ds.Name), specs)
	alts, err := anonymizer.Alternatives(ctx, in, cfg, res, TopAlternatives)
	if err != nil {
		return nil, err
	}
	key := anonymizer.PseudonymKey{Method: anonymizer.MethodHMACSHA256, Secret: secret}
	gate := anonymizer.CheckRelease(in, res.Table, anonymizer.GateOptions{Mode: m, Policy: p, Hierarchies: hierarchies,
		SecretKeys: []string{hex.EncodeToString(secret)}, PseudonymKeys: []anonymizer.PseudonymKey{key}})
	r := newReport(rep, gate)
	r.Alternatives = alts
	return &SampleRun{Input: in, Release: res.Table, Report: r}, nil
}

// readSample reads the first rows of ds: a text file's first samplePrefix
// bytes cut at a line end, an XLSX workbook whole.
func readSample(blobs *blob.Store, ds *market.Dataset, rows int) (*anonymizer.Table, error) {
	rc, err := blobs.Open(ds.SHA256)
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", ds.ID, err)
	}
	defer rc.Close()
	var src io.Reader = rc
	if anonymizer.Format(ds.Format) != anonymizer.FormatXLSX && ds.SizeBytes > samplePrefix {
		buf, err := io.ReadAll(io.LimitReader(rc, samplePrefix))
		if err != nil {
			return nil, fmt.Errorf("dataset %s: %w", ds.ID, err)
		}
		if i := bytes.LastIndexByte(buf, '\n'); i > 0 {
			buf = buf[:i+1]
		}
		src = bytes.NewReader(buf)
	}
	t, _, err := anonymizer.ReadTable(src, ds.Name, anonymizer.ReadOptions{Format: anonymizer.Format(ds.Format)})
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", ds.ID, err)
	}
	if t.Rows() <= rows {
		return t, nil
	}
	head, err := anonymizer.NewTable(t.Source, t.Header())
	if err != nil {
		return nil, err
	}
	for r := 0; r < rows; r++ {
		if err := head.AppendRow(t.Row(r), t.Line(r)); err != nil {
			return nil, err
		}
	}
	return head, nil
}
