package jobs

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// Deidentifier is the Processor of de-identification jobs: it reads the
// dataset from the blob store, anonymizes it under the job's policy, runs
// the irreversibility gate (Tianjin Art. 29) on the release and, when the
// gate passes, stores the release in the blob store with a certificate
// signed by the platform key. It is safe for concurrent use.
type Deidentifier struct {
	Blobs *blob.Store
	// Key is the platform key that signs certificates.
	Key *pgp.Key
	// Pseudonyms is the platform's pseudonymization key store: the current
	// key makes the pseudonyms, every key (rotated ones too) is given to the
	// gate, which accepts a pseudonym only by recomputing it (Tianjin
	// Art. 29). Without it pseudonyms use a random key that is not kept, and
	// the gate refuses them.
	Pseudonyms PseudonymKeys
	// Version names the tool in certificates.
	Version string
	// Progress receives each job's phase, fraction and rows read about
	// once a second (nil: none is kept).
	Progress ProgressSink
	// Now is the clock (default time.Now).
	Now func() time.Time
}

var _ Processor = (*Deidentifier)(nil)

func (d *Deidentifier) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC()
	}
	return time.Now().UTC()
}

// Process de-identifies ds as job says. A policy that cannot be applied or
// a release no transformation can produce is an error (the job fails); a
// release the gate refuses is the outcome rejected, with the gate's reasons.
func (d *Deidentifier) Process(ctx context.Context, job *market.Job, ds *market.Dataset, progress func(string, float64)) (market.JobOutcome, error) {
	var policy anonymizer.Policy
	if err := json.Unmarshal(job.Policy, &policy); err != nil {
		return market.JobOutcome{}, fmt.Errorf("policy: %w", err)
	}
	mode, err := anonymizer.ParseMode(job.Mode)
	if err != nil {
		return market.JobOutcome{}, err
	}
	prog := newProgressReporter(ctx, d.Progress, job.ID, progressEvery, d.now)
	defer prog.close()
	progress("reading", 0)
	prog.set(market.PhaseRead, 0, 0, ds.Rows)
	raw, err := d.read(ds, progress, prog)
	if err != nil {
		return market.JobOutcome{}, err
	}
	rows := int64(raw.Rows())
	prog.set(market.PhaseRead, 1, rows, rows)
	if err := ctx.Err(); err != nil {
		return market.JobOutcome{}, err
	}
	pk, platformKeys, err := d.pseudonymKeys()
	if err != nil {
		return market.JobOutcome{}, err
	}
	cfg, specs, err := configFor(&policy, raw, pk.Secret)
	if err != nil {
		return market.JobOutcome{}, err
	}
	cfg.PseudonymMethod, cfg.PseudonymKeyID = pk.Method, pk.ID
	hierarchies := cfg.Hierarchies // the gate checks against the whole hierarchies
	if err := policy.CapLevels(raw, &cfg); err != nil {
		return market.JobOutcome{}, fmt.Errorf("policy: %w", err)
	}
	cfg.Progress = func(done, total int64) {
		if total > 0 {
			progress("searching", 0.2+0.5*float64(done)/float64(total))
			prog.set(market.PhaseSearch, float64(done)/float64(total), rows, rows)
		}
	}
	progress("searching", 0.2)
	prog.set(market.PhaseSearch, 0, rows, rows)
	start := time.Now()
	res, err := anonymizer.Anonymize(ctx, raw, cfg)
	if err != nil {
		return market.JobOutcome{}, err
	}
	rep := anonymizer.NewReport(res, cfg, ds.Name, releaseName(ds.Name), specs)
	rep.TimingsMS.Total = anonymizer.Millis(time.Since(start))
	progress("alternatives", 0.65)
	altCfg := cfg
	altCfg.Progress = func(done, total int64) {
		if total > 0 {
			progress("alternatives", 0.65+0.05*float64(done)/float64(total))
		}
	}
	alts, err := anonymizer.Alternatives(ctx, raw, altCfg, res, TopAlternatives)
	if err != nil {
		return market.JobOutcome{}, err
	}
	progress("checking", 0.7)
	prog.set(market.PhaseCheck, 0, rows, rows)
	gate := anonymizer.CheckRelease(raw, res.Table, anonymizer.GateOptions{Mode: mode, Policy: &policy,
		Hierarchies: hierarchies, SecretKeys: []string{hex.EncodeToString(pk.Secret)}, PseudonymKeys: platformKeys})
	jr := newReport(rep, gate)
	jr.Alternatives = alts
	reportJSON, err := json.Marshal(jr)
	if err != nil {
		return market.JobOutcome{}, err
	}
	gateJSON, err := json.Marshal(gate)
	if err != nil {
		return market.JobOutcome{}, err
	}
	if !gate.Passed {
		return market.JobOutcome{Status: market.JobRejected, Gate: gateJSON, Report: reportJSON}, nil
	}
	if err := ctx.Err(); err != nil {
		return market.JobOutcome{}, err
	}
	progress("writing", 0.85)
	prog.set(market.PhaseWrite, 0, rows, rows)
	format := anonymizer.Format(ds.Format)
	ref, err := d.put(res.Table, format, func(written int64) {
		if ds.SizeBytes > 0 { // the release is about the size of the dataset
			prog.set(market.PhaseWrite, min(0.99, float64(written)/float64(ds.SizeBytes)), rows, rows)
		}
	})
	if err != nil {
		return market.JobOutcome{}, err
	}
	prog.set(market.PhaseWrite, 1, rows, rows)
	now := d.now()
	art := &market.Artifact{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, JobID: job.ID,
		Name: releaseName(ds.Name), Format: ds.Format, SHA256: ref.SHA256, SizeBytes: ref.Size,
		Report: reportJSON, CreatedAt: now}
	progress("signing", 0.95)
	cert, err := d.certify(ds, art, &policy, rep, gate, now)
	if err != nil {
		d.discard(ref)
		return market.JobOutcome{}, err
	}
	out := market.JobOutcome{Status: market.JobSucceeded, Artifact: art, Certificate: cert, Gate: gateJSON, Report: reportJSON}
	if ref.Created {
		out.CreatedBlob = ref.SHA256
	}
	return out, nil
}

// Discard removes the stored release of an outcome that could not be
// recorded (the worker lost its lease).
func (d *Deidentifier) Discard(out market.JobOutcome) {
	if out.CreatedBlob != "" {
		d.discard(blob.Ref{SHA256: out.CreatedBlob, Created: true})
	}
}

func (d *Deidentifier) discard(ref blob.Ref) {
	if ref.Created {
		_ = d.Blobs.Delete(ref.SHA256)
	}
}

// read decrypts and parses the dataset; the rows read are estimated from
// the bytes read and the dataset's row count.
func (d *Deidentifier) read(ds *market.Dataset, progress func(string, float64), prog *progressReporter) (*anonymizer.Table, error) {
	rc, err := d.Blobs.OpenReader(ds.SHA256, ds.Format == string(anonymizer.FormatParquet))
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", ds.ID, err)
	}
	defer rc.Close()
	t, _, err := anonymizer.ReadTable(rc, ds.Name, anonymizer.ReadOptions{Format: anonymizer.Format(ds.Format),
		Progress: func(read, _ int64) {
			if ds.SizeBytes > 0 {
				frac := float64(read) / float64(ds.SizeBytes)
				progress("reading", 0.2*frac)
				prog.set(market.PhaseRead, frac, int64(frac*float64(ds.Rows)), ds.Rows)
			}
		}})
	if errors.Is(err, blob.ErrCorrupt) {
		return nil, fmt.Errorf("dataset %s: the stored file is damaged: %w", ds.ID, err)
	}
	return t, err
}

// put writes the release in format f into the blob store, streaming;
// written is told the bytes written now and then.
func (d *Deidentifier) put(t *anonymizer.Table, f anonymizer.Format, written func(int64)) (blob.Ref, error) {
	pr, pw := io.Pipe()
	go func() {
		pw.CloseWithError(anonymizer.WriteTable(&countingWriter{w: pw, fn: written}, t, f, anonymizer.WriteOptions{}))
	}()
	ref, err := d.Blobs.Put(pr)
	pr.CloseWithError(err)
	if err != nil {
		return blob.Ref{}, fmt.Errorf("store the release: %w", err)
	}
	return ref, nil
}

// releaseName names the release after the dataset: people.csv → people.deid.csv.
func releaseName(name string) string {
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + ".deid" + ext
}

// certify builds the de-identification certificate of a release that
// passed the gate and signs it with the platform key.
func (d *Deidentifier) certify(ds *market.Dataset, art *market.Artifact, p *anonymizer.Policy,
	rep *anonymizer.Report, gate *anonymizer.GateResult, now time.Time) (*market.Certificate, error) {
	repJSON, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	raw := anonymizer.FileDigest{Name: ds.Name, Bytes: ds.SizeBytes, SHA256: ds.SHA256}
	rel := anonymizer.FileDigest{Name: art.Name, Bytes: art.SizeBytes, SHA256: art.SHA256}
	c, err := anonymizer.NewCertificate(gate, raw, rel, p, repJSON, "shujiao "+d.Version, now)
	if err != nil {
		return nil, fmt.Errorf("certificate: %w", err)
	}
	body, err := c.Canonical()
	if err != nil {
		return nil, err
	}
	sig, err := d.Key.SignBytes(body)
	if err != nil {
		return nil, fmt.Errorf("sign certificate: %w", err)
	}
	return &market.Certificate{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, ArtifactID: art.ID,
		Body: body, Signature: string(sig), Passed: c.Passed, Level: string(c.Level), CreatedAt: now}, nil
}

// countingWriter tells fn the bytes written so far, every 4 MiB.
type countingWriter struct {
	w       io.Writer
	n, last int64
	fn      func(int64)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	if c.n-c.last >= 4<<20 {
		c.last = c.n
		c.fn(c.n)
	}
	return n, err
}
