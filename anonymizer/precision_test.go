package anonymizer

import (
	"strings"
	"testing"
)

func TestParsePrecision(t *testing.T) {
	for in, want := range map[string]int{"1": 0, "10": 1, "1000": 3, "0.1": -1, "0.01": -2} {
		if got, err := ParsePrecision(in); err != nil || got != want {
			t.Errorf("ParsePrecision(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "20", "1e3", "-10", "0.0", "01", "1.0", ".01", "100 "} {
		if _, err := ParsePrecision(bad); err == nil {
			t.Errorf("ParsePrecision(%q) accepted", bad)
		}
	}
}

func TestPolicy_PrecisionOnlyOnInsensitiveColumns(t *testing.T) {
	for _, tc := range []struct{ policy, wantErr string }{
		{`{"columns": {"收入": {"role": "insensitive", "precision": "1000"}}}`, ""},
		{`{"columns": {"收入": {"role": "sensitive", "precision": "1000"}}}`, "only insensitive columns"},
		{`{"columns": {"年龄": {"role": "quasi", "precision": "10"}}}`, "only insensitive columns"},
		{`{"columns": {"收入": {"role": "insensitive", "precision": "500"}}}`, "power of ten"},
	} {
		_, err := ParsePolicy("p.json", strings.NewReader(tc.policy))
		if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
			t.Errorf("%s: %v, want %q", tc.policy, err, tc.wantErr)
		}
	}
}
