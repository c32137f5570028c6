package anonymizer

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func TestGate_TianjinArt29_RestorableColumns(t *testing.T) {
	raw := mustPopulation(t, 1000, 5)
	md5Hex := func(v string) string { s := md5.Sum([]byte(v)); return hexOf(s[:]) }
	cases := []struct {
		name   string
		cols   []releaseCol
		column string
		method string
		enum   string // the identifier space enumerated: "id" (area and birth year), "mobile" (blocks), ""
	}{
		{"an MD5 of the resident ID is restored, also by enumerating area and birth year",
			[]releaseCol{derive("uid", "身份证号", md5Hex)}, "uid", "md5(value)", "id"},
		{"an upper-case SHA-1 of the mobile number is restored, also by enumerating its block",
			[]releaseCol{derive("uid", "手机号", func(v string) string { s := sha1.Sum([]byte(v)); return strings.ToUpper(hexOf(s[:])) })}, "uid", "sha1(value)", "mobile"},
		{"an SM3 (GB/T 32905) of the mobile number is restored",
			[]releaseCol{derive("uid", "手机号", func(v string) string { s := sm3.Sum([]byte(v)); return hexOf(s[:]) })}, "uid", "sm3(value)", "mobile"},
		{"a base64 SHA-256 of the name is restored",
			[]releaseCol{derive("uid", "姓名", func(v string) string { s := sha256.Sum256([]byte(v)); return base64.StdEncoding.EncodeToString(s[:]) })}, "uid", "base64 sha256(value)", ""},
		{"a SHA-256 under a salt published in the release is restored",
			[]releaseCol{derive("uid", "身份证号", func(v string) string { s := sha256.Sum256([]byte("shujiao-2024" + v)); return hexOf(s[:]) }),
				{"salt", func(map[string]string, int) string { return "shujiao-2024" }}}, "uid", "sha256(salt #1+value)", "id"},
		{"an HMAC under a key published in the release is restored",
			[]releaseCol{derive("uid", "手机号", func(v string) string { return Pseudonym([]byte("k3y-in-the-open"), v) }),
				{"key", func(map[string]string, int) string { return "k3y-in-the-open" }}}, "uid", "hmac-sha256(salt #1, value)", "mobile"},
		{"a reversed resident ID is restored",
			[]releaseCol{derive("身份证号", "身份证号", reverseString)}, "身份证号", "reversed", ""},
		{"a digit-shifted mobile number is restored",
			[]releaseCol{derive("手机号", "手机号", func(v string) string { return shiftDigits(v, 3) })}, "手机号", "digit shift +3", ""},
		{"a hex-encoded name is restored",
			[]releaseCol{derive("姓名", "姓名", func(v string) string { return hex.EncodeToString([]byte(v)) })}, "姓名", "hex", ""},
		{"a base64-encoded resident ID is restored",
			[]releaseCol{derive("身份证号", "身份证号", func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) })}, "身份证号", "base64", ""},
		{"a sequence number per person (a one-to-one mapping, no key) is restorable",
			[]releaseCol{{"编号", func(_ map[string]string, r int) string { return fmt.Sprintf("P%06d", r) }}}, "编号", "one-to-one mapping", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			budget := 50_000 // five blocks of mobile numbers
			if tc.enum == "id" {
				budget = 400_000 // one area and birth year: 366,000 IDs
			}
			res := CheckRelease(raw, safeRelease(t, raw, tc.cols...), GateOptions{Policy: synthPolicy(), EnumerationBudget: budget})
			mustFail(t, res, CheckRestorable, tc.column)
			if res.Level != LevelL1 {
				t.Fatalf("level %s, want L1", res.Level)
			}
			var got *Restoration
			for i := range res.Restored {
				if res.Restored[i].Column == tc.column {
					got = &res.Restored[i]
				}
			}
			if got == nil {
				t.Fatalf("no restoration reported for %s", tc.column)
			}
			if got.Method != tc.method {
				t.Fatalf("method %q, want %q", got.Method, tc.method)
			}
			if got.Restored < got.Distinct*9/10 || got.Restored == 0 {
				t.Fatalf("restored %d of %d distinct values, want nearly all", got.Restored, got.Distinct)
			}
			if tc.enum != "" && (got.Candidates == 0 || got.Enumerated == 0 || !strings.Contains(got.Space, map[string]string{"id": "resident IDs", "mobile": "mobile numbers"}[tc.enum])) {
				t.Fatalf("no enumeration: %+v", got)
			}
		})
	}
}

func TestGate_TianjinArt29_SellerKeyedPseudonymIsRestorable(t *testing.T) {
	// Keyed by the seller, not the platform: the seller can recompute and
	// reverse it, so it fails whatever it looks like.
	raw := mustPopulation(t, 1000, 6)
	key := []byte("a secret the buyer never sees")
	rel := safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return Pseudonym(key, v) }))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	mustFail(t, res, CheckRestorable, "pid")
	if len(res.Pseudonyms) != 0 {
		t.Fatalf("pseudonyms %v, want none: no platform key made them", res.Pseudonyms)
	}
	t.Run("the platform-keyed pseudonym passes and fails once the key appears in a cell", func(t *testing.T) {
		pk := PseudonymKey{ID: "pk-test", Method: MethodHMACSHA256, Secret: key}
		rel := safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(pk, v) }))
		if res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), PseudonymKeys: []PseudonymKey{pk}}); !res.Passed {
			t.Fatalf("platform pseudonym failed:%s", reasonList(res))
		}
		rel = safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(pk, v) }),
			releaseCol{"说明", func(_ map[string]string, r int) string {
				if r == 7 {
					return "HMAC key: " + string(key)
				}
				return ""
			}})
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), PseudonymKeys: []PseudonymKey{pk}})
		mustFail(t, res, CheckRestorable, "说明")
	})
	t.Run("the seller's key appearing hex-encoded in a cell is named", func(t *testing.T) {
		rel := safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return Pseudonym(key, v) }),
			releaseCol{"说明", func(_ map[string]string, r int) string {
				return map[bool]string{true: "k=" + hex.EncodeToString(key)}[r == 3]
			}})
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), SecretKeys: []string{string(key)}})
		mustFail(t, res, CheckRestorable, "说明")
	})
	t.Run("an HMAC whose key an attacker knows is restored by recomputation", func(t *testing.T) {
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), Salts: []string{string(key)}, EnumerationBudget: 50_000})
		r := mustFail(t, res, CheckRestorable, "pid")
		if !strings.Contains(r.Detail, "hmac-sha256(salt #1, value)") {
			t.Fatalf("detail does not name the HMAC: %s", r.Detail)
		}
	})
}

func TestGate_TianjinArt29_EnumerationRestoresWithoutRawValues(t *testing.T) {
	// A mobile block the raw table samples sparsely: enumeration restores
	// hashes of numbers that recomputation from the raw values alone finds too,
	// and says how many candidates it hashed.
	raw := mustPopulation(t, 300, 7)
	rel := safeRelease(t, raw, derive("h", "手机号", func(v string) string { s := md5.Sum([]byte(v)); return hexOf(s[:]) }))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), EnumerationBudget: 50_000})
	mustFail(t, res, CheckRestorable, "h")
	r := res.Restored[0]
	if r.Candidates == 0 || r.Candidates > 50_000 || r.Candidates%10_000 != 0 {
		t.Fatalf("candidates %d: want whole blocks of 10^4 within the budget", r.Candidates)
	}
	if r.Enumerated == 0 || r.Enumerated > r.Restored {
		t.Fatalf("enumerated %d of %d restored", r.Enumerated, r.Restored)
	}
	if !strings.Contains(res.Reasons[0].Detail, "without the raw table") {
		t.Fatalf("detail does not report enumeration: %s", res.Reasons[0].Detail)
	}
}

func TestSM3_GBT32905Vectors(t *testing.T) {
	// GB/T 32905-2016 Annex A: "abc" and "abcd" × 16.
	for in, want := range map[string]string{
		"abc":                      "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
		strings.Repeat("abcd", 16): "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
	} {
		if got := hexOf(sum(sm3.New, in)); got != want {
			t.Errorf("sm3(%q) = %s, want %s", in, got, want)
		}
	}
}
