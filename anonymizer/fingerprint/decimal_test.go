package fingerprint

import (
	"strings"
	"testing"
)

func TestNumber_DigitsAndBuckets(t *testing.T) {
	for _, tc := range []struct {
		in     string
		e      int
		digit  int
		bucket string
		set    string // the value with the digit set to 7, "" when not written
	}{
		{"77516", 0, 6, "7751", "77517"},
		{"70900", 2, 9, "70", "70700"},
		{"-12.345", -2, 4, "-12.3", "-12.375"},
		{"12.5", -2, 0, "12.5", ""},
		{"900", 2, 9, "", "700"},
		{"0042", 1, 4, "", "0072"},
		{" 1234 ", 1, 3, "12", "1274"},
	} {
		n, ok := parseNumber(tc.in)
		if !ok {
			t.Fatalf("%q: not a number", tc.in)
		}
		if got := n.digit(tc.e); got != tc.digit {
			t.Errorf("%q digit at 10^%d = %d, want %d", tc.in, tc.e, got, tc.digit)
		}
		if got := n.bucket(tc.e); got != tc.bucket {
			t.Errorf("%q bucket at 10^%d = %q, want %q", tc.in, tc.e, got, tc.bucket)
		}
		if tc.set != "" {
			if got := n.withDigit(tc.e, 7); got != tc.set {
				t.Errorf("%q with 7 at 10^%d = %q, want %q", tc.in, tc.e, got, tc.set)
			}
		} else if n.index(tc.e) >= 0 {
			t.Errorf("%q writes a digit at 10^%d", tc.in, tc.e)
		}
	}
	for _, bad := range []string{"", "-", "1e5", "1,000", "12.", ".5", "*", "[10,20)", "一百"} {
		if _, ok := parseNumber(bad); ok {
			t.Errorf("%q parsed as a number", bad)
		}
	}
}

// FuzzNumber: parsing never panics; setting a written digit keeps the
// length, the bucket and every other character.
func FuzzNumber(f *testing.F) {
	for _, s := range []string{"77516", "-12.345", "0.01", "+3", "12.5", "9"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, e int) {
		e = e%8 - 4
		n, ok := parseNumber(s)
		if !ok {
			return
		}
		if n.index(e) < 0 {
			return
		}
		d := (n.digit(e) + 3) % 10
		out := n.withDigit(e, d)
		m, ok := parseNumber(out)
		if !ok || len(out) != len(n.text) || m.digit(e) != d || m.bucket(e) != n.bucket(e) {
			t.Fatalf("%q at 10^%d set to %d gives %q", s, e, d, out)
		}
		diff := 0
		for i := range out {
			if out[i] != n.text[i] {
				diff++
			}
		}
		if diff != 1 || !strings.ContainsRune("0123456789", rune(out[n.index(e)])) {
			t.Fatalf("%q → %q changes %d characters", s, out, diff)
		}
	})
}
