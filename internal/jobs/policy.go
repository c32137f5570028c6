package jobs

import (
	"fmt"
	"slices"
	"sort"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// CheckPolicy checks an anonymizer policy against the columns of the
// dataset it is for, before a job is queued: the policy is valid
// (anonymizer.Policy.Validate), every column it names exists, and every
// hierarchy is a built-in generator — a server never reads a file a caller
// names. It returns an ErrInvalid *market.Error naming the field at fault
// ("policy.columns.age.hierarchy").
func CheckPolicy(p *anonymizer.Policy, columns []string) error {
	if len(p.Columns) == 0 {
		return market.Invalid("policy.columns", "invalid_policy", "policy.columns: name at least one column and its role")
	}
	if err := p.Validate(); err != nil {
		return market.Invalid("policy", "invalid_policy", "policy: %s", err.Error())
	}
	for _, name := range sortedKeys(p.Columns) {
		f := "policy.columns." + name
		if !slices.Contains(columns, name) {
			return market.Invalid(f, "invalid_policy", "%s: the dataset has no column %q", f, name)
		}
		if h := p.Columns[name].Hierarchy; h != "" && !anonymizer.IsGeneratorSpec(h) {
			return market.Invalid(f+".hierarchy", "invalid_policy",
				"%s.hierarchy: %q is not a built-in generator (interval:…, date, mask, mask:N, division, ordered:…)", f, h)
		}
	}
	return nil
}

// configFor turns policy p into the anonymizer configuration for table t,
// generating each hierarchy from the column's values, and returns the
// hierarchy specs for the report. key keys the pseudonyms of identifying
// columns whose action is pseudonymize.
func configFor(p *anonymizer.Policy, t *anonymizer.Table, key []byte) (anonymizer.Config, map[string]string, error) {
	cfg := anonymizer.Config{PseudonymKey: key, Hierarchies: map[string]*anonymizer.Hierarchy{}}
	specs := map[string]string{}
	if err := p.Apply(&cfg, specs); err != nil {
		return cfg, nil, fmt.Errorf("policy: %w", err)
	}
	for _, col := range sortedKeys(specs) {
		if !anonymizer.IsGeneratorSpec(specs[col]) {
			return cfg, nil, fmt.Errorf("policy.columns.%s.hierarchy: %q is not a built-in generator", col, specs[col])
		}
		h, err := anonymizer.ResolveHierarchy(t, col, specs[col])
		if err != nil {
			return cfg, nil, err
		}
		cfg.Hierarchies[col] = h
	}
	return cfg, specs, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
