package web

import (
	"bytes"
	"io"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// workbenchRow is one row of the de-identification workbench: a column,
// what detection found in it and a few of its values.
type workbenchRow struct {
	Name      string
	Detection *anonymizer.ColumnDetection
	// Samples are up to sampleValues distinct values from the first rows,
	// masked (anonymizer.MaskValue) when detection found an identifier type.
	Samples []string
}

// Sample sizes: the distinct values shown per column, and how much of a
// large file is read to find them (a CSV prefix cut at a line end).
const (
	sampleValues    = 4
	sampleFullLimit = 4 << 20
	samplePrefix    = 256 << 10
)

// workbenchRows joins the dataset's columns with their detection and a
// sample of values. A file that cannot be read shows no samples (the form
// still works; the job reports the read error).
func (h *Handler) workbenchRows(ds *market.Dataset, det []anonymizer.ColumnDetection) []workbenchRow {
	byName := map[string]*anonymizer.ColumnDetection{}
	for i := range det {
		byName[det[i].Name] = &det[i]
	}
	samples := h.sampleValues(ds)
	rows := make([]workbenchRow, 0, len(ds.Columns))
	for _, col := range ds.Columns {
		r := workbenchRow{Name: col, Detection: byName[col]}
		for _, v := range samples[col] {
			if r.Detection != nil && len(r.Detection.Types) > 0 {
				v = anonymizer.MaskValue(r.Detection.Types[0].Type, v)
			}
			r.Samples = append(r.Samples, v)
		}
		rows = append(rows, r)
	}
	return rows
}

// sampleValues reads up to sampleValues distinct non-blank values of each
// column from the start of the dataset.
func (h *Handler) sampleValues(ds *market.Dataset) map[string][]string {
	if h.deps.Blobs == nil {
		return nil
	}
	csvLike := ds.Format == string(anonymizer.FormatCSV) || ds.Format == string(anonymizer.FormatTSV)
	if ds.SizeBytes > sampleFullLimit && !csvLike {
		return nil
	}
	rc, err := h.deps.Blobs.Open(ds.SHA256)
	if err != nil {
		return nil
	}
	defer rc.Close()
	var src io.Reader = rc
	if ds.SizeBytes > sampleFullLimit {
		buf, err := io.ReadAll(io.LimitReader(rc, samplePrefix))
		if err != nil {
			return nil
		}
		if i := bytes.LastIndexByte(buf, '\n'); i > 0 {
			buf = buf[:i+1]
		}
		src = bytes.NewReader(buf)
	}
	t, _, err := anonymizer.ReadTable(src, ds.Name, anonymizer.ReadOptions{Format: anonymizer.Format(ds.Format)})
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	for _, name := range ds.Columns {
		c := t.Column(name)
		if c == nil {
			continue
		}
		seen := map[string]bool{}
		for r := 0; r < t.Rows() && len(out[name]) < sampleValues; r++ {
			v := strings.TrimSpace(c.Value(r))
			if v != "" && !seen[v] {
				seen[v] = true
				out[name] = append(out[name], v)
			}
		}
	}
	return out
}

// The presets of the workbench: a release mode fills k from the mode's
// risk threshold (k = 1/θ: 20 for a public release, 5 under a data-use
// agreement, 3 in an enclave; anonymizer.Mode.Threshold), l-diversity for
// a public release with sensitive columns, no t-closeness, and the share
// of records that may be suppressed.
var presets = map[string]struct {
	Suppression  string
	LIfSensitive string
}{
	market.ModePublic:    {Suppression: "0.05", LIfSensitive: "distinct:2"},
	market.ModeAgreement: {Suppression: "0.05"},
	market.ModeEnclave:   {Suppression: "0.1"},
}

// presetK is the smallest class a mode's gate accepts: 1/θ, rounded.
func presetK(mode string) int {
	return int(math.Round(1 / anonymizer.Mode(mode).Threshold()))
}

// applyPreset fills k, l, t, suppression and the mode of form f from the
// preset named mode; it reports false for an unknown preset.
func applyPreset(f url.Values, mode string, columns []string) bool {
	p, ok := presets[mode]
	if !ok {
		return false
	}
	f.Set("mode", mode)
	f.Set("k", strconv.Itoa(presetK(mode)))
	f.Set("suppression", p.Suppression)
	f.Set("t", "")
	f.Set("l", "")
	for _, c := range columns {
		if f.Get("role."+c) == string(anonymizer.RoleSensitive) && p.LIfSensitive != "" {
			f.Set("l", p.LIfSensitive)
		}
	}
	return true
}
