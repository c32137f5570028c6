package market

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Articles the content signatures cite besides Art. 36(3).
const (
	// ArticleShaanxi65: the important-data catalog of the province.
	ArticleShaanxi65 = "Shaanxi Art. 65"
)

// ContentProfile is what the Art. 36 gate sees of the data itself, apart
// from the seller's label: per column, its name, the identifier types the
// anonymizer's detectors found in it, and a sample of its distinct values
// — or, from storage, the stored Scan of the values instead of the values.
// Storage fills it from the dataset's detection and content scan;
// check-listing --dataset reads the file. Nil means the gate has no data
// to look at.
type ContentProfile struct {
	Columns []ContentColumn `json:"columns"`
	// Scan is what the value patterns found in the values at upload
	// (art36_content_scan.go); nil when the values were never scanned.
	Scan *ContentScan `json:"scan,omitempty"`
}

// ContentColumn is one column of a ContentProfile.
type ContentColumn struct {
	Name string `json:"name"`
	// Detected are the anonymizer's identifier types found in the column
	// ("coordinates", "resident_id", "mobile", …).
	Detected []string `json:"detected,omitempty"`
	// Samples are distinct values of the column (may be empty).
	Samples []string `json:"samples,omitempty"`
}

// ContentSignature is one kind of banned or restricted content, kept as
// rule-set data: the gate rule it raises, the effect (block: banned;
// review: restricted), the article and the basis in law, and what finds it
// in the data — column names (folded substrings, Chinese and English),
// value patterns (regular expressions a share of a column's samples must
// match) and the anonymizer's detectors. WithDetectors and WithColumns,
// when set, must also be found in another column of the dataset: a precise
// location is a trace of an individual only beside an identifier.
type ContentSignature struct {
	Rule          string   `json:"rule"`
	Category      string   `json:"category"`
	Effect        Effect   `json:"effect"`
	Article       string   `json:"article"`
	Basis         string   `json:"basis"`
	Columns       []string `json:"columns,omitempty"`
	Values        []string `json:"values,omitempty"`
	Detectors     []string `json:"detectors,omitempty"`
	WithDetectors []string `json:"with_detectors,omitempty"`
	WithColumns   []string `json:"with_columns,omitempty"`
	// MinShare is the share of a column's samples the value patterns must
	// match (0 means 0.5).
	MinShare float64 `json:"min_share,omitempty"`
	// MinMatches, when above 0, is how many distinct sampled values that
	// match are enough whatever their share: a seller who dilutes a
	// column of genomic sequences with other values still sells genomic
	// sequences (rule set version 3 on; 0: the share alone decides).
	MinMatches int `json:"min_matches,omitempty"`
}

// validateContent checks the signatures: a rule named content-…, an
// effect, an article and a basis, something to find, and patterns that
// compile.
func (rs *RuleSet) validateContent() error {
	seen := map[string]bool{}
	for i, s := range rs.ContentSignatures {
		f := fmt.Sprintf("content_signatures[%d]", i)
		switch {
		case !strings.HasPrefix(s.Rule, "content-"):
			return Invalid(f+".rule", "invalid_ruleset", "%s.rule: %q, want a stable id starting content-", f, s.Rule)
		case seen[s.Rule]:
			return Invalid(f+".rule", "invalid_ruleset", "%s.rule: %q used twice", f, s.Rule)
		case s.Effect != EffectBlock && s.Effect != EffectReview:
			return Invalid(f+".effect", "invalid_ruleset", "%s.effect: %q, want block or review", f, s.Effect)
		case strings.TrimSpace(s.Article) == "" || strings.TrimSpace(s.Basis) == "":
			return Invalid(f+".basis", "invalid_ruleset", "%s: want the article and the basis in law", f)
		case len(s.Columns)+len(s.Values)+len(s.Detectors) == 0:
			return Invalid(f, "invalid_ruleset", "%s: want columns, values or detectors to find it", f)
		case s.MinShare < 0 || s.MinShare > 1:
			return Invalid(f+".min_share", "invalid_ruleset", "%s.min_share: %v, want 0 to 1", f, s.MinShare)
		case s.MinMatches < 0:
			return Invalid(f+".min_matches", "invalid_ruleset", "%s.min_matches: %d, want 0 or more", f, s.MinMatches)
		case s.MinMatches > 0 && len(s.Values) == 0:
			return Invalid(f+".min_matches", "invalid_ruleset", "%s.min_matches: want value patterns to count", f)
		}
		seen[s.Rule] = true
		for j, p := range s.Values {
			if _, err := regexp.Compile(p); err != nil {
				at := fmt.Sprintf("%s.values[%d]", f, j)
				return Invalid(at, "invalid_ruleset", "%s: %s", at, err)
			}
		}
	}
	return nil
}

// content applies the content signatures of the rule set to the data
// (Shaanxi Art. 36(3), Art. 65): a product whose dataset matches one is
// blocked or sent to review whatever category the seller chose, and the
// violation names the matching columns. A signature with value patterns
// the dataset's values were not scanned with, and that does not match
// otherwise, sends the listing to review (RuleContentUnscanned).
func (g *gateRun) content() {
	if g.l.Content == nil {
		return
	}
	scan := g.l.Content.scanOf(g.rs)
	var unscanned []string
	for i := range g.rs.ContentSignatures {
		sig := &g.rs.ContentSignatures[i]
		values := scan.entry(sig)
		cols := sig.match(g.l.Content, values)
		if len(cols) == 0 {
			if len(sig.Values) > 0 && values == nil && sig.valuesCouldMatter(g.l.Content) {
				unscanned = append(unscanned, sig.Rule)
			}
			continue
		}
		v := Violation{Rule: sig.Rule, Article: sig.Article, Effect: sig.Effect, Columns: cols,
			Reason: fmt.Sprintf("the data holds %s in column(s) %s, whatever the category %q says (%s)",
				sig.Category, strings.Join(quoteAll(cols), ", "), g.l.Category, sig.Basis)}
		g.out = append(g.out, v)
	}
	if len(unscanned) > 0 {
		g.out = append(g.out, g.unscanned(unscanned, scan))
	}
}

// match returns the columns of p the signature finds — by name, by
// detector, or by the counts of values of its patterns' scan — or none
// when a companion it needs (WithDetectors, WithColumns) is not in
// another column.
func (sig *ContentSignature) match(p *ContentProfile, values *ScannedSignature) []string {
	names, with := foldAll(sig.Columns), foldAll(sig.WithColumns)
	var hit []string
	for _, c := range p.Columns {
		if sig.matchColumn(&c, names, values) {
			hit = append(hit, c.Name)
		}
	}
	if len(hit) == 0 || len(sig.WithDetectors)+len(sig.WithColumns) == 0 {
		return hit
	}
	for _, c := range p.Columns {
		if slices.Contains(hit, c.Name) {
			continue
		}
		if nameHas(c.Name, with) || detectedAny(c.Detected, sig.WithDetectors) {
			return append(hit, c.Name)
		}
	}
	return nil
}

// valuesCouldMatter reports whether values the patterns match could make
// the signature match p: always, unless it needs a companion
// (WithDetectors, WithColumns) and no column of p is one beside another
// column — the companions are found by name and detector, not by value.
func (sig *ContentSignature) valuesCouldMatter(p *ContentProfile) bool {
	if len(sig.WithDetectors)+len(sig.WithColumns) == 0 {
		return true
	}
	with := foldAll(sig.WithColumns)
	for _, c := range p.Columns {
		if len(p.Columns) > 1 && (nameHas(c.Name, with) || detectedAny(c.Detected, sig.WithDetectors)) {
			return true
		}
	}
	return false
}

func (sig *ContentSignature) matchColumn(c *ContentColumn, names []string, values *ScannedSignature) bool {
	if nameHas(c.Name, names) || detectedAny(c.Detected, sig.Detectors) {
		return true
	}
	return sig.valuesMatch(values.count(c.Name))
}

// foldAll returns words folded (FoldTerm).
func foldAll(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if k := FoldTerm(w); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// nameHas reports whether the folded column name contains one of words,
// already folded (foldAll): a short Latin word (up to four letters: "lat", "dna", "gps")
// only as a whole token between underscores, so "population" is not
// "lat"; longer words and Chinese words anywhere.
func nameHas(name string, words []string) bool {
	f := FoldTerm(name)
	padded := "_" + f + "_"
	for _, k := range words {
		switch {
		case len(k) <= 4 && isASCII(k):
			if strings.Contains(padded, "_"+k+"_") {
				return true
			}
		case strings.Contains(f, k):
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func detectedAny(found, want []string) bool {
	for _, d := range found {
		if slices.Contains(want, d) {
			return true
		}
	}
	return false
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
