package market

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// stored returns p as storage gives it to the gate: the names and
// detectors, the scan of the values under rs, and no value.
func stored(rs *RuleSet, p *ContentProfile) *ContentProfile {
	out := &ContentProfile{Scan: ScanContent(rs, p, 10000)}
	for _, c := range p.Columns {
		out.Columns = append(out.Columns, ContentColumn{Name: c.Name, Detected: c.Detected})
	}
	return out
}

func genomeValues(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strings.Repeat("ACGT", 8) + strings.Repeat("N", i)
	}
	return out
}

// Shaanxi Art. 36(3): the values a stored scan found decide exactly as the
// values themselves do, and the scan keeps no value.
func TestGate_ShaanxiArt36_3_AStoredScanDecidesAsTheValues(t *testing.T) {
	rs := DefaultRuleSet()
	profiles := map[string]*ContentProfile{
		"genome under col7": {Columns: []ContentColumn{{Name: "id", Samples: []string{"1", "2"}}, {Name: "col7", Samples: genomeValues(5)}}},
		"rsIDs under c2":    {Columns: []ContentColumn{{Name: "c1", Samples: []string{"a"}}, {Name: "c2", Samples: []string{"rs1234", "rs99871"}}}},
		"a third of genome": {Columns: []ContentColumn{{Name: "col7", Samples: append(genomeValues(1), "x", "y")}}},
		"coordinate pairs beside a device": {Columns: []ContentColumn{{Name: "device_id", Samples: []string{"D1"}},
			{Name: "c3", Samples: []string{"34.265712,108.954239", "34.266001, 108.955120"}}}},
		"coordinate pairs alone": {Columns: []ContentColumn{{Name: "station", Samples: []string{"钟楼"}},
			{Name: "c3", Samples: []string{"34.265712,108.954239"}}}},
		"clean": {Columns: []ContentColumn{{Name: "col7", Samples: []string{"ACGT", "雁塔区"}}, {Name: "c2", Samples: []string{"rs", "r12345"}}}},
	}
	for name, p := range profiles {
		t.Run(name, func(t *testing.T) {
			l := mustListableListing(t)
			l.Content = p
			want := Gate(&l, nil, rs, gateAt)
			l.Content = stored(rs, p)
			got := Gate(&l, nil, rs, gateAt)
			if got.Decision != want.Decision || len(got.Violations) != len(want.Violations) {
				t.Fatalf("from the stored scan: %s %+v; from the values: %s %+v", got.Decision, got.Violations, want.Decision, want.Violations)
			}
			for i := range got.Violations {
				if got.Violations[i].Rule != want.Violations[i].Rule || !slices.Equal(got.Violations[i].Columns, want.Violations[i].Columns) {
					t.Fatalf("from the stored scan: %+v; from the values: %+v", got.Violations, want.Violations)
				}
			}
			b, _ := json.Marshal(l.Content)
			for _, c := range p.Columns {
				for _, v := range c.Samples {
					if len(v) > 2 && strings.Contains(string(b), v) {
						t.Fatalf("the stored scan holds the value %q: %s", v, b)
					}
				}
			}
		})
	}
	l := mustListableListing(t)
	l.Content = stored(rs, profiles["genome under col7"])
	res := Gate(&l, nil, rs, gateAt)
	if v := findViolation(res, "content-human-genetic-resources"); res.Decision != DecisionBlocked || v == nil ||
		v.Article != ArticleShaanxi36_3 || !slices.Equal(v.Columns, []string{"col7"}) {
		t.Fatalf("genome under col7 from the stored scan: %s %+v, want blocked naming col7", res.Decision, res.Violations)
	}
}

// Shaanxi Art. 36(3): a dataset whose values were never scanned, or
// scanned with other patterns than the rule set now holds, cannot be shown
// free of banned content: review, naming the signatures; a signature whose
// patterns did not change keeps its scan.
func TestGate_ShaanxiArt36_3_UnscannedValuesGoToReview(t *testing.T) {
	rs := DefaultRuleSet()
	clean := &ContentProfile{Columns: []ContentColumn{{Name: "col7", Samples: []string{"雁塔区"}}, {Name: "c2", Samples: []string{"8"}}}}
	cases := []struct {
		name    string
		rules   *RuleSet
		content *ContentProfile
		want    Decision
		names   []string
	}{
		{"TestGate_ShaanxiArt36_3_ACleanScanUnderTheSamePatternsIsListable", rs, stored(rs, clean), DecisionListable, nil},
		{"TestGate_ShaanxiArt36_3_NoScanAtAllGoesToReview", rs, &ContentProfile{Columns: []ContentColumn{{Name: "col7"}, {Name: "c2"}}}, DecisionReview,
			[]string{"content-human-genetic-resources"}},
		{"TestGate_ShaanxiArt36_3_NoScanBesideAnIdentifierNamesTheTraceSignatureToo", rs,
			&ContentProfile{Columns: []ContentColumn{{Name: "手机号", Detected: []string{"mobile"}}, {Name: "c2"}}}, DecisionReview,
			[]string{"content-human-genetic-resources", "content-precise-geolocation-trace"}},
		{"TestGate_ShaanxiArt36_3_ChangedPatternsGoToReview", changedGenomePatterns(rs), stored(rs, clean), DecisionReview,
			[]string{"content-human-genetic-resources"}},
		{"TestGate_ShaanxiArt36_3_ANewVersionWithTheSamePatternsKeepsTheScan", nextVersion(rs), stored(rs, clean), DecisionListable, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustListableListing(t)
			l.Content = c.content
			res := Gate(&l, nil, c.rules, gateAt)
			if res.Decision != c.want {
				t.Fatalf("decision %s %+v, want %s", res.Decision, res.Violations, c.want)
			}
			if c.names == nil {
				return
			}
			v := findViolation(res, RuleContentUnscanned)
			if v == nil || v.Article != ArticleShaanxi36_3 || v.Effect != EffectReview {
				t.Fatalf("want %s citing %s; got %+v", RuleContentUnscanned, ArticleShaanxi36_3, res.Violations)
			}
			for _, sig := range c.rules.ContentSignatures {
				if named := strings.Contains(v.Reason, sig.Rule); named != slices.Contains(c.names, sig.Rule) {
					t.Errorf("the reason names %s: %v, want %v (%s)", sig.Rule, named, !named, v.Reason)
				}
			}
		})
	}
}

func changedGenomePatterns(rs *RuleSet) *RuleSet {
	out := nextVersion(rs)
	out.ContentSignatures = slices.Clone(rs.ContentSignatures)
	out.ContentSignatures[0].Values = append(slices.Clone(out.ContentSignatures[0].Values), "^HG[0-9]{5}$")
	return out
}

func nextVersion(rs *RuleSet) *RuleSet {
	out := *rs
	out.Version++
	return &out
}

// FuzzGate_StoredScanDecidesAsTheValues: for any values under any column
// names, the gate decides from the stored scan (counts, no value) exactly
// as from the values. Invariants: no panic; the same decision and rules;
// the scan's JSON holds no value that is not also a column name or rule.
func FuzzGate_StoredScanDecidesAsTheValues(f *testing.F) {
	f.Add("col7", "ACGTTGCAACGTTGCAACGTTGCAACGTTGCAAC\nACGTACGTACGTACGTACGTACGTACGTACGTAA\nx", "user_id", "U1")
	f.Add("c2", "rs1234\nrs99871", "c1", "a")
	f.Add("c3", "34.2657123456789,108.9542391234567\n34.26571,108.95423", "device_id", "D1")
	f.Add("区县", "雁塔区\n碑林区", "hour", "8")
	rs := DefaultRuleSet()
	f.Fuzz(func(t *testing.T, name1, values1, name2, values2 string) {
		// Column names come from a table reader, which refuses bytes that
		// are not UTF-8.
		if name1 == name2 || strings.TrimSpace(name1) == "" || strings.TrimSpace(name2) == "" || !utf8.ValidString(name1+name2) {
			return
		}
		p := &ContentProfile{Columns: []ContentColumn{{Name: name1, Samples: strings.Split(values1, "\n")},
			{Name: name2, Samples: strings.Split(values2, "\n")}}}
		l := mustListableListing(t)
		l.Content = p
		want := Gate(&l, nil, rs, gateAt)
		l.Content = stored(rs, p)
		got := Gate(&l, nil, rs, gateAt)
		if got.Decision != want.Decision || len(got.Violations) != len(want.Violations) {
			t.Fatalf("from the stored scan: %s %+v; from the values: %s %+v", got.Decision, got.Violations, want.Decision, want.Violations)
		}
		for i := range got.Violations {
			if got.Violations[i].Rule != want.Violations[i].Rule || !slices.Equal(got.Violations[i].Columns, want.Violations[i].Columns) {
				t.Fatalf("from the stored scan: %+v; from the values: %+v", got.Violations, want.Violations)
			}
		}
		var scan struct {
			Signatures []struct {
				Columns []struct {
					Column string `json:"column"`
				} `json:"columns"`
			} `json:"signatures"`
		}
		b, _ := json.Marshal(l.Content.Scan)
		if err := json.Unmarshal(b, &scan); err != nil {
			t.Fatal(err)
		}
		for _, s := range scan.Signatures {
			for _, c := range s.Columns {
				if c.Column != name1 && c.Column != name2 {
					t.Fatalf("the scan holds %q, which is no column name: %s", c.Column, b)
				}
			}
		}
	})
}

// Shaanxi Art. 36(3): a seller who dilutes a column of banned values with
// other values does not hide them. Rule set version 3 counts matches
// (min_matches 10) beside their share: ten distinct genomic sequences
// among 500 other values block the listing, nine do not; under version 2
// (the share alone) the ten passed. From a stored scan alike.
func TestGate_ShaanxiArt36_3_ADilutedColumnIsFoundByItsCount(t *testing.T) {
	diluted := func(n int) *ContentProfile {
		values := genomeValues(n)
		for i := range 500 {
			values = append(values, "样本"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strings.Repeat("y", i/26))
		}
		return &ContentProfile{Columns: []ContentColumn{{Name: "id", Samples: []string{"1"}}, {Name: "col7", Samples: values}}}
	}
	v2, err := ParseRuleSet(mustShipped(t, 2))
	if err != nil {
		t.Fatal(err)
	}
	rs := DefaultRuleSet()
	if rs.Version < 3 {
		t.Fatalf("the default rule set is version %d", rs.Version)
	}
	for _, c := range []struct {
		name string
		rs   *RuleSet
		seqs int
		want Decision
	}{
		{"version 3, ten sequences", rs, 10, DecisionBlocked},
		{"version 3, nine sequences", rs, 9, DecisionListable},
		{"version 2, ten sequences", v2, 10, DecisionListable},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range []*ContentProfile{diluted(c.seqs), stored(c.rs, diluted(c.seqs))} {
				l := mustListableListing(t)
				l.Content = p
				res := Gate(&l, nil, c.rs, gateAt)
				if res.Decision != c.want {
					t.Fatalf("%s %+v, want %s", res.Decision, res.Violations, c.want)
				}
				if c.want == DecisionBlocked {
					if v := findViolation(res, "content-human-genetic-resources"); v == nil || !slices.Equal(v.Columns, []string{"col7"}) {
						t.Fatalf("violations %+v, want content-human-genetic-resources naming col7", res.Violations)
					}
				}
			}
		})
	}
	bad := DefaultRuleSet()
	bad.ContentSignatures[0].MinMatches = -1
	if err := bad.Validate(); err == nil {
		t.Error("a negative min_matches was accepted")
	}
	bad = DefaultRuleSet()
	for i := range bad.ContentSignatures {
		if len(bad.ContentSignatures[i].Values) == 0 {
			bad.ContentSignatures[i].MinMatches = 3
			break
		}
	}
	if err := bad.Validate(); err == nil {
		t.Error("min_matches without value patterns was accepted")
	}
}

// mustShipped returns the shipped rule set of version v, verbatim.
func mustShipped(t *testing.T, v int) []byte {
	t.Helper()
	b, err := shippedRuleSetFS.ReadFile(fmt.Sprintf("rulesets/v%d.json", v))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
