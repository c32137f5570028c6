package anonymizer

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Alternative is a full-domain transformation other than the one a run
// released that also satisfies the run's privacy models within its
// suppression limit: what a seller would get by generalizing one
// quasi-identifier less, at the cost shown (issue 23, the workbench's
// "top alternative transformations").
type Alternative struct {
	// Transformation is the generalization level of each quasi-identifier.
	Transformation map[string]int `json:"transformation"`
	// Relaxed names the quasi-identifier held below its level in the
	// released transformation, and Cap the level it was held to.
	Relaxed string `json:"relaxed"`
	Cap     int    `json:"cap"`
	// Loss is metrics.loss of the alternative's release (ARX's Loss,
	// lower-is-better); ColumnLoss the loss of each quasi-identifier.
	Loss       float64            `json:"loss"`
	ColumnLoss map[string]float64 `json:"column_loss"`
	Metrics    Metrics            `json:"metrics"`
	// ProsecutorMax and ProsecutorAvg are the highest and mean record risk.
	ProsecutorMax float64 `json:"prosecutor_max"`
	ProsecutorAvg float64 `json:"prosecutor_avg"`
	Classes       int     `json:"classes"`
	MinClassSize  int     `json:"min_class_size"`
	Suppressed    int     `json:"suppressed"`
}

// maxAlternativeRuns bounds the searches Alternatives runs.
const maxAlternativeRuns = 16

// Alternatives finds up to n transformations other than chosen's (the
// result of Anonymize(ctx, t, cfg)) that also satisfy cfg's models: for
// each quasi-identifier chosen generalizes, and each lower level down to
// the first one no transformation satisfies, the best transformation (by
// cfg.Metric, through Anonymize) with that column held at most at that
// level (CapHierarchies). They are returned by loss, lowest first, each
// transformation once; at most maxAlternativeRuns searches are run. A
// Mondrian run (local recoding) has no lattice and no alternatives. It
// returns ctx's error when cancelled, and any error of Anonymize other
// than ErrNoSolution. cfg.Progress, when set, is called after each
// search with the searches run and the most that may be run (not with
// lattice nodes). Safe for concurrent use on distinct configs.
func Alternatives(ctx context.Context, t *Table, cfg Config, chosen *Result, n int) ([]Alternative, error) {
	if chosen == nil || n <= 0 || cfg.Algorithm == AlgorithmMondrian {
		return nil, nil
	}
	qis := slices.Clone(cfg.QuasiIdentifiers)
	slices.SortStableFunc(qis, func(a, b string) int { return t.ColumnIndex(a) - t.ColumnIndex(b) })
	seen := map[string]bool{transformationKey(qis, chosen.Transformation): true}
	var out []Alternative
	runs, planned := 0, 0
	for _, q := range qis {
		planned += chosen.Transformation[q]
	}
	planned = min(planned, maxAlternativeRuns)
	for _, q := range qis {
		for level := chosen.Transformation[q] - 1; level >= 0 && runs < maxAlternativeRuns; level-- {
			runs++
			c := cfg
			c.Progress = nil
			if err := CapHierarchies(t, &c, map[string]int{q: level}); err != nil {
				return nil, err
			}
			res, err := Anonymize(ctx, t, c)
			if cfg.Progress != nil {
				cfg.Progress(int64(runs), int64(planned))
			}
			if errors.Is(err, ErrNoSolution) {
				break // lower levels of q are no more feasible
			}
			if err != nil {
				return nil, fmt.Errorf("alternatives: %w", err)
			}
			key := transformationKey(qis, res.Transformation)
			if !seen[key] {
				seen[key] = true
				out = append(out, Alternative{Transformation: res.Transformation, Relaxed: q, Cap: level,
					Loss: res.Metrics.Loss, ColumnLoss: columnLoss(res, c), Metrics: res.Metrics,
					ProsecutorMax: res.Risk.ProsecutorMax, ProsecutorAvg: res.Risk.ProsecutorAvg,
					Classes: res.Classes, MinClassSize: res.MinClassSize, Suppressed: res.Suppressed})
			}
			res.Table = nil
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Loss < out[j].Loss })
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

func transformationKey(qis []string, levels map[string]int) string {
	var b strings.Builder
	for _, q := range qis {
		fmt.Fprintf(&b, "%d,", levels[q])
	}
	return b.String()
}

// CapHierarchies holds each quasi-identifier named in levels at most at
// its level: it replaces the column's hierarchy in cfg by the same rows cut
// above that level (a copy of cfg.Hierarchies is made; the hierarchies are
// not modified), so that Anonymize searches only transformations at or
// below levels and measures them exactly as with the whole hierarchy (a
// value covers the same hierarchy rows). It returns an error naming the
// column when it is not a quasi-identifier of cfg or the level is not one
// of its hierarchy's. Setting levels to an Alternative's transformation
// makes Anonymize find that transformation again.
func CapHierarchies(t *Table, cfg *Config, levels map[string]int) error {
	hs := make(map[string]*Hierarchy, len(cfg.Hierarchies)+len(levels))
	maps.Copy(hs, cfg.Hierarchies)
	for _, q := range slices.Sorted(maps.Keys(levels)) {
		level := levels[q]
		if !slices.Contains(cfg.QuasiIdentifiers, q) {
			return fmt.Errorf("max_levels.%s: not a quasi-identifier", q)
		}
		h := hs[q]
		if h == nil {
			c := t.Column(q)
			if c == nil {
				return fmt.Errorf("max_levels.%s: no such column", q)
			}
			h = flatHierarchy(c)
		}
		if level < 0 || level > h.Height() {
			return fmt.Errorf("max_levels.%s: level %d: want 0 to %d (hierarchy %s)", q, level, h.Height(), h.Source)
		}
		if level == h.Height() {
			continue
		}
		rows := make([][]string, len(h.rows))
		for i, r := range h.rows {
			rows[i] = r[: level+1 : level+1]
		}
		capped, err := NewHierarchy(fmt.Sprintf("%s (levels 0–%d)", h.Source, level), rows)
		if err != nil {
			return fmt.Errorf("max_levels.%s: %w", q, err)
		}
		hs[q] = capped
	}
	cfg.Hierarchies = hs
	return nil
}
