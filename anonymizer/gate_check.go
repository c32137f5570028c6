package anonymizer

import (
	"sort"
	"strings"
	"sync"
)

// CheckRelease is the irreversibility gate of Tianjin Art. 29: it compares
// the raw table with the intended release and lists, with evidence, every
// reason the release still identifies a data provider or can be reversed:
//
//   - a. a direct identifier survives in a release cell, whole, inside text
//     or masked too little (check "identifier");
//   - b. a release column is restored by recomputing a hash (MD5, SHA-1,
//     SHA-256, SHA-512, SM3; plain, published-salt or HMAC under a published
//     key), an encoding, a reversal or a digit shift of raw identifiers, by
//     enumerating small identifier spaces, or is a one-to-one function of a
//     raw identifier that is not a keyed pseudonym (check "restorable");
//   - c. a prosecutor who knows a target's raw quasi-identifiers links her
//     to fewer release records than the mode allows, or to exactly one
//     (check "risk", GB/T 42460-2023 Annex D);
//   - d. a class's sensitive values are all the same (check "homogeneity"),
//     unless the policy accepts it.
//
// Columns are matched by name. Roles come from opt.Policy, and from
// detection for the columns it does not name. The result's Level is the
// GB/T 42460-2023 effect level. CheckRelease does not modify the tables and
// is safe for concurrent use on tables nobody mutates; it uses up to three
// goroutines itself. An unknown opt.Mode is checked as public, the strictest.
func CheckRelease(raw, release *Table, opt GateOptions) *GateResult {
	mode, err := ParseMode(string(opt.Mode))
	if err != nil {
		mode = ModePublic // an unknown mode gets the strictest threshold
	}
	res := &GateResult{Mode: mode, Threshold: mode.Threshold(), RowsRaw: raw.Rows(), RowsRelease: release.Rows(),
		QuasiIdentifiers: []string{}, Restored: []Restoration{}, Pseudonyms: []string{}, Reasons: []Reason{}}
	res.Columns = resolveRoles(raw, release, opt.Policy)

	var idCols, qiRaw, qiRel, sensitive, qiAll []int
	var truncated []bool // per quasi-identifier: an identifying column kept in part
	for _, cr := range res.Columns {
		if ri := raw.ColumnIndex(cr.Name); cr.Role == RoleIdentifying && ri >= 0 {
			idCols = append(idCols, ri)
		}
	}
	// Platform pseudonyms are recognised by recomputation under the
	// platform's keys, before any check: they carry nothing to link.
	platform := platformPseudonyms(raw, release, idCols, opt.PseudonymKeys, opt.CopyKeys)
	isPlatform := func(li int) bool { _, ok := platform[li]; return ok }
	for _, cr := range res.Columns {
		ri, li := raw.ColumnIndex(cr.Name), release.ColumnIndex(cr.Name)
		switch {
		case cr.Role == RoleIdentifying && ri >= 0:
			// An identifying column kept in the release in part (truncated,
			// masked, generalized) is what is left of it: a quasi-identifier
			// the prosecutor links by. Platform pseudonyms carry nothing to link.
			if li >= 0 && !isPlatform(li) {
				qiRaw, qiRel, truncated = append(qiRaw, ri), append(qiRel, li), append(truncated, true)
			}
		case cr.Role == RoleQuasi && ri >= 0 && li >= 0:
			qiRaw, qiRel, truncated = append(qiRaw, ri), append(qiRel, li), append(truncated, false)
			qiAll = append(qiAll, ri)
		case cr.Role == RoleQuasi && ri >= 0:
			qiAll = append(qiAll, ri)
		case cr.Role == RoleSensitive && li >= 0:
			sensitive = append(sensitive, li)
		}
	}

	// Checks a and b run beside c and d (they only read the tables), each
	// into its own result; reasons are merged in the order a, b, c, d.
	idRes, restRes := &GateResult{}, &GateResult{}
	var wg sync.WaitGroup
	wg.Go(func() { checkIdentifiers(idRes, release, newIDIndex(raw, idCols), mode) })
	wg.Go(func() { checkRestorable(restRes, raw, release, idCols, qiAll, platform, opt) })
	if len(qiRel) > 0 {
		checkRisk(res, raw, release, qiRaw, qiRel, truncated, sensitive, opt, mode)
	}
	wg.Wait()
	res.Reasons = append(append(append([]Reason{}, idRes.Reasons...), restRes.Reasons...), res.Reasons...)
	res.Restored = append(res.Restored, restRes.Restored...)
	res.Pseudonyms = append(res.Pseudonyms, restRes.Pseudonyms...)
	res.PseudonymKeys = append([]PseudonymUse{}, restRes.PseudonymKeys...)

	switch {
	case res.has(CheckIdentifier) || res.has(CheckRestorable):
		res.Level = LevelL1
	case len(qiRel) == 0:
		res.Level = LevelL4
	case res.has(CheckRisk):
		res.Level = LevelL2
	default:
		res.Level = LevelL3
	}
	res.Passed = len(res.Reasons) == 0
	return res
}

// checkRisk runs checks c and d over the quasi-identifiers present in both
// tables (truncated marks identifying columns kept in part, whose release
// values may be prefixes of the raw ones).
func checkRisk(res *GateResult, raw, release *Table, qiRaw, qiRel []int, truncated []bool, sensitive []int, opt GateOptions, mode Mode) {
	links := make([]*qiLink, len(qiRel))
	for d := range qiRel {
		name := release.Columns[qiRel[d]].Name
		res.QuasiIdentifiers = append(res.QuasiIdentifiers, name)
		links[d] = newQILink(raw.Columns[qiRaw[d]], release.Columns[qiRel[d]], gateHierarchy(opt, name, raw.Columns[qiRaw[d]]), truncated[d])
	}
	rc, suppressed := newReleaseClasses(release, links)
	res.Suppressed = suppressed
	res.Classes = len(rc.size)
	for _, s := range rc.size {
		if s > 0 && (res.MinClass == 0 || int(s) < res.MinClass) {
			res.MinClass = int(s)
		}
	}
	allowance := 0.01
	if release.Rows() > 0 {
		allowance += float64(suppressed) / float64(release.Rows())
	}
	if raw.Rows() > release.Rows() && raw.Rows() > 0 {
		allowance += float64(raw.Rows()-release.Rows()) / float64(raw.Rows())
	}
	if opt.Policy != nil {
		allowance = max(allowance, opt.Policy.Suppression+0.01)
	}
	for _, l := range links {
		reportUnlinked(res, l, allowance)
	}
	reportRisk(res, link(raw, qiRaw, links, rc, suppressed, mode.Threshold()), res.QuasiIdentifiers, mode)
	if opt.Policy == nil || !opt.Policy.AcceptHomogeneity {
		homogeneity(res, release, sensitive, rc, links)
	}
	checkSuppressedClass(res, release, sensitive, rc, suppressed, opt.Policy)
	if opt.Policy != nil && opt.Policy.T > 0 {
		checkCloseness(res, raw, release, sensitive, rc, opt)
	}
}

// gateHierarchy returns the hierarchy given for a quasi-identifier, or one
// generated from the policy's generator spec over the raw values, or nil.
func gateHierarchy(opt GateOptions, name string, raw *Column) *Hierarchy {
	if h := opt.Hierarchies[name]; h != nil {
		return h
	}
	if opt.Policy == nil {
		return nil
	}
	spec := opt.Policy.Columns[name].Hierarchy
	if spec == "" || !IsGeneratorSpec(spec) {
		return nil
	}
	vals := make([]string, 0, len(raw.Dict))
	for _, v := range raw.Dict {
		vals = append(vals, strings.TrimSpace(v))
	}
	h, err := GenerateHierarchy(spec, vals)
	if err != nil {
		return nil // the release values are still linked by their form
	}
	return h
}

// resolveRoles gives every column of either table its role: the policy's
// when it names the column, else the role detection proposes on the raw
// column (release-only columns are detected on the release).
func resolveRoles(raw, release *Table, policy *Policy) []ColumnRole {
	names := append([]string(nil), raw.Header()...)
	for _, n := range release.Header() {
		if raw.ColumnIndex(n) < 0 {
			names = append(names, n)
		}
	}
	detected := proposedRoles(raw, policy)
	for n, r := range proposedRoles(release, policy) {
		if _, ok := detected[n]; !ok {
			detected[n] = r
		}
	}
	out := make([]ColumnRole, 0, len(names))
	for _, n := range names {
		cr := ColumnRole{Name: n, InRaw: raw.ColumnIndex(n) >= 0, InRelease: release.ColumnIndex(n) >= 0}
		if cp, ok := policyColumn(policy, n); ok && cp.Role != "" {
			cr.Role, cr.Source = cp.Role, "policy"
		} else {
			cr.Role, cr.Source = detected[n], "detection"
			if cr.Role == "" {
				cr.Role = RoleInsensitive
			}
		}
		out = append(out, cr)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].InRaw && !out[j].InRaw })
	return out
}

func policyColumn(p *Policy, name string) (ColumnPolicy, bool) {
	if p == nil {
		return ColumnPolicy{}, false
	}
	cp, ok := p.Columns[name]
	return cp, ok
}
