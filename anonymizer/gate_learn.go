package anonymizer

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// A learned transform is fitted on the even pairs and judged on the odd
// ones, never on the rows it was learned from (issue: learned mappings are
// checked on held-out rows).

// explainLearned tries mappings learned from the pairs: one character map
// for every position (a digit table, 0→7 1→3 …), a substitution per
// position (format-preserving substitutions, digit shifts that differ by
// position, XOR of characters with a key), both also on the reversed value,
// and a numeric offset or factor.
func explainLearned(pairs []pair) (explanation, bool) {
	var train, test []pair
	for i, p := range pairs {
		if i%2 == 0 {
			train = append(train, p)
		} else {
			test = append(test, p)
		}
	}
	if len(train) < 2 || len(test) < 2 {
		return explanation{}, false
	}
	for _, rev := range []bool{false, true} {
		prep := func(v string) string { return v }
		prefix := ""
		if rev {
			prep, prefix = reverseString, "reversed, then "
		}
		if m, ok := learnMap(train, prep, false); ok {
			if e, ok := heldOut(test, len(train), func(x string) (string, bool) { return m.apply(prep(x), false) }); ok {
				e.method = prefix + "character map " + m.describe()
				return e, true
			}
		}
		if m, ok := learnMap(train, prep, true); ok {
			if e, ok := heldOut(test, len(train), func(x string) (string, bool) { return m.apply(prep(x), true) }); ok {
				e.method = fmt.Sprintf("%sper-position substitution over %d positions", prefix, m.positions())
				return e, true
			}
		}
	}
	if name, f, ok := learnArithmetic(train); ok {
		if e, ok := heldOut(test, len(train), f); ok {
			e.method = name
			return e, true
		}
	}
	return explanation{}, false
}

// heldOut judges a learned transform on the test pairs: it must predict
// at least 95 % of the pairs it can predict, and be able to predict half.
func heldOut(test []pair, learned int, f func(string) (string, bool)) (explanation, bool) {
	e := explanation{learned: learned}
	for _, p := range test {
		got, ok := f(p.x)
		if !ok {
			continue
		}
		e.checked++
		if got == p.y {
			e.hits++
			if len(e.example) < 2 {
				e.example = append(e.example, p)
			}
		}
	}
	if e.checked*2 < len(test) || e.hits < 2 || e.hits*100 < e.checked*95 {
		return explanation{}, false
	}
	return e, true
}

// charMap is a learned substitution of characters, per position or not.
type charMap struct {
	m       map[[2]rune]rune // (position or -1, raw char) -> release char
	changed bool
}

// learnMap learns a character map from the train pairs (values of the same
// length in characters); it fails on a contradiction or when nothing changes.
func learnMap(train []pair, prep func(string) string, perPos bool) (charMap, bool) {
	cm := charMap{m: map[[2]rune]rune{}}
	for _, p := range train {
		x, y := []rune(prep(p.x)), []rune(p.y)
		if len(x) != len(y) {
			return charMap{}, false
		}
		for i := range x {
			k := [2]rune{-1, x[i]}
			if perPos {
				k[0] = rune(i)
			}
			if old, ok := cm.m[k]; ok && old != y[i] {
				return charMap{}, false
			}
			cm.m[k] = y[i]
			if x[i] != y[i] {
				cm.changed = true
			}
		}
	}
	return cm, cm.changed
}

// apply maps x; false when a character was not seen in training.
func (cm charMap) apply(x string, perPos bool) (string, bool) {
	var b strings.Builder
	for i, r := range []rune(x) {
		k := [2]rune{-1, r}
		if perPos {
			k[0] = rune(i)
		}
		o, ok := cm.m[k]
		if !ok {
			return "", false
		}
		b.WriteRune(o)
	}
	return b.String(), true
}

// describe lists a position-independent map: "0→7 1→3 …".
func (cm charMap) describe() string {
	keys := make([]rune, 0, len(cm.m))
	for k := range cm.m {
		keys = append(keys, k[1])
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var parts []string
	for i, k := range keys {
		if i == 12 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, fmt.Sprintf("%c→%c", k, cm.m[[2]rune{-1, k}]))
	}
	return strings.Join(parts, " ")
}

func (cm charMap) positions() int {
	seen := map[rune]bool{}
	for k := range cm.m {
		seen[k[0]] = true
	}
	return len(seen)
}

// digitsOf returns the digits of an identifier (a resident ID's check
// character X dropped), and whether v is such a number.
func digitsOf(v string) (string, bool) {
	if n := len(v); n > 1 && (v[n-1] == 'X' || v[n-1] == 'x') {
		v = v[:n-1]
	}
	if v == "" || len(v) > 40 || strings.Trim(v, "0123456789") != "" {
		return "", false
	}
	return v, true
}

// learnArithmetic fits release = raw + c or release = raw × a (raw read as a
// number) on the train pairs.
func learnArithmetic(train []pair) (string, func(string) (string, bool), bool) {
	num := func(v string) (*big.Int, bool) {
		d, ok := digitsOf(v)
		if !ok {
			return nil, false
		}
		n, ok := new(big.Int).SetString(d, 10)
		return n, ok
	}
	x0, ok1 := num(train[0].x)
	y0, ok2 := new(big.Int).SetString(strings.TrimSpace(train[0].y), 10)
	if !ok1 || !ok2 {
		return "", nil, false
	}
	c := new(big.Int).Sub(y0, x0)
	off := func(x string) (string, bool) {
		n, ok := num(x)
		if !ok {
			return "", false
		}
		return n.Add(n, c).String(), true
	}
	if c.Sign() != 0 && fits(train, off) {
		return fmt.Sprintf("numeric offset: value %+d", c), off, true
	}
	if x0.Sign() != 0 {
		a, m := new(big.Int).QuoRem(y0, x0, new(big.Int))
		mul := func(x string) (string, bool) {
			n, ok := num(x)
			if !ok {
				return "", false
			}
			return n.Mul(n, a).String(), true
		}
		if m.Sign() == 0 && a.Cmp(big.NewInt(1)) != 0 && fits(train, mul) {
			return fmt.Sprintf("numeric factor: value × %s", a), mul, true
		}
	}
	return "", nil, false
}

func fits(train []pair, f func(string) (string, bool)) bool {
	for _, p := range train {
		if got, ok := f(p.x); !ok || got != strings.TrimSpace(p.y) {
			return false
		}
	}
	return true
}
