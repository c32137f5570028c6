package anonymizer

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"
)

// disguise is one way an adversarial seller hides a direct identifier in a
// release column (issue 14): a generator of the column, and what the gate's
// evidence must name.
type disguise struct {
	name   string
	col    releaseCol
	method string // a substring of the method reported ("" any)
	raw    string // the raw column named ("" any identifying column)
}

func sha256Hex(v string) string { s := sha256.Sum256([]byte(v)); return hex.EncodeToString(s[:]) }
func md5Hex(v string) string    { s := md5.Sum([]byte(v)); return hex.EncodeToString(s[:]) }
func sm3Hex(v string) string    { s := sm3.Sum([]byte(v)); return hex.EncodeToString(s[:]) }
func hmacHex(key, v string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// digitTable returns a fixed random permutation of the ten digits.
func digitTable(seed uint64) func(string) string {
	p := rand.New(rand.NewPCG(seed, 1)).Perm(10)
	return func(v string) string {
		b := []byte(v)
		for i, c := range b {
			if c >= '0' && c <= '9' {
				b[i] = byte('0' + p[c-'0'])
			}
		}
		return string(b)
	}
}

// positionTable returns a substitution of digits that differs by position
// (a fixed permutation per position), keeping the first keep characters.
func positionTable(seed uint64, keep int) func(string) string {
	r := rand.New(rand.NewPCG(seed, 2))
	perms := make([][]int, 40)
	for i := range perms {
		perms[i] = r.Perm(10)
	}
	return func(v string) string {
		b := []byte(v)
		for i, c := range b {
			if i >= keep && c >= '0' && c <= '9' {
				b[i] = byte('0' + perms[i][c-'0'])
			}
		}
		return string(b)
	}
}

// disguises is the adversarial corpus: every kind of disguised identifier
// the gate must find restorable (Tianjin Art. 29), with its evidence.
func disguises() []disguise {
	tokens := map[string]string{} // a seller's own random tokens, mapping kept by the seller
	tr := rand.New(rand.NewPCG(7, 7))
	token := func(v string) string {
		if t, ok := tokens[v]; ok {
			return t
		}
		t := fmt.Sprintf("%016x", tr.Uint64())
		tokens[v] = t
		return t
	}
	fullWidth := func(v string) string {
		var b strings.Builder
		for _, r := range v {
			if r >= '0' && r <= '9' {
				r += '０' - '0'
			}
			b.WriteRune(r)
		}
		return b.String()
	}
	num := func(v string) *big.Int { n, _ := new(big.Int).SetString(strings.TrimRight(v, "Xx"), 10); return n }
	noisy := rand.New(rand.NewPCG(9, 9))
	return []disguise{
		{"the first 16 hex digits of an unsalted SHA-256 of the ID number", derive("uid", "身份证号", func(v string) string { return sha256Hex(v)[:16] }), "sha256(value), first 16 hex digits", "身份证号"},
		{"an MD5 of the ID number", derive("uid", "身份证号", md5Hex), "md5(value)", "身份证号"},
		{"an upper-case SHA-1 of the mobile number", derive("uid", "手机号", func(v string) string { s := sha1.Sum([]byte(v)); return strings.ToUpper(hex.EncodeToString(s[:])) }), "sha1(value)", "手机号"},
		{"an SM3 of the ID number", derive("uid", "身份证号", sm3Hex), "sm3(value)", "身份证号"},
		{"a SHA-256 of the ID number under the guessable salt \"salt\"", derive("uid", "身份证号", func(v string) string { return sha256Hex("salt" + v) }), `sha256("salt"+value)`, "身份证号"},
		{"an MD5 of the mobile number salted after with \"shujiao\"", derive("uid", "手机号", func(v string) string { return md5Hex(v + "shujiao") }), `md5(value+"shujiao")`, "手机号"},
		{"an HMAC-SHA256 of the ID number under the guessable key \"secret\"", derive("uid", "身份证号", func(v string) string { return hmacHex("secret", v) }), `hmac-sha256("secret", value)`, "身份证号"},
		{"an HMAC-SHA256 of the ID number under the seller's own key", derive("uid", "身份证号", func(v string) string { return hmacHex("the seller's private key 2026", v) }), "one-to-one mapping", ""},
		{"ID numbers with every digit swapped through one fixed table", derive("身份证号", "身份证号", digitTable(1)), "character map", "身份证号"},
		{"mobile numbers with a different digit table at each position", derive("手机号", "手机号", positionTable(2, 0)), "per-position substitution", "手机号"},
		{"format-preserving: area code kept, the other digits substituted by position", derive("身份证号", "身份证号", positionTable(3, 6)), "per-position substitution", "身份证号"},
		{"a reversed ID number", derive("code", "身份证号", reverseString), "reversed", "身份证号"},
		{"a reversed mobile number through a digit table", derive("code", "手机号", func(v string) string { return digitTable(4)(reverseString(v)) }), "reversed, then character map", "手机号"},
		{"a hex-encoded name", derive("name_hex", "姓名", func(v string) string { return hex.EncodeToString([]byte(v)) }), "hex", "姓名"},
		{"a base64 ID number", derive("b", "身份证号", func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }), "base64", "身份证号"},
		{"a base32 mobile number", derive("b", "手机号", func(v string) string { return base32.StdEncoding.EncodeToString([]byte(v)) }), "base32", "手机号"},
		{"a base64url name", derive("b", "姓名", func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }), "base64url", "姓名"},
		{"mobile numbers with 3 added to every digit", derive("手机号", "手机号", func(v string) string { return shiftDigits(v, 3) }), "digit shift +3", "手机号"},
		{"mobile numbers plus a constant offset", derive("n", "手机号", func(v string) string { return new(big.Int).Add(num(v), big.NewInt(98765431)).String() }), "numeric offset", "手机号"},
		{"mobile numbers times 7", derive("n", "手机号", func(v string) string { return new(big.Int).Mul(num(v), big.NewInt(7)).String() }), "numeric factor", "手机号"},
		{"a SHA-256 of the ID number concatenated with the name", releaseCol{"uid", func(row map[string]string, _ int) string { return sha256Hex(row["身份证号"] + "|" + row["姓名"]) }}, `sha256(value + "|" + 姓名)`, "身份证号"},
		{"the last 12 hex digits of an MD5 of the ID number", derive("uid", "身份证号", func(v string) string { return md5Hex(v)[20:] }), "md5(value), last 12 hex digits", "身份证号"},
		{"hex digits 9 to 24 of a SHA-256 of the mobile number", derive("uid", "手机号", func(v string) string { return sha256Hex(v)[8:24] }), "sha256(value), hex digits 9–24", "手机号"},
		{"a base64 SHA-256 of the ID number cut to 22 characters", derive("uid", "身份证号", func(v string) string {
			s := sha256.Sum256([]byte(v))
			return base64.StdEncoding.EncodeToString(s[:])[:22]
		}), "base64 sha256(value), first 22 characters", "身份证号"},
		{"random tokens whose mapping the seller keeps", derive("token", "身份证号", token), "one-to-one mapping", ""},
		{"full-width digits of the mobile number", derive("tel", "手机号", fullWidth), "character map", "手机号"},
		{"an MD5 of the ID number hidden under an insensitive column's name", derive("职业", "身份证号", md5Hex), "md5(value)", "身份证号"},
		{"an SM3 of the ID number with a prefix around it", derive("ref", "身份证号", func(v string) string { return "REF-" + sm3Hex(v)[:20] + "-2026" }), "sm3(value), first 20 hex digits, inside a longer value", "身份证号"},
		{"a SHA-256 of the ID number for 70 % of the rows, noise for the rest", derive("uid", "身份证号", func(v string) string {
			if noisy.IntN(10) < 3 {
				return fmt.Sprintf("%064x", noisy.Uint64())
			}
			return sha256Hex(v)
		}), "", ""},
		{"an MD5 of the birth date, sex and division together (unique per person)", releaseCol{"qid", func(row map[string]string, _ int) string {
			return md5Hex(row["出生日期"] + row["性别"] + row["行政区划"])
		}}, "", ""},
	}
}

func TestGate_TianjinArt29_DisguisedIdentifiersAreRestorable(t *testing.T) {
	raw := mustPopulation(t, 2000, 14)
	ds := disguises()
	if len(ds) < 25 {
		t.Fatalf("corpus has %d kinds of disguise, want at least 25", len(ds))
	}
	for _, d := range ds {
		t.Run(d.name, func(t *testing.T) {
			rel := safeRelease(t, raw, d.col)
			res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), EnumerationBudget: 20_000})
			r := mustFail(t, res, CheckRestorable, d.col.name)
			if res.Level != LevelL1 {
				t.Fatalf("level %s, want L1", res.Level)
			}
			var got *Restoration
			for i := range res.Restored {
				if res.Restored[i].Column == d.col.name {
					got = &res.Restored[i]
				}
			}
			if got == nil {
				t.Fatalf("no restoration evidence for %s: %s", d.col.name, r.Detail)
			}
			if d.method != "" && !strings.Contains(got.Method, d.method) {
				t.Fatalf("method %q, want it to name %q; %s", got.Method, d.method, r.Detail)
			}
			if d.raw != "" && got.RawColumn != d.raw {
				t.Fatalf("raw column %q, want %q", got.RawColumn, d.raw)
			}
			if got.Dependency != nil && (got.Dependency.Rows == 0 || !strings.Contains(r.Detail, "distinct raw values")) {
				t.Fatalf("dependency not measured in the evidence: %s", r.Detail)
			}
			if got.Method != "one-to-one mapping" && got.Dependency != nil && len(got.Examples) != 2 {
				t.Fatalf("%d example rows, want 2: %s", len(got.Examples), r.Detail)
			}
			if got.Learned > 0 && got.Checked == 0 {
				t.Fatalf("a learned mapping not checked on held-out rows: %+v", got)
			}
			for _, ex := range got.Examples {
				if strings.Contains(r.Detail, raw.Value(ex.Row-1, raw.ColumnIndex("身份证号"))) {
					t.Fatalf("the evidence prints a raw ID number whole: %s", r.Detail)
				}
			}
		})
	}
}

// platformKey is a platform pseudonymization key for tests.
func platformKey(id, method string) PseudonymKey {
	return PseudonymKey{ID: id, Method: method, Secret: []byte("platform secret " + id + " 0123456789abcdef")}
}

func TestGate_TianjinArt29_HonestReleasesPass(t *testing.T) {
	raw := mustPopulation(t, 2000, 15)
	sm3Key, shaKey, old := platformKey("pk-sm3", MethodHMACSM3), platformKey("pk-sha", MethodHMACSHA256), platformKey("pk-old", MethodHMACSM3)
	keys := []PseudonymKey{sm3Key, shaKey, old}
	cases := []struct {
		name string
		cols []releaseCol
	}{
		{"a generalized release (birth decade, sex, diagnosis)", nil},
		{"an HMAC-SM3 pseudonym under the platform key", []releaseCol{derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(sm3Key, v) })}},
		{"an HMAC-SHA256 pseudonym under the platform key, in the identifier's own column", []releaseCol{derive("手机号", "手机号", func(v string) string { return KeyedPseudonym(shaKey, v) })}},
		{"a pseudonym under a rotated (older) platform key", []releaseCol{derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(old, v) })}},
		{"a release with suppressed records", []releaseCol{{"收入", func(row map[string]string, r int) string {
			if r%40 == 0 {
				return "*"
			}
			return "全部"
		}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := CheckRelease(raw, safeRelease(t, raw, tc.cols...), GateOptions{Policy: synthPolicy(), PseudonymKeys: keys})
			if !res.Passed {
				t.Fatalf("honest release failed:%s", reasonList(res))
			}
			if len(tc.cols) > 0 && strings.Contains(tc.name, "pseudonym") {
				if len(res.PseudonymKeys) != 1 || res.PseudonymKeys[0].KeyID == "" || res.PseudonymKeys[0].Method == "" {
					t.Fatalf("pseudonym keys %+v, want one with method and key id", res.PseudonymKeys)
				}
			}
		})
	}
	t.Run("platform pseudonyms are recognised when rows are left out (tables not aligned)", func(t *testing.T) {
		full := safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(sm3Key, v) }))
		rel, err := NewTable("release.csv", full.Header())
		if err != nil {
			t.Fatal(err)
		}
		for r := range full.Rows() {
			if r%10 != 0 {
				if err := rel.AppendRow(full.Row(r), r+2); err != nil {
					t.Fatal(err)
				}
			}
		}
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), PseudonymKeys: keys})
		if len(res.PseudonymKeys) != 1 || res.PseudonymKeys[0].KeyID != "pk-sm3" {
			t.Fatalf("pseudonym keys %+v, want pid under pk-sm3:%s", res.PseudonymKeys, reasonList(res))
		}
	})
	t.Run("the same pseudonyms fail without the platform key: appearance proves nothing", func(t *testing.T) {
		rel := safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(sm3Key, v) }))
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), PseudonymKeys: []PseudonymKey{shaKey}})
		mustFail(t, res, CheckRestorable, "pid")
	})
	t.Run("a platform pseudonym with one value replaced fails", func(t *testing.T) {
		rel := safeRelease(t, raw, releaseCol{"pid", func(row map[string]string, r int) string {
			if r == 5 {
				return sha256Hex(row["身份证号"])
			}
			return KeyedPseudonym(sm3Key, row["身份证号"])
		}})
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), PseudonymKeys: keys})
		mustFail(t, res, CheckRestorable, "pid")
	})
	t.Run("a platform key published in the release fails", func(t *testing.T) {
		rel := safeRelease(t, raw, derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(sm3Key, v) }),
			releaseCol{"说明", func(_ map[string]string, r int) string {
				return map[bool]string{true: "key " + hex.EncodeToString(sm3Key.Secret)}[r == 3]
			}})
		res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy(), PseudonymKeys: keys})
		mustFail(t, res, CheckRestorable, "说明")
	})
}

func TestGate_TianjinArt29_DependencyMeasured(t *testing.T) {
	col := func(vals ...string) *Column {
		c := &Column{Name: "rel"}
		ix := map[string]int32{}
		for _, v := range vals {
			code, ok := ix[v]
			if !ok {
				code = int32(len(c.Dict))
				ix[v] = code
				c.Dict = append(c.Dict, v)
			}
			c.Codes = append(c.Codes, code)
		}
		return c
	}
	raw := []int32{0, 1, 2, 3, 0, 1}
	cases := []struct {
		name      string
		rel       *Column
		dependent bool
		want      Dependency
	}{
		{"a one-to-one function restores every raw value", col("a", "b", "c", "d", "a", "b"), true,
			Dependency{Rows: 6, DistinctRaw: 4, DistinctRelease: 4, Repeated: 2, Restorable: 4}},
		{"a generalization (two raw values per released value) restores none", col("x", "x", "y", "y", "x", "x"), false,
			Dependency{Rows: 6, DistinctRaw: 4, DistinctRelease: 2, Collisions: 2, Repeated: 2}},
		{"random tokens per row are not a function", col("a", "b", "c", "d", "e", "f"), false,
			Dependency{Rows: 6, DistinctRaw: 4, DistinctRelease: 6, Inconsistent: 2, Repeated: 2, Restorable: 2}},
		{"suppressed cells are left out", col("a", "*", "c", "d", "a", ""), true,
			Dependency{Rows: 4, DistinctRaw: 3, DistinctRelease: 3, Repeated: 1, Restorable: 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := dependency("raw", raw, 4, tc.rel)
			tc.want.RawColumn = "raw"
			if got != tc.want {
				t.Fatalf("dependency %+v, want %+v", got, tc.want)
			}
			if got.Dependent() != tc.dependent {
				t.Fatalf("dependent %v, want %v", got.Dependent(), tc.dependent)
			}
		})
	}
}

// FuzzDependency: for any raw codes and release values, the measured
// counts are consistent, and an injective relabelling of the raw values is
// always found dependent.
func FuzzDependency(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0, 1}, []byte{5, 6, 7, 8, 5, 6})
	f.Add([]byte{1, 1, 1}, []byte{0, 0, 1})
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		n := min(len(a), len(b))
		raw := make([]int32, n)
		rel := &Column{Name: "rel"}
		ix := map[string]int32{}
		for i := range n {
			raw[i] = int32(a[i] % 32)
			v := fmt.Sprint(b[i] % 40)
			if b[i]%40 == 39 {
				v = "*"
			}
			code, ok := ix[v]
			if !ok {
				code = int32(len(rel.Dict))
				ix[v] = code
				rel.Dict = append(rel.Dict, v)
			}
			rel.Codes = append(rel.Codes, code)
		}
		d := dependency("raw", raw, 32, rel)
		if d.Rows > n || d.Restorable > d.DistinctRaw || d.Restorable > d.DistinctRelease ||
			d.Collisions > d.DistinctRelease || d.Inconsistent > d.DistinctRaw || d.DistinctRaw > 32 {
			t.Fatalf("inconsistent counts %+v over %d rows", d, n)
		}
		// The raw codes relabelled one to one (code c → "v<c>") restore them all.
		inj := &Column{Name: "inj"}
		seen := map[int32]int32{}
		for _, x := range raw {
			code, ok := seen[x]
			if !ok {
				code = int32(len(inj.Dict))
				seen[x] = code
				inj.Dict = append(inj.Dict, fmt.Sprintf("v%d", x))
			}
			inj.Codes = append(inj.Codes, code)
		}
		e := dependency("raw", raw, 32, inj)
		if e.Restorable != e.DistinctRaw || e.Collisions != 0 || e.Inconsistent != 0 || (e.DistinctRaw >= 2) != e.Dependent() {
			t.Fatalf("a one-to-one relabelling measured %+v", e)
		}
		// Explaining arbitrary pairs never panics, and a learned mapping
		// is never reported without held-out rows.
		var pairs []pair
		for i := range n {
			pairs = append(pairs, pair{row: i, x: fmt.Sprint(a[i]), y: fmt.Sprint(b[i]), others: []string{fmt.Sprint(a[i] ^ b[i])}})
		}
		if ex, ok := explainPairs(pairs, []string{"o"}, nil); ok && ex.learned > 0 && ex.checked == 0 {
			t.Fatalf("learned mapping %q without held-out rows", ex.method)
		}
	})
}
