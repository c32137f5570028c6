package market

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/width"
)

// Condition fields of the vocabulary, named as in the JSON of Conditions.
const (
	FieldDeliveryMode       = "security.delivery_mode"
	FieldCertificationLevel = "security.certification_level"
	FieldChannel            = "cost.channel"
	FieldCredit             = "credit"
	FieldStage              = "stage"
	FieldDuration           = "duration_months"
)

// Term is one value of a condition's controlled vocabulary: the value the
// detector compares, and the other spellings (English and Chinese) that
// mean the same.
type Term struct {
	Value    string   `json:"value"`
	Synonyms []string `json:"synonyms,omitempty"`
}

// Vocabulary is the controlled vocabulary of the five transaction
// conditions of Shaanxi Art. 37(2), one list per field: the security
// factor's delivery mode and certification level, the cost factor's
// channel, the credit rating, the stage, and the duration (months, for
// values written as words: "一年", "1 year"). A field with no terms
// accepts every value, trimmed and case-folded — except credit and stage,
// whose values are always A–D and direct, intermediary, resale.
type Vocabulary struct {
	DeliveryMode       []Term `json:"delivery_mode"`
	CertificationLevel []Term `json:"certification_level"`
	Channel            []Term `json:"channel"`
	Credit             []Term `json:"credit"`
	Stage              []Term `json:"stage"`
	Duration           []Term `json:"duration"`
}

// fields returns the vocabulary's lists with their field names.
func (v *Vocabulary) fields() [6]struct {
	name  string
	terms []Term
} {
	return [6]struct {
		name  string
		terms []Term
	}{{FieldDeliveryMode, v.DeliveryMode}, {FieldCertificationLevel, v.CertificationLevel}, {FieldChannel, v.Channel},
		{FieldCredit, v.Credit}, {FieldStage, v.Stage}, {FieldDuration, v.Duration}}
}

// validate checks every term: a value, the value legal for its field
// (credit A–D, a known stage, a duration in whole months), and no
// spelling that, folded, means two values.
func (v *Vocabulary) validate() error {
	for _, f := range v.fields() {
		seen := map[string]string{}
		for i, t := range f.terms {
			at := fmt.Sprintf("art37.vocabulary.%s[%d]", vocabKey(f.name), i)
			val := strings.TrimSpace(t.Value)
			if val == "" {
				return Invalid(at+".value", "invalid_ruleset", "%s.value: empty", at)
			}
			switch f.name {
			case FieldCredit:
				if c := CreditRating(val); c != CreditA && c != CreditB && c != CreditC && c != CreditD {
					return Invalid(at+".value", "invalid_ruleset", "%s.value: %q, want A, B, C or D", at, val)
				}
			case FieldStage:
				if s := Stage(val); s != StageDirect && s != StageIntermediary && s != StageResale {
					return Invalid(at+".value", "invalid_ruleset", "%s.value: %q, want direct, intermediary or resale", at, val)
				}
			case FieldDuration:
				if n, err := strconv.Atoi(val); err != nil || n < 0 {
					return Invalid(at+".value", "invalid_ruleset", "%s.value: %q, want a whole number of months", at, val)
				}
			}
			for _, s := range append([]string{val}, t.Synonyms...) {
				k := FoldTerm(s)
				if k == "" {
					return Invalid(at+".synonyms", "invalid_ruleset", "%s.synonyms: an empty spelling", at)
				}
				if other, dup := seen[k]; dup && other != val {
					return Invalid(at+".synonyms", "invalid_ruleset", "%s.synonyms: %q already means %q", at, s, other)
				}
				seen[k] = val
			}
		}
	}
	return nil
}

// vocabKey is the JSON key of a field's list.
func vocabKey(field string) string {
	_, k, ok := strings.Cut(field, ".")
	if !ok {
		k = field
	}
	if field == FieldDuration {
		return "duration"
	}
	return k
}

var folder = cases.Fold()

// FoldTerm returns s as the vocabulary compares it: surrounding space
// trimmed, full-width letters narrowed (ＡＰＩ → API), case-folded
// (Encrypted_File → encrypted_file), and every run of spaces, hyphens and
// underscores made one underscore ("encrypted file" → encrypted_file).
// Safe for concurrent use.
func FoldTerm(s string) string {
	if f, ok := foldPlain(s); ok {
		return f
	}
	return foldTerm(s)
}

// foldTerm is FoldTerm for any text, through x/text's width and case
// transformers.
func foldTerm(s string) string {
	s = strings.TrimSpace(width.Narrow.String(s))
	s = folder.String(s)
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '-' || r == '_' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// vocabIndex looks up one field's values: exact spellings first (no
// allocation), then folded ones.
type vocabIndex struct {
	exact  map[string]string
	folded map[string]string
	open   bool // no terms: every value is accepted, folded
}

func newVocabIndex(terms []Term, closed []string) *vocabIndex {
	if len(terms) == 0 {
		x := &vocabIndex{exact: make(map[string]string, 2*len(closed)), folded: make(map[string]string, 2*len(closed)), open: closed == nil}
		for _, v := range closed {
			val := strings.TrimSpace(v)
			x.add(v, val)
			x.add(val, val)
		}
		return x
	}
	n := 0
	for _, t := range terms {
		n += 2 + len(t.Synonyms)
	}
	// maps sized once: a quote builds the index of its rule set
	x := &vocabIndex{exact: make(map[string]string, n), folded: make(map[string]string, n)}
	for _, t := range terms {
		val := strings.TrimSpace(t.Value)
		x.add(t.Value, val)
		x.add(val, val)
		for _, s := range t.Synonyms {
			x.add(s, val)
		}
	}
	return x
}

// add maps the spelling s, as written and folded, to val.
func (x *vocabIndex) add(s, val string) {
	x.exact[s] = val
	x.folded[FoldTerm(s)] = val
}

// lookup returns the vocabulary's value for s, or s folded and false when
// the vocabulary does not know it.
func (x *vocabIndex) lookup(s string) (string, bool) {
	if v, ok := x.exact[s]; ok {
		return v, true
	}
	f := FoldTerm(s)
	if v, ok := x.folded[f]; ok {
		return v, true
	}
	return f, x.open
}

// Normalizer maps the spellings of transaction conditions to the
// vocabulary of a rule set. It is safe for concurrent use.
type Normalizer struct {
	idx [6]*vocabIndex
}

// NewNormalizer returns the normalizer of the Art. 37 rules r.
func NewNormalizer(r *Art37Rules) *Normalizer {
	v := &r.Vocabulary
	return &Normalizer{idx: [6]*vocabIndex{
		newVocabIndex(v.DeliveryMode, nil),
		newVocabIndex(v.CertificationLevel, nil),
		newVocabIndex(v.Channel, nil),
		newVocabIndex(v.Credit, []string{"A", "B", "C", "D"}),
		newVocabIndex(v.Stage, []string{string(StageDirect), string(StageIntermediary), string(StageResale)}),
		newVocabIndex(v.Duration, []string{}),
	}}
}

// UnrecognizedCondition is a condition value the vocabulary does not know.
type UnrecognizedCondition struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// Normalize returns c with every value replaced by the vocabulary's, and
// the values the vocabulary does not know (empty when it knows them all).
// durationText is the duration as written when it was not a whole number
// of months ("一年"), else "". Empty optional values (certification level,
// channel) stay empty.
func (n *Normalizer) Normalize(c Conditions, durationText string) (Conditions, []UnrecognizedCondition) {
	var bad []UnrecognizedCondition
	get := func(k int, field, s string) string {
		v, ok := n.idx[k].lookup(s)
		if !ok {
			bad = append(bad, UnrecognizedCondition{Field: field, Value: strings.TrimSpace(s)})
		}
		return v
	}
	c.Security.DeliveryMode = get(0, FieldDeliveryMode, c.Security.DeliveryMode)
	if c.Security.CertificationLevel != "" {
		c.Security.CertificationLevel = get(1, FieldCertificationLevel, c.Security.CertificationLevel)
	}
	if c.Cost.Channel != "" {
		c.Cost.Channel = get(2, FieldChannel, c.Cost.Channel)
	}
	c.Credit = CreditRating(get(3, FieldCredit, string(c.Credit)))
	c.Stage = Stage(get(4, FieldStage, string(c.Stage)))
	if durationText != "" {
		if v, ok := n.idx[5].lookup(durationText); ok {
			c.DurationMonths, _ = strconv.Atoi(v)
		} else {
			bad = append(bad, UnrecognizedCondition{Field: FieldDuration, Value: strings.TrimSpace(durationText)})
		}
	}
	return c, bad
}
