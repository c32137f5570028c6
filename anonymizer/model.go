package anonymizer

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// LKind is a variant of l-diversity.
type LKind string

// The l-diversity variants (Machanavajjhala et al.).
const (
	// LDistinct: at least l distinct sensitive values in every class.
	LDistinct LKind = "distinct"
	// LEntropy: the entropy of the sensitive values in every class is at least log l.
	LEntropy LKind = "entropy"
	// LRecursive: recursive-(c,l): r1 < c·(r_l + … + r_m), counts sorted descending.
	LRecursive LKind = "recursive"
)

// LDiversity is an l-diversity requirement on every sensitive attribute.
type LDiversity struct {
	Kind LKind
	L    float64
	C    float64 // recursive only
}

// String renders the model as the flag accepts it ("recursive:4,2" is c=4, l=2).
func (l LDiversity) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	if l.Kind == LRecursive {
		return "recursive:" + f(l.C) + "," + f(l.L)
	}
	return string(l.Kind) + ":" + f(l.L)
}

// ParseLDiversity parses "distinct:2", "entropy:2" or "recursive:c,l"
// (ARX's order: recursive:4,2 is c = 4, l = 2). It returns an error for any
// other form, or l < 1, or c ≤ 0.
func ParseLDiversity(s string) (LDiversity, error) {
	kind, arg, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return LDiversity{}, fmt.Errorf("l-diversity %q: want distinct:L, entropy:L or recursive:C,L", s)
	}
	num := func(p string) (float64, error) {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("l-diversity %q: %q is not a number", s, p)
		}
		return x, nil
	}
	var d LDiversity
	switch LKind(kind) {
	case LDistinct, LEntropy:
		l, err := num(arg)
		if err != nil {
			return d, err
		}
		d = LDiversity{Kind: LKind(kind), L: l}
		if kind == string(LDistinct) && l != math.Trunc(l) {
			return d, fmt.Errorf("l-diversity %q: distinct l must be a whole number", s)
		}
	case LRecursive:
		cs, ls, ok := strings.Cut(arg, ",")
		if !ok {
			return d, fmt.Errorf("l-diversity %q: want recursive:C,L", s)
		}
		c, err := num(cs)
		if err != nil {
			return d, err
		}
		l, err := num(ls)
		if err != nil {
			return d, err
		}
		if c <= 0 || l != math.Trunc(l) {
			return d, fmt.Errorf("l-diversity %q: c must be positive and l whole", s)
		}
		d = LDiversity{Kind: LRecursive, L: l, C: c}
	default:
		return d, fmt.Errorf("l-diversity %q: unknown variant %q (want distinct, entropy or recursive)", s, kind)
	}
	if d.L < 1 {
		return d, fmt.Errorf("l-diversity %q: l must be at least 1", s)
	}
	return d, nil
}

// TDistance is the ground distance of t-closeness.
type TDistance string

// t-closeness ground distances (Li et al.).
const (
	// TAuto: hierarchical when the sensitive attribute has a hierarchy,
	// ordered when all its values are numbers, equal otherwise.
	TAuto TDistance = ""
	// TEqual: every two values are at distance 1 (variational distance).
	TEqual TDistance = "equal"
	// TOrdered: values in numeric (else lexicographic) order, distance |i−j|/(m−1).
	TOrdered TDistance = "ordered"
	// THierarchical: distance is the height of the lowest common ancestor in the hierarchy.
	THierarchical TDistance = "hierarchical"
)

// Models are the privacy models a release must satisfy, combined.
type Models struct {
	// K is the k of k-anonymity; 0 or 1 means not required.
	K int
	// L, when not nil, is required on every sensitive attribute.
	L *LDiversity
	// T, when positive, is the t of t-closeness on every sensitive attribute.
	T float64
	// TDistance chooses the ground distance of t-closeness.
	TDistance TDistance
	// Suppression is the largest share of rows (0..1) that may be suppressed:
	// records of classes that violate a model are suppressed whole while their
	// number stays within Suppression × rows (ARX's semantics).
	Suppression float64
}

// Validate returns an error for out-of-range parameters.
func (m Models) Validate() error {
	switch {
	case m.K < 0:
		return fmt.Errorf("k %d: must be at least 1", m.K)
	case m.T < 0 || m.T > 1 || math.IsNaN(m.T):
		return fmt.Errorf("t %v: must be between 0 and 1", m.T)
	case m.Suppression < 0 || m.Suppression > 1 || math.IsNaN(m.Suppression):
		return fmt.Errorf("suppression %v: must be a share between 0 and 1", m.Suppression)
	}
	switch m.TDistance {
	case TAuto, TEqual, TOrdered, THierarchical:
	default:
		return fmt.Errorf("t-closeness distance %q: want equal, ordered or hierarchical", m.TDistance)
	}
	return nil
}

// needsSensitive reports whether the models look at sensitive values.
func (m Models) needsSensitive() bool { return m.L != nil || m.T > 0 }

// monotone reports whether the set of violating records can only shrink as
// the table is generalized (classes merge): true for k-anonymity and distinct
// l-diversity, whose satisfying classes stay satisfying when merged with any
// other class. Entropy/recursive l-diversity and t-closeness are monotone
// without suppression only.
func (m Models) monotone() bool {
	return m.T <= 0 && (m.L == nil || m.L.Kind == LDistinct)
}

// Strings renders the models for the report, e.g. ["5-anonymity", "distinct-2-diversity"].
func (m Models) Strings() []string {
	var out []string
	if m.K > 1 {
		out = append(out, fmt.Sprintf("%d-anonymity", m.K))
	}
	if m.L != nil {
		out = append(out, m.L.String()+"-diversity")
	}
	if m.T > 0 {
		d := m.TDistance
		if d == TAuto {
			d = "auto"
		}
		out = append(out, fmt.Sprintf("%s-%s-closeness", strconv.FormatFloat(m.T, 'f', -1, 64), d))
	}
	return out
}
