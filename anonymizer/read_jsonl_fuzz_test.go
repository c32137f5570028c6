package anonymizer

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// FuzzParseFlatObject checks the JSON Lines parser against encoding/json.
// Invariants (on valid UTF-8, which the reader checks first): no panic; what it accepts is valid JSON, and each field's key
// and value text equal what encoding/json decodes; a flat object that
// encoding/json accepts is accepted.
func FuzzParseFlatObject(f *testing.F) {
	for _, s := range []string{`{"a":"1","b":2}`, `{"姓名":"张三","年龄":34.5e1}`, `{}`, `{"a":null,"b":true}`,
		`{"a":"\u00e9\n\"x\""}`, `{"a":[1]}`, `{"a":"1",}`, `{"a" "1"}`, `{"a":01}`, ` { "a" : -0.5 } `} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if !utf8.Valid(line) {
			return // the reader refuses invalid UTF-8 before parsing
		}
		fields, err := parseFlatObject(line, nil)
		var ref map[string]any
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.UseNumber()
		refErr := dec.Decode(&ref)
		if refErr == nil && dec.More() {
			refErr = errJSONTrailing
		}
		if err != nil {
			if refErr == nil && ref != nil && flatJSONObject(ref) {
				t.Fatalf("refused %q that encoding/json accepts: %v", line, err)
			}
			return
		}
		if refErr != nil || ref == nil {
			t.Fatalf("accepted %q that encoding/json refuses: %v", line, refErr)
		}
		for _, f := range fields {
			want, ok := ref[fieldKey(f)]
			if !ok {
				t.Fatalf("%q: key %q not in encoding/json's decoding", line, fieldKey(f))
			}
			var wantText string
			switch w := want.(type) {
			case string:
				wantText = w
			case json.Number:
				wantText = w.String()
			case bool:
				wantText = map[bool]string{true: "true", false: "false"}[w]
			}
			if got := fieldValue(f); got != wantText && !repeatedJSONKey(fields, fieldKey(f)) {
				t.Fatalf("%q: key %q = %q, encoding/json says %q", line, fieldKey(f), got, wantText)
			}
		}
	})
}

var errJSONTrailing = json.Unmarshal([]byte("x"), new(any))

func flatJSONObject(m map[string]any) bool {
	for _, v := range m {
		switch v.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func repeatedJSONKey(fields []jsonField, key string) bool {
	n := 0
	for _, f := range fields {
		if fieldKey(f) == key {
			n++
		}
	}
	return n > 1
}
