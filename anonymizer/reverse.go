package anonymizer

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/emmansun/gmsm/sm3"
)

// recipe is one way a release may derive a value from a raw identifier.
// The restoration attacks recompute it from raw values (Tianjin Art. 29:
// processing must not be reversible).
type recipe struct {
	name string
	// digest is set for hash transforms: the identifier space may then be
	// enumerated by an attacker who has no raw table.
	digest bool
	apply  func(string) string
}

// hashFunc is a named hash constructor.
type hashFunc struct {
	name string
	new  func() hash.Hash
}

// hashes are the unkeyed hashes a restoration attack tries: MD5, SHA-1,
// SHA-256, SHA-512 and SM3 (GB/T 32905-2016).
var hashes = []hashFunc{
	{"md5", md5.New},
	{"sha1", sha1.New},
	{"sha256", sha256.New},
	{"sha512", sha512.New},
	{"sm3", sm3.New},
}

func sum(h func() hash.Hash, parts ...string) []byte {
	d := h()
	for _, p := range parts {
		d.Write([]byte(p))
	}
	return d.Sum(nil)
}

// digester hashes prefix+value+suffix with one reused hash state; it is not
// safe for concurrent use (each CheckRelease builds its own recipes).
type digester struct {
	h              hash.Hash
	prefix, suffix []byte
	out, enc       []byte
}

func (d *digester) digest(v string) []byte {
	d.h.Reset()
	d.h.Write(d.prefix)
	d.h.Write([]byte(v))
	d.h.Write(d.suffix)
	d.out = d.h.Sum(d.out[:0])
	return d.out
}

func (d *digester) hex(v string) string {
	b := d.digest(v)
	d.enc = hex.AppendEncode(d.enc[:0], b)
	return string(d.enc)
}

func (d *digester) base64(v string) string {
	b := d.digest(v)
	d.enc = base64.StdEncoding.AppendEncode(d.enc[:0], b)
	return string(d.enc)
}

// digestTransforms returns hex and base64 forms of h over prefix+value+suffix.
func digestTransforms(h hashFunc, label, prefix, suffix string) []recipe {
	hx := &digester{h: h.new(), prefix: []byte(prefix), suffix: []byte(suffix)}
	b64 := &digester{h: h.new(), prefix: []byte(prefix), suffix: []byte(suffix)}
	return []recipe{
		{name: h.name + "(" + label + ")", digest: true, apply: hx.hex},
		{name: "base64 " + h.name + "(" + label + ")", digest: true, apply: b64.base64},
	}
}

// transforms returns every recipe tried, for the given known salts (named
// "salt #1", … in reports: a published salt is not repeated there).
func transforms(salts []string) []recipe {
	ts := []recipe{
		{name: "reversed", apply: reverseString},
		{name: "hex", apply: func(v string) string { return hex.EncodeToString([]byte(v)) }},
		{name: "base64", apply: func(v string) string { return base64.StdEncoding.EncodeToString([]byte(v)) }},
		{name: "base64url", apply: func(v string) string { return base64.RawURLEncoding.EncodeToString([]byte(v)) }},
		{name: "base32", apply: func(v string) string { return base32.StdEncoding.EncodeToString([]byte(v)) }},
	}
	for k := 1; k <= 9; k++ {
		ts = append(ts, recipe{name: fmt.Sprintf("digit shift +%d", k), apply: func(v string) string { return shiftDigits(v, k) }})
	}
	ts = append(ts, recipe{name: "reversed digit shift", apply: func(v string) string { return reverseString(shiftDigits(v, 5)) }})
	for _, h := range hashes {
		ts = append(ts, digestTransforms(h, "value", "", "")...)
	}
	for i, s := range salts {
		ts = append(ts, saltedTransforms(fmt.Sprintf("salt #%d", i+1), s)...)
	}
	return ts
}

// saltedTransforms are the hashes with salt s before or after the value,
// and HMAC keyed by s; label names s in the recipe names.
func saltedTransforms(label, s string) []recipe {
	var ts []recipe
	for _, h := range hashes {
		ts = append(ts, digestTransforms(h, label+"+value", s, "")...)
		ts = append(ts, digestTransforms(h, "value+"+label, "", s)...)
		mac := &digester{h: hmac.New(h.new, []byte(s))}
		ts = append(ts, recipe{name: "hmac-" + h.name + "(" + label + ", value)", digest: true, apply: mac.hex})
	}
	return ts
}

func reverseString(v string) string {
	r := []rune(v)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

// shiftDigits adds k (mod 10) to every decimal digit of v.
func shiftDigits(v string, k int) string {
	b := []byte(v)
	changed := false
	for i, c := range b {
		if c >= '0' && c <= '9' {
			b[i] = '0' + (c-'0'+byte(k))%10
			changed = true
		}
	}
	if !changed {
		return "\x00" // not a digit string: never matches
	}
	return string(b)
}

// releaseIndex finds a recomputed value in a release column. Hex digests
// are matched in any letter case.
type releaseIndex struct {
	col   *Column
	lower map[string]int32 // lower-cased upper-case hex values, when any
}

func newReleaseIndex(col *Column) *releaseIndex {
	ri := &releaseIndex{col: col}
	for code, v := range col.Dict {
		if isHexString(v) && strings.ToLower(v) != v {
			if ri.lower == nil {
				ri.lower = make(map[string]int32)
			}
			ri.lower[strings.ToLower(v)] = int32(code)
		}
	}
	return ri
}

// find returns the code of s in the column, and whether it occurs.
func (ri *releaseIndex) find(s string) (int32, bool) {
	if c, ok := ri.col.Code(s); ok {
		return c, true
	}
	if ri.lower != nil {
		c, ok := ri.lower[s]
		return c, ok
	}
	return 0, false
}

func isHexString(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
