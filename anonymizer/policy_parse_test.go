package anonymizer

import (
	"strings"
	"testing"
)

func TestParsePolicy(t *testing.T) {
	good := `{"columns": {"身份证号": {"role": "identifying", "action": "drop"},
	  "手机号": {"role": "identifying", "action": "pseudonymize"},
	  "age": {"role": "quasi", "hierarchy": "interval:5,10,20"},
	  "diagnosis": {"role": "sensitive"}},
	 "k": 5, "l": "distinct:2", "suppression": 0.05, "metric": "loss"}`
	p, err := ParsePolicy("p.json", strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	var cfg Config
	specs := map[string]string{}
	if err := p.Apply(&cfg, specs); err != nil {
		t.Fatal(err)
	}
	if cfg.Models.K != 5 || cfg.Models.L == nil || cfg.Models.L.L != 2 || cfg.Models.Suppression != 0.05 {
		t.Errorf("models %+v", cfg.Models)
	}
	if strings.Join(cfg.QuasiIdentifiers, ",") != "age" || strings.Join(cfg.Sensitive, ",") != "diagnosis" ||
		strings.Join(cfg.Drop, ",") != "身份证号" || strings.Join(cfg.Pseudonymize, ",") != "手机号" {
		t.Errorf("roles: qi %v sensitive %v drop %v pseudonymize %v", cfg.QuasiIdentifiers, cfg.Sensitive, cfg.Drop, cfg.Pseudonymize)
	}
	if specs["age"] != "interval:5,10,20" {
		t.Errorf("hierarchy specs %v", specs)
	}
	bad := []struct{ name, in, wantErr string }{
		{"an unknown key is refused", `{"colums": {}}`, "unknown field"},
		{"an unknown role is refused", `{"columns": {"a": {"role": "secret"}}}`, `columns.a.role "secret"`},
		{"an action on a quasi-identifier is refused", `{"columns": {"a": {"role": "quasi", "action": "drop"}}}`, "only identifying columns"},
		{"a bad l is refused", `{"l": "distinct"}`, "want distinct:L"},
		{"a bad algorithm is refused", `{"algorithm": "genetic"}`, `algorithm "genetic"`},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicy("p.json", strings.NewReader(c.in))
			if err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.HasPrefix(err.Error(), "p.json") {
				t.Fatalf("error %v, want %q naming p.json", err, c.wantErr)
			}
		})
	}
}

// A malformed policy file is one line naming the file, the line and
// column, and the field, in JSON's words (not Go's type names); data
// after the object is refused, not ignored.
func TestParsePolicy_ErrorsNameTheLineAndField(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"a string for k", `{"k": "five"}`, `p.json: policy: line 1, column 13: field k: got JSON string, want a whole number`},
		{"an unknown key", "{\"k\": 5,\n \"columns\": {\"a\": {\"role\": \"quasi\", \"extra\": 1}}}", `p.json: policy: line 2, column 50: unknown field "extra"`},
		{"a second object", "{\"k\": 5}\n{\"k\": 6}", `p.json: policy: line 2, column 1: data after the policy object`},
		{"cut short", `{"k": 5, "columns": {`, `p.json: policy: line 1, column 22: the JSON ends before the policy object does`},
		{"empty", ``, `p.json: policy: empty input; want a JSON object`},
		{"a syntax error", "{\"k\": 5,\n\"l\": }", `p.json: policy: line 2, column 6: invalid character '}' looking for beginning of value`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicy("p.json", strings.NewReader(c.in))
			if err == nil || err.Error() != c.want {
				t.Fatalf("err = %v\nwant   %s", err, c.want)
			}
			if strings.Contains(err.Error(), "Go struct") || strings.Contains(err.Error(), "\n") {
				t.Errorf("not one line in JSON's words: %v", err)
			}
		})
	}
}
