package anonymizer

import (
	"fmt"
	"math"
	"sort"
)

// Suppressed records are released with "*" in every quasi-identifier and
// their other values kept, so together they form one more class an
// attacker sees (issue 14; Tianjin Art. 29, GB/T 42460-2023 Annex D): a raw
// record consistent with no released class must be one of them, and their
// sensitive values are disclosed like any class's.

// checkSuppressedClass runs check d on the suppressed group: it fails when
// two or more suppressed records share one value of a sensitive column, and
// when the group does not satisfy the policy's l-diversity model.
func checkSuppressedClass(res *GateResult, release *Table, sensitive []int, rc *releaseClasses, suppressed int, p *Policy) {
	if suppressed < 2 {
		return
	}
	var model *LDiversity
	if p != nil && p.L != "" {
		if l, err := ParseLDiversity(p.L); err == nil {
			model = &l
		}
	}
	for _, c := range sensitive {
		col := release.Columns[c]
		counts := map[int32]int{}
		for r, id := range rc.row {
			if id < 0 && !isMissing(col.Dict[col.Codes[r]]) {
				counts[col.Codes[r]]++ // a suppressed sensitive value discloses nothing
			}
		}
		if len(counts) == 0 {
			continue
		}
		hist := make([]int, 0, len(counts))
		top, topCode := 0, int32(0)
		for code, n := range counts {
			hist = append(hist, n)
			if n > top || n == top && code < topCode {
				top, topCode = n, code
			}
		}
		if len(counts) == 1 && (p == nil || !p.AcceptHomogeneity) {
			res.fail(CheckHomogeneity, col.Name, articleTianjin29, suppressed,
				"the %d suppressed records (\"*\" in every quasi-identifier) form one more class and all have %q = %q: attribute disclosure; Tianjin Art. 29, GB/T 42460-2023",
				suppressed, col.Name, col.Dict[topCode])
			continue
		}
		if model != nil {
			if ok, measure := lDiverse(*model, hist); !ok {
				res.fail(CheckHomogeneity, col.Name, articleTianjin29, suppressed,
					"the %d suppressed records (\"*\" in every quasi-identifier) form one more class that is not %s-diverse in %q (%s; most frequent %q in %d of them); Tianjin Art. 29, GB/T 42460-2023",
					suppressed, model, col.Name, measure, col.Dict[topCode], top)
			}
		}
	}
}

// lDiverse checks one class's histogram of sensitive values against an
// l-diversity model, and says what it measured.
func lDiverse(l LDiversity, hist []int) (bool, string) {
	switch l.Kind {
	case LDistinct:
		return float64(len(hist)) >= l.L, fmt.Sprintf("%d distinct values", len(hist))
	case LEntropy:
		total := 0
		for _, c := range hist {
			total += c
		}
		ent := 0.0
		for _, c := range hist {
			if c > 0 {
				q := float64(c) / float64(total)
				ent -= q * math.Log(q)
			}
		}
		return ent >= math.Log(l.L)-1e-12, fmt.Sprintf("entropy %.3f, below ln %g = %.3f", ent, l.L, math.Log(l.L))
	default: // recursive (c, l): r1 < c·(r_l + … + r_m)
		s := append([]int(nil), hist...)
		sort.Sort(sort.Reverse(sort.IntSlice(s)))
		ll := int(l.L)
		if len(s) < ll {
			return false, fmt.Sprintf("%d distinct values, fewer than l = %d", len(s), ll)
		}
		tail := 0
		for _, c := range s[ll-1:] {
			tail += c
		}
		return float64(s[0]) < l.C*float64(tail), fmt.Sprintf("r1 = %d, not below c·(r%d+…) = %g·%d", s[0], ll, l.C, tail)
	}
}

func isSensitive(cfg Config, name string) bool {
	for _, s := range cfg.Sensitive {
		if s == name {
			return true
		}
	}
	return false
}

// suppressSensitive fills release column nc from sensitive column c with
// Suppressed in the rows of suppressed records (Config.SuppressSensitive):
// sup flags the suppressed records of c's table, keep lists the rows
// released (nil: every row). "*" may already be a value: it keeps its
// code, as Column.reindex would merge it.
func suppressSensitive(nc, c *Column, keep []int, sup []bool) {
	values := append(append(make([]string, 0, len(c.Dict)+1), c.Dict...), Suppressed)
	canon := nc.setMergedDict(values)
	star := canon[len(c.Dict)]
	for i := range nc.Codes {
		r := i
		if keep != nil {
			r = keep[i]
		}
		if sup != nil && sup[r] {
			nc.Codes[i] = star
		} else {
			nc.Codes[i] = canon[c.Codes[r]]
		}
	}
}
