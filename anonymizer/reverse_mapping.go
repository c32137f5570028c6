package anonymizer

import (
	"encoding/base64"
	"strings"
)

// checkOneToOne fails a release column that is a one-to-one function of a
// raw identifying column (rows aligned), unless it is a keyed pseudonym: the
// policy says the column is pseudonymized, or its values are keyed digests
// (64 bits or more, hex or base64) that no recomputation explained.
// Tianjin Art. 29: a lookup table or the mapping rule restores it. It
// reports whether the column is such a function (pseudonym or not).
func checkOneToOne(res *GateResult, raw, release *Table, rawCol, relCol *Column, policy *Policy) bool {
	if rawCol.Name == relCol.Name && sameValues(rawCol, relCol) {
		return false // the identifier itself: check a reports it
	}
	if mostlyMasked(relCol) {
		return false // masks are judged by check a, by what they still show
	}
	fwd := make([]int32, len(rawCol.Dict))
	for i := range fwd {
		fwd[i] = -1
	}
	bwd := make([]int32, len(relCol.Dict))
	for i := range bwd {
		bwd[i] = -1
	}
	pairs := 0
	for r := 0; r < raw.Rows(); r++ {
		a, b := rawCol.Codes[r], relCol.Codes[r]
		if isMissing(relCol.Dict[b]) {
			continue
		}
		switch {
		case fwd[a] == -1 && bwd[b] == -1:
			fwd[a], bwd[b] = b, a
			pairs++
		case fwd[a] != b || bwd[b] != a:
			return false // not a function, or not one-to-one
		}
	}
	if pairs < 2 {
		return false
	}
	if pseudonymized(policy, relCol.Name, rawCol.Name) || keyedDigests(relCol) {
		res.Pseudonyms = append(res.Pseudonyms, relCol.Name)
		return true
	}
	res.Restored = append(res.Restored, Restoration{Column: relCol.Name, RawColumn: rawCol.Name,
		Method: "one-to-one mapping", Restored: pairs, Distinct: distinctPresent(relCol)})
	res.fail(CheckRestorable, relCol.Name, articleTianjin29, pairs,
		"a one-to-one function of raw identifying column %q (%d values map 1:1) and not a keyed pseudonym (values are not keyed digests, the policy does not pseudonymize it); Tianjin Art. 29: a lookup table or the rule restores it",
		rawCol.Name, pairs)
	return true
}

// mostlyMasked reports whether most values of col carry mask characters.
func mostlyMasked(col *Column) bool {
	n := 0
	for _, v := range col.Dict {
		if hasMask(v) {
			n++
		}
	}
	return n*2 > len(col.Dict)
}

func sameValues(a, b *Column) bool {
	if len(a.Codes) != len(b.Codes) {
		return false
	}
	for i := range a.Codes {
		if a.Dict[a.Codes[i]] != b.Dict[b.Codes[i]] {
			return false
		}
	}
	return true
}

// pseudonymized reports whether the policy pseudonymizes the release column
// or the raw column it derives from.
func pseudonymized(p *Policy, names ...string) bool {
	if p == nil {
		return false
	}
	for _, n := range names {
		if cp, ok := p.Columns[n]; ok && cp.Role == RoleIdentifying && cp.Action == "pseudonymize" {
			return true
		}
	}
	return false
}

// keyedDigests reports whether every value of col looks like a keyed digest
// of at least 64 bits: hex of 16+ digits, or base64 of 11+ characters that
// decodes to 8+ bytes, all of one length.
func keyedDigests(col *Column) bool {
	n := -1
	for _, v := range col.Dict {
		v = strings.TrimSpace(v)
		if isMissing(v) {
			continue
		}
		if n == -1 {
			n = len(v)
		}
		if len(v) != n {
			return false
		}
		if isHexString(v) && len(v) >= 16 {
			continue
		}
		if b, err := base64.StdEncoding.DecodeString(v); err == nil && len(b) >= 8 {
			continue
		}
		if b, err := base64.RawURLEncoding.DecodeString(v); err == nil && len(b) >= 8 {
			continue
		}
		return false
	}
	return n > 0
}
