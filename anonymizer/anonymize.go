package anonymizer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Algorithm chooses how the table is generalized.
type Algorithm string

// The algorithms of --algorithm.
const (
	// AlgorithmOptimal is full-domain generalization with the exact optimum
	// over the lattice of level combinations (heuristic beyond 10^6 nodes).
	AlgorithmOptimal Algorithm = "optimal"
	// AlgorithmMondrian is Mondrian multidimensional local recoding.
	AlgorithmMondrian Algorithm = "mondrian"
)

// ErrNoSolution is returned when no transformation satisfies the privacy
// models within the suppression limit.
var ErrNoSolution = errors.New("no transformation satisfies the privacy models within the suppression limit")

// Config says how Anonymize treats a table.
type Config struct {
	// QuasiIdentifiers are generalized; each needs a hierarchy in Hierarchies
	// (one that maps every value straight to "*" is used when none is given).
	QuasiIdentifiers []string
	// Sensitive columns are released as they are and protected by the l-diversity
	// and t-closeness models.
	Sensitive []string
	// Drop lists identifying columns removed from the release.
	Drop []string
	// Pseudonymize lists identifying columns replaced by HMAC (PseudonymMethod) under PseudonymKey.
	Pseudonymize []string
	// PseudonymKey keys the pseudonyms; it must not be released with the data.
	PseudonymKey []byte
	// PseudonymMethod is MethodHMACSM3 or MethodHMACSHA256 ("" is HMAC-SHA256);
	// PseudonymKeyID names a platform key in the report (never the key).
	PseudonymMethod, PseudonymKeyID string
	// Hierarchies by column name: quasi-identifiers, and optionally a sensitive
	// attribute (for hierarchical t-closeness).
	Hierarchies map[string]*Hierarchy
	Models      Models
	Metric      Metric
	Algorithm   Algorithm
	// DropSuppressed removes suppressed records instead of writing "*" in
	// every quasi-identifier.
	DropSuppressed bool
	// SuppressSensitive writes "*" in the sensitive columns of suppressed
	// records too: together they would otherwise form one more class whose
	// sensitive values are disclosed (Tianjin Art. 29).
	SuppressSensitive bool
	// Progress, when set, is called now and then with the nodes checked so far
	// and the lattice size.
	Progress func(done, total int64)
}

// Result is a release and what was measured about it.
type Result struct {
	// Table is the release.
	Table *Table
	// Transformation is the generalization level of each quasi-identifier
	// (Mondrian: the highest level any class uses, or -1 for numeric ranges).
	Transformation map[string]int
	// Levels are the levels of the quasi-identifiers in table column order.
	Levels         []int
	RowsIn         int
	RowsOut        int
	Suppressed     int
	Classes        int
	MinClassSize   int
	AvgClassSize   float64
	Metrics        Metrics
	Risk           Risk
	Optimal        bool
	NodesChecked   int64
	LatticeSize    float64
	SearchDuration time.Duration
	// Phases are the durations of Anonymize's steps around the search.
	Phases Phases
}

// Phases are the durations of the steps of Anonymize other than the
// search, so that a report shows where a run's time goes.
type Phases struct {
	// Encode maps each quasi-identifier through its hierarchy and counts
	// the bottom node's classes.
	Encode time.Duration
	// Release applies the transformation found: classes of the optimum,
	// metrics and risk, suppression, generalized and pseudonymized columns.
	Release time.Duration
	// Pseudonymize is the part of Release spent computing pseudonyms.
	Pseudonymize time.Duration
}

// Anonymize de-identifies t as cfg says: drops or pseudonymizes identifying
// columns, and generalizes the quasi-identifiers by the transformation that
// satisfies cfg.Models with the least cfg.Metric. It returns ErrNoSolution
// when nothing satisfies the models, an error naming file, line and column
// for a value missing from its hierarchy, and ctx's error when cancelled.
// It does not modify t. Safe for concurrent use on distinct configs.
func Anonymize(ctx context.Context, t *Table, cfg Config) (*Result, error) {
	if err := cfg.validate(t); err != nil {
		return nil, err
	}
	// quasi-identifiers in table order, so that ties are broken the same
	// way whatever order they were named in
	cfg.QuasiIdentifiers = slices.Clone(cfg.QuasiIdentifiers)
	slices.SortStableFunc(cfg.QuasiIdentifiers, func(a, b string) int { return t.ColumnIndex(a) - t.ColumnIndex(b) })
	began := time.Now()
	dims, sens, stride, err := prepare(t, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Algorithm == AlgorithmMondrian {
		return mondrian(ctx, t, cfg, dims, sens, stride)
	}
	lt := newLattice(dims)
	e := buildBottomPar(t, lt, sens, stride)
	start := time.Now()
	encode := start.Sub(began)
	s := newSearcher(e, cfg.Models, cfg.Metric, cfg.Progress)
	s.dropRef = cfg.DropSuppressed
	optimal := lt.size <= exactLimit
	s.skipEstimated = optimal
	best, err := s.greedy(ctx)
	if err != nil {
		return nil, fmt.Errorf("anonymize: %w", err)
	}
	switch {
	case optimal:
		best, err = s.topDown(ctx, best)
	default:
		best, err = s.heuristic(ctx, best)
	}
	if err != nil {
		return nil, fmt.Errorf("anonymize: %w", err)
	}
	if best == nil {
		return nil, ErrNoSolution
	}
	elapsed := time.Since(start)
	levels := best.levels
	best = nil
	res := release(t, cfg, e, s, levels)
	res.Optimal, res.LatticeSize, res.SearchDuration = optimal, lt.size, elapsed
	res.Phases.Encode, res.Phases.Release = encode, time.Since(start.Add(elapsed))
	return res, nil
}

// prepare encodes the quasi-identifiers and the sensitive attributes.
func prepare(t *Table, cfg Config) ([]*dim, []*sensAttr, int, error) {
	var dims []*dim
	for _, name := range cfg.QuasiIdentifiers {
		col := t.ColumnIndex(name)
		h := cfg.Hierarchies[name]
		if h == nil {
			h = flatHierarchy(t.Columns[col])
		}
		d, err := encodeDim(t, col, h)
		if err != nil {
			return nil, nil, 0, err
		}
		dims = append(dims, d)
	}
	var sens []*sensAttr
	stride := 0
	if cfg.Models.needsSensitive() {
		for _, name := range cfg.Sensitive {
			col := t.ColumnIndex(name)
			var h *Hierarchy
			if cfg.Models.T > 0 && cfg.Models.TDistance != TEqual && cfg.Models.TDistance != TOrdered {
				h = cfg.Hierarchies[name]
			}
			s, err := newSensAttr(t, col, h, cfg.Models.TDistance)
			if err != nil {
				return nil, nil, 0, err
			}
			s.off = stride
			stride += s.m
			sens = append(sens, s)
		}
	}
	return dims, sens, stride, nil
}

// flatHierarchy maps every value of c straight to "*".
func flatHierarchy(c *Column) *Hierarchy {
	rows := make([][]string, len(c.Dict))
	for i, v := range c.Dict {
		rows[i] = []string{v, "*"}
	}
	h, _ := NewHierarchy("value→*", rows)
	return h
}

// validate checks that every named column exists and has one role.
func (cfg *Config) validate(t *Table) error {
	if err := cfg.Models.Validate(); err != nil {
		return fmt.Errorf("anonymize: %w", err)
	}
	if cfg.Metric == "" {
		cfg.Metric = MetricLoss
	}
	if _, err := ParseMetric(string(cfg.Metric)); err != nil {
		return fmt.Errorf("anonymize: %w", err)
	}
	switch cfg.Algorithm {
	case "":
		cfg.Algorithm = AlgorithmOptimal
	case AlgorithmOptimal, AlgorithmMondrian:
	default:
		return fmt.Errorf("anonymize: algorithm %q: want optimal or mondrian", cfg.Algorithm)
	}
	role := map[string]string{}
	for _, g := range []struct {
		role  string
		names []string
	}{{"quasi-identifier", cfg.QuasiIdentifiers}, {"sensitive", cfg.Sensitive}, {"dropped", cfg.Drop}, {"pseudonymized", cfg.Pseudonymize}} {
		for _, n := range g.names {
			if t.ColumnIndex(n) < 0 {
				return fmt.Errorf("%s: line 1: column %q: no such column (named as %s)", t.Source, n, g.role)
			}
			if r, dup := role[n]; dup {
				return fmt.Errorf("%s: line 1: column %q: named both %s and %s", t.Source, n, r, g.role)
			}
			role[n] = g.role
		}
	}
	for _, c := range t.Columns {
		if c.skipped && role[c.Name] != "dropped" {
			return fmt.Errorf("%s: line 1: column %q: read without its values (ReadOptions.Skip), so it can only be dropped", t.Source, c.Name)
		}
	}
	if cfg.Models.needsSensitive() && len(cfg.Sensitive) == 0 {
		return fmt.Errorf("anonymize: l-diversity and t-closeness need a sensitive column (--sensitive)")
	}
	if len(cfg.Pseudonymize) > 0 && len(cfg.PseudonymKey) == 0 {
		return fmt.Errorf("anonymize: pseudonymizing needs a key")
	}
	return nil
}
