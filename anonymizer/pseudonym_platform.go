package anonymizer

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/emmansun/gmsm/sm3"
)

// Pseudonymization methods of the platform (Tianjin Art. 29: a pseudonym
// cannot be reversed only when no recipient can recompute it — it is keyed
// with a secret the platform holds and never releases).
const (
	// MethodHMACSM3 is HMAC over SM3 (GB/T 32905-2016), hex.
	MethodHMACSM3 = "hmac-sm3"
	// MethodHMACSHA256 is HMAC-SHA256, hex.
	MethodHMACSHA256 = "hmac-sha256"
)

// PseudonymKey is one secret of the platform key store: the key that keys
// the pseudonyms of the `pseudonymize` action. Secret never leaves the
// platform: it is not written into releases, certificates, logs or API
// answers; ID names it there instead.
type PseudonymKey struct {
	// ID names the key in certificates and reports (never the secret).
	ID string
	// Method is MethodHMACSM3 or MethodHMACSHA256.
	Method string
	// Secret is the key material (32 random bytes in the store).
	Secret []byte
}

// String shows the key's ID and method, never its secret (so a key that
// reaches a log by mistake does not leak).
func (k PseudonymKey) String() string { return k.ID + " (" + k.Method + ")" }

// ParsePseudonymMethod returns the method named s ("" is hmac-sm3), or an
// error naming the allowed methods.
func ParsePseudonymMethod(s string) (string, error) {
	switch m := strings.ToLower(strings.TrimSpace(s)); m {
	case "":
		return MethodHMACSM3, nil
	case MethodHMACSM3, MethodHMACSHA256:
		return m, nil
	}
	return "", fmt.Errorf("pseudonym method %q: want %s or %s", s, MethodHMACSM3, MethodHMACSHA256)
}

// hashFor returns the hash of a pseudonymization method (SHA-256 for an
// unknown or empty method, the anonymizer's historical default).
func hashFor(method string) func() hash.Hash {
	if method == MethodHMACSM3 {
		return sm3.New
	}
	return sha256.New
}

// KeyedPseudonym is the platform pseudonym of v under k: hex HMAC of v by
// k.Method. Equal values get equal pseudonyms under one key.
func KeyedPseudonym(k PseudonymKey, v string) string {
	m := hmac.New(hashFor(k.Method), k.Secret)
	m.Write([]byte(v))
	return hex.EncodeToString(m.Sum(nil))
}

// PseudonymUse records that a release column was recognised as a platform
// pseudonym: every one of its values was recomputed from a raw column's
// values under a platform key. The certificate carries it (method and key
// ID, never the key).
type PseudonymUse struct {
	Column    string `json:"column"`
	RawColumn string `json:"raw_column"`
	Method    string `json:"method"`
	KeyID     string `json:"key_id"`
	// Values is the number of distinct release values recomputed.
	Values int `json:"values"`
	// Copy is the ID of the copy key (the order) that turned the platform
	// pseudonyms into the copy's, when the column is a copy's.
	Copy string `json:"copy,omitempty"`
}

// CopyKey is the per-order transform of a fingerprinted copy's pseudonyms
// (anonymizer/fingerprint.GateKey makes one from an order key): Pseudonym
// returns the copy's pseudonym, in release column column, of the platform
// pseudonym p. The gate computes p itself from the raw identifier under a
// platform key and compares Pseudonym's answer with the copy's value, so a
// column passes only by recomputation. Pseudonym must be safe for
// concurrent use.
type CopyKey struct {
	// ID names the copy (its order) in reports; never a secret.
	ID        string
	Pseudonym func(column, p string) string
}

// platformPseudonyms finds the release columns made by platform
// pseudonymization: every present value of the column is the keyed
// pseudonym, under one of keys, of a value of one raw identifying column
// (of the same row, when the tables' rows are aligned). Only that
// recomputation counts; what the values look like does not. It returns the
// uses by release column index. The recomputation runs on all cores.
func platformPseudonyms(raw, release *Table, idCols []int, keys []PseudonymKey, copies []CopyKey) map[int]PseudonymUse {
	out := map[int]PseudonymUse{}
	if len(keys) == 0 || len(idCols) == 0 {
		return out
	}
	aligned := raw.Rows() == release.Rows() && raw.Rows() > 0
	for li, col := range release.Columns {
		if !looksHexDigest(col) {
			continue
		}
		for _, k := range keys {
			for _, ri := range idCols {
				rc := raw.Columns[ri]
				var n int
				if aligned {
					n = recomputedRowwise(k, rc, col)
				} else {
					n = recomputedFromSet(k, rc, col)
				}
				if n > 0 {
					out[li] = PseudonymUse{Column: col.Name, RawColumn: rc.Name, Method: k.Method, KeyID: k.ID, Values: n}
					goto next
				}
			}
		}
		// A fingerprinted copy: its rows are shuffled, so its values are
		// recomputed as a set.
		for _, ck := range copies {
			if ck.Pseudonym == nil {
				continue
			}
			for _, k := range keys {
				for _, ri := range idCols {
					rc := raw.Columns[ri]
					if n := recomputedCopy(k, ck, rc, col); n > 0 {
						out[li] = PseudonymUse{Column: col.Name, RawColumn: rc.Name, Method: k.Method, KeyID: k.ID, Values: n, Copy: ck.ID}
						goto next
					}
				}
			}
		}
	next:
	}
	return out
}

// recomputedCopy checks that every present value of rel is the copy's
// pseudonym (ck, in column rel.Name) of the platform pseudonym under k of
// some value of rc, and returns the number of values so recomputed, 0 when
// any is not.
func recomputedCopy(k PseudonymKey, ck CopyKey, rc, rel *Column) int {
	want := make([]string, len(rc.Dict))
	parallelAll(len(rc.Dict), func() func(int) bool {
		m := hmac.New(hashFor(k.Method), k.Secret)
		var buf [64]byte
		return func(i int) bool {
			if isMissing(rc.Dict[i]) {
				return true
			}
			m.Reset()
			m.Write([]byte(strings.TrimSpace(rc.Dict[i])))
			want[i] = strings.ToLower(ck.Pseudonym(rel.Name, hex.EncodeToString(m.Sum(buf[:0]))))
			return true
		}
	})
	set := make(map[string]struct{}, len(want))
	for _, w := range want {
		if w != "" {
			set[w] = struct{}{}
		}
	}
	n := 0
	for _, v := range rel.Dict {
		if isMissing(v) {
			continue
		}
		if _, ok := set[strings.ToLower(strings.TrimSpace(v))]; !ok {
			return 0
		}
		n++
	}
	return n
}

// recomputedRowwise checks every distinct value of rel against the keyed
// pseudonym of the raw value on a row that holds it; a few rows are tried
// first so that a wrong key or column costs little. It returns the number
// of values recomputed, 0 when any is not.
func recomputedRowwise(k PseudonymKey, rc, rel *Column) int {
	first := make([]int32, len(rel.Dict))
	for i := range first {
		first[i] = -1
	}
	for r, b := range rel.Codes {
		if first[b] < 0 {
			first[b] = int32(r)
		}
	}
	var present []int32
	for b, r := range first {
		if r >= 0 && !isMissing(rel.Dict[b]) {
			present = append(present, int32(b))
		}
	}
	check := func(m hash.Hash, buf []byte, b int32) bool {
		m.Reset()
		m.Write([]byte(strings.TrimSpace(rc.Dict[rc.Codes[first[b]]])))
		return hexEqualFold(rel.Dict[b], m.Sum(buf[:0]))
	}
	m := hmac.New(hashFor(k.Method), k.Secret)
	var buf [64]byte
	for _, b := range present[:min(len(present), 4)] {
		if !check(m, buf[:], b) {
			return 0
		}
	}
	if !parallelAll(len(present), func() func(int) bool {
		m := hmac.New(hashFor(k.Method), k.Secret)
		var buf [64]byte
		return func(i int) bool { return check(m, buf[:], present[i]) }
	}) {
		return 0
	}
	return len(present)
}

// recomputedFromSet checks that every present value of rel is the keyed
// pseudonym of some value of rc (rows not aligned).
func recomputedFromSet(k PseudonymKey, rc, rel *Column) int {
	digests := make([][32]byte, len(rc.Dict))
	parallelAll(len(rc.Dict), func() func(int) bool {
		m := hmac.New(hashFor(k.Method), k.Secret)
		var buf [64]byte
		return func(i int) bool {
			m.Reset()
			m.Write([]byte(strings.TrimSpace(rc.Dict[i])))
			copy(digests[i][:], m.Sum(buf[:0]))
			return true
		}
	})
	set := make(map[[32]byte]struct{}, len(digests))
	for _, d := range digests {
		set[d] = struct{}{}
	}
	n := 0
	for _, v := range rel.Dict {
		if isMissing(v) {
			continue
		}
		var d [32]byte
		if b, err := hex.DecodeString(strings.TrimSpace(v)); err != nil || len(b) != 32 {
			return 0
		} else {
			copy(d[:], b)
		}
		if _, ok := set[d]; !ok {
			return 0
		}
		n++
	}
	return n
}

// parallelAll runs f(i) for i in [0, n) on up to GOMAXPROCS goroutines (each
// with its own state from newF) and reports whether every call returned
// true; it stops early on a false.
func parallelAll(n int, newF func() func(int) bool) bool {
	workers := min(runtime.GOMAXPROCS(0), 8, max(n/4096, 1))
	var failed atomic.Bool
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			f := newF()
			for i := w; i < n && !failed.Load(); i += workers {
				if !f(i) {
					failed.Store(true)
				}
			}
		})
	}
	wg.Wait()
	return !failed.Load()
}

// hexEqualFold reports whether v (trimmed) is the hex of b, in either case.
func hexEqualFold(v string, b []byte) bool {
	v = strings.TrimSpace(v)
	if len(v) != 2*len(b) {
		return false
	}
	const digits = "0123456789abcdef"
	for i, x := range b {
		hi, lo := v[2*i]|0x20, v[2*i+1]|0x20
		if hi != digits[x>>4] || lo != digits[x&15] {
			return false
		}
	}
	return true
}

// looksHexDigest is only a filter that spares recomputing pseudonyms for
// columns that cannot hold them (the platform writes 64 hex digits); a
// column passes as a pseudonym only by recomputation.
func looksHexDigest(col *Column) bool {
	n := 0
	for _, v := range col.Dict {
		v = strings.TrimSpace(v)
		if isMissing(v) {
			continue
		}
		if len(v) != 64 || !isHexString(v) {
			return false
		}
		n++
	}
	return n > 0
}

// PseudonymMethodInfo is how a release's pseudonyms were made: the method
// and the ID of the platform key (the key itself is never written).
type PseudonymMethodInfo struct {
	Method string `json:"method"`
	KeyID  string `json:"key_id,omitempty"`
}

func (cfg Config) pseudonymInfo() *PseudonymMethodInfo {
	if len(cfg.Pseudonymize) == 0 {
		return nil
	}
	m := cfg.PseudonymMethod
	if m == "" {
		m = MethodHMACSHA256
	}
	return &PseudonymMethodInfo{Method: m, KeyID: cfg.PseudonymKeyID}
}

// pseudonymDict is the keyed pseudonym of every value under the
// configuration's key and method. The values are hashed in blocks on all
// cores, each worker reusing one keyed hash and one buffer, and the hex
// digits of all the pseudonyms share one allocation (ten million
// pseudonyms are then two objects for the collector, not ten million),
// offered huge pages: the first touch of 4 KiB pages was most of the time
// spent here (hugePages).
func (cfg Config) pseudonymDict(values []string) []string {
	const width = 2 * sha256.Size // sm3.Size is the same
	out := hugePages(make([]string, len(values)))
	all := hugePages(make([]byte, len(values)*width))
	parallelRows(workersFor(nil), len(values), func(lo, hi int) {
		m := cfg.newPseudonymMAC()
		var sum [sha256.Size]byte
		var buf []byte
		digits := all[lo*width : hi*width]
		for i := lo; i < hi; i++ {
			m.Reset()
			buf = append(buf[:0], values[i]...)
			m.Write(buf)
			d := digits[(i-lo)*width : (i-lo)*width+width]
			hex.Encode(d, m.Sum(sum[:0]))
			out[i] = unsafe.String(&d[0], width)
		}
	})
	return out
}
