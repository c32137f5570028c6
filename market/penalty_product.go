package market

import (
	"fmt"
	"slices"
)

// mergeProducts makes one violation of each product under each rule:
// Shaanxi Art. 74 grades a violation by its transaction amount (交易金额),
// and the violation is the trading of the product, so the trades of one
// product in breach of one article are summed into one violation, never
// split into several smaller ones. Violations naming no product stand
// alone; several products are several violations.
//
// It returns the violations, the path of each in the case file, a step per
// merge, and an ErrInvalid *Error when violations of one product disagree
// on a finding (corrected, harm, no-fault evidence) or carry two overrides
// or two decisions.
func mergeProducts(vs []PenaltyViolation) ([]PenaltyViolation, []string, [][]string, error) {
	var (
		out   []PenaltyViolation
		paths []string
		steps [][]string
		from  [][]int
	)
	at := map[string]int{}
	for i, v := range vs {
		key := string(v.Article) + "\x00" + v.Product
		j, seen := at[key]
		if v.Product == "" || !seen {
			at[key] = len(out)
			v.Trades, v.Factors = slices.Clone(v.Trades), slices.Clone(v.Factors)
			out = append(out, v)
			paths = append(paths, fmt.Sprintf("violations[%d]", i))
			from = append(from, []int{i})
			continue
		}
		if err := mergeInto(&out[j], v, fmt.Sprintf("violations[%d]", i), paths[j]); err != nil {
			return nil, nil, nil, err
		}
		from[j] = append(from[j], i)
	}
	for j, idx := range from {
		var s []string
		if len(idx) > 1 {
			s = append(s, fmt.Sprintf("One violation per product and rule: violations %s of the case file all trade product %s in breach of %s; their trades are summed into one violation.",
				indexList(idx), out[j].Product, out[j].Article.Breached()))
		}
		steps = append(steps, s)
	}
	return out, paths, steps, nil
}

// mergeInto adds v's trades and findings to m.
func mergeInto(m *PenaltyViolation, v PenaltyViolation, path, firstPath string) error {
	conflict := func(field, what string) error {
		return invalidField(path+"."+field, "conflicting_product_findings",
			"%s; %s names the same product %s under %s, and one product under one rule is one violation", what, firstPath, v.Product, v.Article)
	}
	if (m.Corrected == nil) != (v.Corrected == nil) || (m.Corrected != nil && *m.Corrected != *v.Corrected) {
		return conflict("corrected", "differs")
	}
	if m.Harm != v.Harm {
		return conflict("harm", "differs")
	}
	if m.NoFaultEvidence != v.NoFaultEvidence {
		return conflict("no_fault_evidence", "differs")
	}
	if v.Override != nil {
		if m.Override != nil {
			return conflict("override", "a second override")
		}
		m.Override = v.Override
	}
	if v.Decision != nil {
		if m.Decision != nil {
			return conflict("decision", "a second decision")
		}
		m.Decision = v.Decision
	}
	m.Trades = append(m.Trades, v.Trades...)
	for _, f := range v.Factors {
		if !hasFactor(m.Factors, f) {
			m.Factors = append(m.Factors, f)
		}
	}
	if err := penaltyValidateFactors(path, m.Factors, m.Corrected); err != nil {
		return err
	}
	if v.EndedOn.Start().After(m.EndedOn.Start()) {
		m.EndedOn = v.EndedOn
	}
	m.Continuing = m.Continuing || v.Continuing
	m.LongLimitation = m.LongLimitation || v.LongLimitation
	return nil
}

func indexList(idx []int) string {
	s := ""
	for k, i := range idx {
		if k > 0 {
			s += ", "
		}
		s += fmt.Sprintf("[%d]", i)
	}
	return s
}
