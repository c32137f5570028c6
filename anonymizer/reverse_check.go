package anonymizer

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"
)

// sampleSize is how many distinct raw identifiers each recipe is first
// tried on; a recipe that explains some of them is then applied to all.
const sampleSize = 256

// restoreTarget is one raw identifying column under attack.
type restoreTarget struct {
	col    *Column
	values []string // distinct, non-weak values
	sample []string
}

func newRestoreTarget(col *Column) restoreTarget {
	t := restoreTarget{col: col}
	for _, v := range col.Dict {
		if v = strings.TrimSpace(v); !weakIdentifier(v) {
			t.values = append(t.values, v)
		}
	}
	step := max(1, len(t.values)/sampleSize)
	for i := 0; i < len(t.values) && len(t.sample) < sampleSize; i += step {
		t.sample = append(t.sample, t.values[i])
	}
	return t
}

// checkRestorable is check b (Tianjin Art. 29: processing must not be
// reversible). Columns made by platform pseudonymization (platform) pass.
// When the rows of both tables are aligned, every other release column that
// is not what its same-named raw column became is measured as a function
// of each raw identifying column, then of the combination of raw
// quasi-identifiers (checkDependent, checkQIDependent). A column not failed
// that way is attacked by recomputing every known recipe from the raw
// identifiers (rows need not be aligned) and by enumerating small
// identifier spaces behind hashes.
func checkRestorable(res *GateResult, raw, release *Table, idCols, qiCols []int, platform map[int]PseudonymUse, opt GateOptions) {
	targets := make([]restoreTarget, 0, len(idCols))
	identifying := map[string]bool{}
	for _, c := range idCols {
		targets = append(targets, newRestoreTarget(raw.Columns[c]))
		identifying[raw.Columns[c].Name] = true
	}
	salts := append([]string(nil), opt.Salts...)
	salts = append(salts, releaseSalts(release)...)
	ts := transforms(salts)
	secrets := append([]string(nil), opt.SecretKeys...)
	for _, k := range opt.PseudonymKeys {
		secrets = append(secrets, string(k.Secret), hex.EncodeToString(k.Secret))
	}
	checkSecretKeys(res, release, secrets)
	aligned := raw.Rows() == release.Rows() && raw.Rows() > 0
	var qi *qiTuple
	for li, col := range release.Columns {
		if use, ok := platform[li]; ok {
			res.Pseudonyms = append(res.Pseudonyms, col.Name)
			res.PseudonymKeys = append(res.PseudonymKeys, use)
			continue
		}
		if len(col.Dict) < 2 {
			continue
		}
		if aligned && carriedOver(raw, col, identifying) {
			continue
		}
		if aligned && !mostlyMasked(col) {
			if checkDependent(res, raw, col, targets, salts, opt.EnumerationBudget) {
				continue
			}
		}
		ri := newReleaseIndex(col)
		found := false
		for _, tg := range targets {
			if t, ok := explain(ts, tg, ri); ok {
				found = true
				reportRestored(res, t, tg, ri, opt.EnumerationBudget)
			}
		}
		if found || !aligned || len(qiCols) == 0 || mostlyMasked(col) {
			continue
		}
		if qi == nil {
			qi = newQITuple(raw, qiCols)
		}
		if qi.unique*2 >= raw.Rows() {
			checkQIDependent(res, raw, col, qi)
		}
	}
}

// explain returns the first recipe that explains the sample of tg in the
// release column.
func explain(ts []recipe, tg restoreTarget, ri *releaseIndex) (recipe, bool) {
	for _, t := range ts {
		if sampleHits(t, tg.sample, ri) {
			return t, true
		}
	}
	return recipe{}, false
}

// reportRestored applies t to every raw identifier of tg, enumerates the
// identifier space behind a digest, and records the finding.
func reportRestored(res *GateResult, t recipe, tg restoreTarget, ri *releaseIndex, budget int) {
	r := restoreAll(t, tg, ri)
	if t.digest {
		r.Enumerated, r.Candidates, r.Space = enumerate(t, tg.values, ri, budget)
	}
	res.Restored = append(res.Restored, r)
	detail := fmt.Sprintf("%s of raw column %q: %d of %d distinct release values restored by recomputing it from the raw values",
		r.Method, r.RawColumn, r.Restored, r.Distinct)
	if r.Candidates > 0 {
		detail += fmt.Sprintf("; without the raw table, enumerating %s (%d candidates) restores %d", r.Space, r.Candidates, r.Enumerated)
	}
	res.fail(CheckRestorable, ri.col.Name, articleTianjin29, r.Restored, "%s; Tianjin Art. 29: the processing can be reversed", detail)
}

// sampleHits reports whether t explains the sample: any hit for a digest
// (a chance collision is negligible), at least two hits and 5 % of the
// sample for the weak transforms (reversal, digit shifts, encodings).
func sampleHits(t recipe, sample []string, ri *releaseIndex) bool {
	hits := 0
	for _, v := range sample {
		if _, ok := ri.find(t.apply(v)); ok {
			hits++
			if t.digest {
				return true
			}
		}
	}
	return hits >= 2 && hits*20 >= len(sample)
}

// restoreAll applies t to every raw identifier and counts the distinct
// release values it explains.
func restoreAll(t recipe, tg restoreTarget, ri *releaseIndex) Restoration {
	seen := make([]bool, len(ri.col.Dict))
	n := 0
	for _, v := range tg.values {
		if c, ok := ri.find(t.apply(v)); ok && !seen[c] {
			seen[c] = true
			n++
		}
	}
	return Restoration{Column: ri.col.Name, RawColumn: tg.col.Name, Method: t.name, Restored: n, Distinct: distinctPresent(ri.col)}
}

func distinctPresent(col *Column) int {
	n := 0
	for _, v := range col.Dict {
		if !isMissing(v) {
			n++
		}
	}
	return n
}

// releaseSalts returns the values of constant release columns: a salt or key
// published beside the data is known to every attacker.
func releaseSalts(release *Table) []string {
	var out []string
	for _, col := range release.Columns {
		if len(col.Dict) == 1 && utf8.RuneCountInString(col.Dict[0]) >= 4 {
			out = append(out, strings.TrimSpace(col.Dict[0]))
		}
	}
	return out
}

// checkSecretKeys fails the release when the key of a keyed pseudonym
// appears in any of its cells, as it is or in hex or base64: with the key,
// the pseudonym is reversible.
func checkSecretKeys(res *GateResult, release *Table, keys []string) {
	for _, k := range keys {
		if len(k) < 4 {
			continue
		}
		forms := []string{k, hex.EncodeToString([]byte(k)), base64.StdEncoding.EncodeToString([]byte(k)), base64.RawStdEncoding.EncodeToString([]byte(k))}
		for _, col := range release.Columns {
		values:
			for _, v := range col.Dict {
				for _, f := range forms {
					if strings.Contains(v, f) || strings.Contains(strings.ToLower(v), f) {
						res.fail(CheckRestorable, col.Name, articleTianjin29, 1,
							"the pseudonymization key %s is published in the release; Tianjin Art. 29: keyed pseudonyms are reversible with their key", displayMask(k))
						break values
					}
				}
			}
		}
	}
}
