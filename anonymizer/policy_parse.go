package anonymizer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"
)

// maxPolicyBytes bounds a policy file: a policy names columns and models.
const maxPolicyBytes = 4 << 20

// ParsePolicy reads a policy (see Policy) as JSON, rejecting unknown keys
// and anything after the object, and validates it. Errors name source,
// and the line, column and field of a malformed value in words a user
// can act on.
func ParsePolicy(source string, r io.Reader) (*Policy, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxPolicyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: policy: %w", source, err)
	}
	if len(data) > maxPolicyBytes {
		return nil, fmt.Errorf("%s: policy: larger than %d MiB; a policy names columns and models", source, maxPolicyBytes>>20)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Policy
	err = dec.Decode(&p)
	if err == nil && dec.More() {
		line, col := lineCol(data, int(dec.InputOffset()))
		err = fmt.Errorf("line %d, column %d: data after the policy object", line, col)
	} else if err != nil {
		err = policyJSONError(data, dec, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: policy: %w", source, err)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: policy: %w", source, err)
	}
	return &p, nil
}

// policyJSONError words an encoding/json error of a policy with its line
// and column (and field), without Go's type names.
func policyJSONError(data []byte, dec *json.Decoder, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, max(int(syn.Offset)-1, 0)) // the offending byte
		return fmt.Errorf("line %d, column %d: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		line, col := lineCol(data, int(typ.Offset))
		return fmt.Errorf("line %d, column %d: field %s: got JSON %s, want %s", line, col, typ.Field, typ.Value, jsonKind(typ.Type.Kind()))
	case errors.Is(err, io.EOF):
		return errors.New("empty input; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := lineCol(data, len(data))
		return fmt.Errorf("line %d, column %d: the JSON ends before the policy object does", line, col)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		line, col := lineCol(data, int(dec.InputOffset()))
		return fmt.Errorf("line %d, column %d: unknown field %s", line, col, name)
	}
	return errors.New(msg)
}

// jsonKind names a Go kind as the JSON a user writes.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another JSON value"
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
