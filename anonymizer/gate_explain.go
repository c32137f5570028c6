package anonymizer

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/emmansun/gmsm/sm3"
)

// pair is one aligned row: a raw identifier and what the release made of
// it, with the same row's other raw values (for concatenations).
type pair struct {
	row    int
	x, y   string
	others []string
}

// relation is how a recomputed value f(x) stands to a release value y.
type relation struct {
	kind   int // relEqual, relPrefix, relSuffix, relSub, relInside
	off, n int // for relSub: rune offset and length; for prefix/suffix: length
}

const (
	relNone = iota
	relEqual
	relPrefix
	relSuffix
	relSub
	relInside
	relInsidePrefix
)

// minCut is the shortest truncation of a recomputed value that is named as
// such (shorter pieces match by chance).
const minCut = 6

// relate finds how y stands to fx. Hex is compared in any letter case.
func relate(y, fx string) relation {
	if y == "" || fx == "" {
		return relation{}
	}
	if isHexString(fx) {
		y, fx = strings.ToLower(y), strings.ToLower(fx)
	}
	switch {
	case y == fx:
		return relation{kind: relEqual}
	case len(y) >= minCut && strings.HasPrefix(fx, y):
		return relation{kind: relPrefix, n: utf8.RuneCountInString(y)}
	case len(y) >= minCut && strings.HasSuffix(fx, y):
		return relation{kind: relSuffix, n: utf8.RuneCountInString(y)}
	case len(y) >= minCut && strings.Contains(fx, y):
		i := strings.Index(fx, y)
		return relation{kind: relSub, off: utf8.RuneCountInString(fx[:i]), n: utf8.RuneCountInString(y)}
	case len(fx) >= minCut && strings.Contains(y, fx):
		return relation{kind: relInside}
	case len(fx) >= 16 && isHexString(fx):
		// a truncated digest embedded in a longer value
		for n := len(fx) - 1; n >= 8; n-- {
			if strings.Contains(y, fx[:n]) {
				return relation{kind: relInsidePrefix, n: n}
			}
		}
	}
	return relation{}
}

// holds reports whether y stands to fx in relation r.
func (r relation) holds(y, fx string) bool {
	if isHexString(fx) {
		y, fx = strings.ToLower(y), strings.ToLower(fx)
	}
	switch r.kind {
	case relEqual:
		return y == fx
	case relPrefix:
		return strings.HasPrefix(fx, y) && utf8.RuneCountInString(y) == r.n
	case relSuffix:
		return strings.HasSuffix(fx, y) && utf8.RuneCountInString(y) == r.n
	case relSub:
		rs := []rune(fx)
		return r.off+r.n <= len(rs) && string(rs[r.off:r.off+r.n]) == y
	case relInside:
		return len(fx) >= minCut && strings.Contains(y, fx)
	case relInsidePrefix:
		return len(fx) >= r.n && strings.Contains(y, fx[:r.n])
	}
	return false
}

// describe names transform f under relation r: "sha256(value), first 16
// hex digits".
func (r relation) describe(f string, hexOut bool) string {
	unit := "characters"
	if hexOut {
		unit = "hex digits"
	}
	switch r.kind {
	case relPrefix:
		return fmt.Sprintf("%s, first %d %s", f, r.n, unit)
	case relSuffix:
		return fmt.Sprintf("%s, last %d %s", f, r.n, unit)
	case relSub:
		return fmt.Sprintf("%s, %s %d–%d", f, unit, r.off+1, r.off+r.n)
	case relInside:
		return fmt.Sprintf("%s, inside a longer value (concatenated with other text)", f)
	case relInsidePrefix:
		return fmt.Sprintf("%s, first %d %s, inside a longer value", f, r.n, unit)
	}
	return f
}

// explanation is a transform that reproduces a release column from raw
// values, with the rows that show it.
type explanation struct {
	method  string
	digest  *recipe // set when an unkeyed or published-key digest reproduces it exactly
	checked int     // rows checked (held-out rows for learned transforms)
	hits    int     // of which reproduced
	learned int     // rows the mapping was learned on (0 for fixed transforms)
	example []pair
}

// tryFixed tests f on the pairs: the relation of the first pair must hold
// on 90 % of them (a quick look at the first 16 first).
func tryFixed(f func(pair) string, pairs []pair) (relation, int, []pair) {
	if len(pairs) == 0 {
		return relation{}, 0, nil
	}
	var rel relation
	for i := 0; i < len(pairs) && i < 4 && rel.kind == relNone; i++ {
		rel = relate(pairs[i].y, f(pairs[i]))
	}
	if rel.kind == relNone {
		return rel, 0, nil
	}
	hits, quick := 0, min(16, len(pairs))
	var ex []pair
	for i, p := range pairs {
		if i == quick && hits*10 < quick*9 {
			return relation{}, 0, nil
		}
		if rel.holds(p.y, f(p)) {
			hits++
			if len(ex) < 2 {
				ex = append(ex, p)
			}
		}
	}
	if hits < 2 || hits*10 < len(pairs)*9 {
		return relation{}, 0, nil
	}
	return rel, hits, ex
}

// guessableSalts are salts and keys a seller might use and an attacker
// tries first: common words, the data exchange's name, years.
var guessableSalts = []string{"salt", "SALT", "secret", "key", "password", "123456", "shujiao", "数交", "2023", "2024", "2025", "2026"}

// explainPairs looks for a known transform that reproduces the release
// values of the pairs: the restoration recipes (hashes, encodings,
// reversal, digit shifts, published and guessable salts), truncated or
// embedded; hashes of concatenations with another raw column of the row;
// then mappings learned on half of the pairs and checked on the other half
// (character maps, per-position substitutions, offsets). otherNames names
// the pairs' other values. It returns false when nothing reproduces them.
func explainPairs(pairs []pair, otherNames []string, salts []string) (explanation, bool) {
	ts := append([]recipe{{name: "the value itself", apply: func(v string) string { return v }}}, transforms(salts)...)
	for _, g := range guessableSalts {
		ts = append(ts, saltedTransforms(fmt.Sprintf("%q", g), g)...)
	}
	for _, t := range ts {
		t := t
		rel, hits, ex := tryFixed(func(p pair) string { return t.apply(p.x) }, pairs)
		if rel.kind == relNone {
			continue
		}
		e := explanation{method: rel.describe(t.name, isHexString(t.apply(pairs[0].x))), checked: len(pairs), hits: hits, example: ex}
		if t.digest && rel.kind == relEqual {
			e.digest = &t
		}
		return e, true
	}
	if e, ok := explainConcat(pairs, otherNames); ok {
		return e, true
	}
	return explainLearned(pairs)
}

// concatHashes are the digests tried over concatenations.
var concatHashes = []struct {
	name string
	f    func([]byte) string
}{
	{"", func(b []byte) string { return string(b) }},
	{"md5", func(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }},
	{"sha1", func(b []byte) string { s := sha1.Sum(b); return hex.EncodeToString(s[:]) }},
	{"sha256", func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }},
	{"base64 sha256", func(b []byte) string { s := sha256.Sum256(b); return base64.StdEncoding.EncodeToString(s[:]) }},
	{"sm3", func(b []byte) string { return hex.EncodeToString(sum(sm3.New, string(b))) }},
}

// explainConcat tries the value concatenated with another raw column of the
// same row (either order, common separators), plain or hashed.
func explainConcat(pairs []pair, otherNames []string) (explanation, bool) {
	if len(pairs) == 0 {
		return explanation{}, false
	}
	seps := []string{"", "|", ",", "-", "_", " ", ":", ";", "#"}
	for oi, name := range otherNames {
		for _, sep := range seps {
			for _, first := range []bool{true, false} {
				for _, h := range concatHashes {
					f := func(p pair) string {
						if first {
							return h.f([]byte(p.x + sep + p.others[oi]))
						}
						return h.f([]byte(p.others[oi] + sep + p.x))
					}
					rel, hits, ex := tryFixed(f, pairs)
					if rel.kind == relNone || rel.kind == relInside && h.name == "" {
						continue // plain text inside text is check a's
					}
					expr := fmt.Sprintf("value + %q + %s", sep, name)
					if !first {
						expr = fmt.Sprintf("%s + %q + value", name, sep)
					}
					if h.name != "" {
						expr = h.name + "(" + expr + ")"
					} else {
						expr = "concatenation " + expr
					}
					return explanation{method: rel.describe(expr, h.name != "" && h.name != "base64 sha256"), checked: len(pairs), hits: hits, example: ex}, true
				}
			}
		}
	}
	return explanation{}, false
}
