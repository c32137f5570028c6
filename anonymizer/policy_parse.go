package anonymizer

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

// ParsePolicy reads a policy (see Policy) as JSON, rejecting unknown keys,
// and validates it. Errors name source.
func ParsePolicy(source string, r io.Reader) (*Policy, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("%s: policy: %w", source, err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: policy: %w", source, err)
	}
	return &p, nil
}

// LoadPolicy reads and validates the policy file at path.
func LoadPolicy(path string) (*Policy, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open policy: %w", err)
	}
	defer f.Close()
	return ParsePolicy(path, f)
}

// Validate returns an error naming the first invalid field: an unknown
// role or action, a hierarchy on a column that is not a quasi-identifier or
// sensitive, or an invalid model, metric or algorithm.
func (p *Policy) Validate() error {
	for _, name := range p.columnNames() {
		c := p.Columns[name]
		switch c.Role {
		case RoleIdentifying:
			if c.Action != "" && c.Action != "drop" && c.Action != "pseudonymize" {
				return fmt.Errorf("columns.%s.action %q: want drop or pseudonymize", name, c.Action)
			}
		case RoleQuasi, RoleSensitive, RoleInsensitive:
			if c.Action != "" {
				return fmt.Errorf("columns.%s.action %q: only identifying columns have an action", name, c.Action)
			}
		default:
			return fmt.Errorf("columns.%s.role %q: want identifying, quasi, sensitive or insensitive", name, c.Role)
		}
		if c.Hierarchy != "" && c.Role != RoleQuasi && c.Role != RoleSensitive {
			return fmt.Errorf("columns.%s.hierarchy: only quasi-identifiers and sensitive columns have one", name)
		}
		if err := validPrecision(name, c); err != nil {
			return err
		}
	}
	if err := p.validMaxLevels(); err != nil {
		return err
	}
	if _, err := p.Models(); err != nil {
		return err
	}
	if _, err := ParseMetric(p.Metric); err != nil {
		return err
	}
	if a := Algorithm(p.Algorithm); a != "" && a != AlgorithmOptimal && a != AlgorithmMondrian {
		return fmt.Errorf("algorithm %q: want optimal or mondrian", p.Algorithm)
	}
	return nil
}

// Models returns the privacy models the policy asks for.
func (p *Policy) Models() (Models, error) {
	m := Models{K: p.K, T: p.T, Suppression: p.Suppression}
	if p.L != "" {
		l, err := ParseLDiversity(p.L)
		if err != nil {
			return m, err
		}
		m.L = &l
	}
	return m, m.Validate()
}

// Apply fills cfg's roles, hierarchy specs, models, metric and algorithm
// from the policy; specs maps column → hierarchy spec (file or generator).
func (p *Policy) Apply(cfg *Config, specs map[string]string) error {
	m, err := p.Models()
	if err != nil {
		return err
	}
	cfg.Models = m
	cfg.Metric = Metric(p.Metric)
	cfg.Algorithm = Algorithm(p.Algorithm)
	cfg.SuppressSensitive = p.SuppressSensitive
	for _, name := range p.columnNames() {
		c := p.Columns[name]
		switch c.Role {
		case RoleQuasi:
			cfg.QuasiIdentifiers = append(cfg.QuasiIdentifiers, name)
		case RoleSensitive:
			cfg.Sensitive = append(cfg.Sensitive, name)
		case RoleIdentifying:
			if c.Action == "pseudonymize" {
				cfg.Pseudonymize = append(cfg.Pseudonymize, name)
			} else {
				cfg.Drop = append(cfg.Drop, name)
			}
		}
		if c.Hierarchy != "" {
			specs[name] = c.Hierarchy
		}
	}
	return nil
}

func (p *Policy) columnNames() []string {
	names := make([]string, 0, len(p.Columns))
	for n := range p.Columns {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
