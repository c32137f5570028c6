package market

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// RuleContentUnscanned is the gate rule of a dataset whose values were
// never scanned for a content signature's value patterns as the rule set
// now holds them (uploaded before the platform scanned values, or the
// patterns changed since): the gate cannot prove the banned content is
// absent, so the listing goes to review (Shaanxi Art. 36(3)).
const RuleContentUnscanned = "content-values-unscanned"

// ContentSampleValues is from how many rows, spread over the table, the
// distinct values of each column are drawn that the content signatures'
// value patterns are matched against, offline (check-listing --dataset)
// and at upload alike (every row of the upload's sample of 10,000). It
// was the first 200 distinct values of a column: a seller who put 200
// other values first hid the rest.
const ContentSampleValues = 10_000

// ContentScan is what the value patterns of the content signatures found
// in a dataset's values (Shaanxi Art. 36(3), Art. 65): computed once from
// the distinct values of a bounded sample (ScanContent) and stored with the
// dataset, so that the gate sees the evidence without the raw values ever
// being kept. It holds counts only, never a value.
type ContentScan struct {
	// RuleSetVersion is the rule set whose patterns were run.
	RuleSetVersion int `json:"ruleset_version"`
	// SampleRows is how many rows the values were drawn from (the upload's
	// sample, at most 10,000 rows).
	SampleRows int64 `json:"sample_rows"`
	// Signatures holds one entry per signature with value patterns, also
	// when nothing matched: the entry is the proof of absence.
	Signatures []ScannedSignature `json:"signatures"`
}

// ScannedSignature is what one signature's value patterns found.
type ScannedSignature struct {
	Rule string `json:"rule"`
	// Patterns is the fingerprint of the value patterns run
	// (patternsFingerprint): a scan is evidence only for the same patterns.
	Patterns string `json:"patterns"`
	// Columns are the columns with at least one matching value.
	Columns []ValueCount `json:"columns,omitempty"`
}

// ValueCount is, for one column, how many of the distinct non-empty
// sampled values a signature's patterns matched, out of how many.
type ValueCount struct {
	Column  string `json:"column"`
	Matched int    `json:"matched"`
	Values  int    `json:"values"`
}

// ScanContent runs the value patterns of rs's content signatures over the
// Samples of p's columns and returns the counts, for sampleRows rows. It
// is safe for concurrent use.
func ScanContent(rs *RuleSet, p *ContentProfile, sampleRows int64) *ContentScan {
	scan := &ContentScan{RuleSetVersion: rs.Version, SampleRows: sampleRows, Signatures: []ScannedSignature{}}
	for i := range rs.ContentSignatures {
		sig := &rs.ContentSignatures[i]
		if len(sig.Values) == 0 {
			continue
		}
		res := sig.patterns()
		s := ScannedSignature{Rule: sig.Rule, Patterns: patternsFingerprint(sig.Values)}
		if p != nil {
			for _, c := range p.Columns {
				if n, seen := countValues(c.Samples, res); n > 0 {
					s.Columns = append(s.Columns, ValueCount{Column: c.Name, Matched: n, Values: seen})
				}
			}
		}
		scan.Signatures = append(scan.Signatures, s)
	}
	return scan
}

// entry returns the scan of sig's current value patterns, or nil when the
// scan is nil or ran other patterns (or none) for sig.
func (s *ContentScan) entry(sig *ContentSignature) *ScannedSignature {
	if s == nil {
		return nil
	}
	fp := patternsFingerprint(sig.Values)
	for i := range s.Signatures {
		if e := &s.Signatures[i]; e.Rule == sig.Rule && e.Patterns == fp {
			return e
		}
	}
	return nil
}

// count returns the counts of column, zero when nothing matched in it.
func (e *ScannedSignature) count(column string) (matched, values int) {
	if e == nil {
		return 0, 0
	}
	for _, c := range e.Columns {
		if c.Column == column {
			return c.Matched, c.Values
		}
	}
	return 0, 0
}

// patterns compiles the signature's value patterns (validated with the
// rule set; one that does not compile is left out).
func (sig *ContentSignature) patterns() []*regexp.Regexp {
	res := make([]*regexp.Regexp, 0, len(sig.Values))
	for _, v := range sig.Values {
		if re, err := compilePattern(v); err == nil {
			res = append(res, re)
		}
	}
	return res
}

// countValues returns how many of the non-empty values (trimmed) one of
// res matches, and how many non-empty values there are.
func countValues(values []string, res []*regexp.Regexp) (matched, seen int) {
	if len(res) == 0 {
		return 0, 0
	}
	for _, v := range values {
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		seen++
		for _, re := range res {
			if re.MatchString(v) {
				matched++
				break
			}
		}
	}
	return matched, seen
}

// valuesMatch is the one decision of whether a column holds the
// signature's content by its values: at least MinShare (0 means 0.5) of
// its distinct non-empty sampled values match a pattern, or at least
// MinMatches of them do (when set), however many other values dilute them.
func (sig *ContentSignature) valuesMatch(matched, seen int) bool {
	share := sig.MinShare
	if share == 0 {
		share = 0.5
	}
	if sig.MinMatches > 0 && matched >= sig.MinMatches {
		return true
	}
	return seen > 0 && float64(matched) >= share*float64(seen)
}

// patternsFingerprint identifies a list of value patterns, in any order.
func patternsFingerprint(values []string) string {
	v := slices.Clone(values)
	slices.Sort(v)
	sum := sha256.Sum256([]byte(strings.Join(v, "\n")))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// scanOf returns the value evidence of p the gate reads: the stored scan,
// or, for a profile read from the file (check-listing --dataset: Samples
// set, no stored scan), the scan of its samples under rs.
func (p *ContentProfile) scanOf(rs *RuleSet) *ContentScan {
	if p.Scan != nil {
		return p.Scan
	}
	for _, c := range p.Columns {
		if len(c.Samples) > 0 {
			return ScanContent(rs, p, 0)
		}
	}
	return nil
}

// unscanned is the review violation of the signatures whose value
// patterns the dataset's values were not scanned with.
func (g *gateRun) unscanned(rules []string, scan *ContentScan) Violation {
	why := "the dataset was uploaded before the platform scanned values"
	if scan != nil {
		why = fmt.Sprintf("its values were scanned under rule set version %d, whose patterns for these signatures differ", scan.RuleSetVersion)
	}
	return Violation{Rule: RuleContentUnscanned, Article: ArticleShaanxi36_3, Effect: EffectReview,
		Reason: fmt.Sprintf("the absence of banned content cannot be shown: the dataset's values were not scanned for the value patterns of %s (%s); upload the dataset again to have them scanned, or a regulator reviews the listing",
			strings.Join(rules, ", "), why)}
}
