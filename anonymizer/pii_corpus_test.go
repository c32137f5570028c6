package anonymizer

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// piiScores counts true positives, false positives and false negatives per type.
type piiScores map[PIIType]*[3]int

func (s piiScores) hit(t PIIType, k int) {
	if s[t] == nil {
		s[t] = &[3]int{}
	}
	s[t][k]++
}

func (s piiScores) precision(t PIIType) float64 {
	c := s[t]
	if c == nil || c[0]+c[1] == 0 {
		return 0
	}
	return float64(c[0]) / float64(c[0]+c[1])
}

func (s piiScores) recall(t PIIType) float64 {
	c := s[t]
	if c == nil || c[0]+c[2] == 0 {
		return 0
	}
	return float64(c[0]) / float64(c[0]+c[2])
}

// format prints a score, or "n/a" when the path saw no item of the type.
func (s piiScores) format(t PIIType, f func(PIIType) float64) string {
	if s[t] == nil {
		return "n/a"
	}
	return fmt.Sprintf("%.4f", f(t))
}

// cueValue returns the part of a cued corpus item after its cue.
func cueValue(it CorpusItem) string {
	if _, v, ok := strings.Cut(it.Text, "："); ok {
		return v
	}
	return it.Text
}

// scoreCorpus runs both detection paths over the corpus: ClassifyValue on
// the bare value (for types that need no cue) and FindIdentifiers on the
// value inside a sentence.
func scoreCorpus(items []CorpusItem) (byValue, inText piiScores) {
	byValue, inText = piiScores{}, piiScores{}
	for _, it := range items {
		cued := strings.Contains(it.Text, "：")
		if !cued {
			got, ok := ClassifyValue(it.Text)
			if !ok || !got.Direct() {
				got = ""
			}
			switch {
			case it.Type != "" && got == it.Type:
				byValue.hit(it.Type, 0)
			default:
				if got != "" {
					byValue.hit(got, 1)
				}
				if it.Type != "" {
					byValue.hit(it.Type, 2)
				}
			}
		}
		prefix := "登记信息 "
		sentence := prefix + it.Text + "，请核对。"
		value := cueValue(it)
		start := len(prefix) + len(it.Text) - len(value)
		end := start + len(value)
		found := false
		for _, m := range FindIdentifiers(sentence) {
			if m.End <= start || m.Start >= end {
				continue
			}
			if it.Type != "" && m.Type == it.Type && m.Start == start && m.End == end {
				found = true
				continue
			}
			if m.Type.Direct() || m.Type == TypeBirthDate {
				inText.hit(m.Type, 1)
			}
		}
		if it.Type != "" {
			if found {
				inText.hit(it.Type, 0)
			} else {
				inText.hit(it.Type, 2)
			}
		}
	}
	return byValue, inText
}

func TestDetection_PrecisionAndRecallOnLabelledCorpus(t *testing.T) {
	items := PIICorpus(20261123, 2000)
	byValue, inText := scoreCorpus(items)
	var types []PIIType
	for typ := range inText {
		types = append(types, typ)
	}
	sort.Slice(types, func(i, j int) bool { return types[i] < types[j] })
	var table strings.Builder
	table.WriteString("| type | precision (value) | recall (value) | precision (in text) | recall (in text) |\n|---|---|---|---|---|\n")
	for _, typ := range types {
		fmt.Fprintf(&table, "| %s | %s | %s | %s | %s |\n", typ,
			byValue.format(typ, byValue.precision), byValue.format(typ, byValue.recall),
			inText.format(typ, inText.precision), inText.format(typ, inText.recall))
	}
	t.Logf("%d labelled items\n%s", len(items), table.String())
	for _, typ := range types {
		floor := 0.95
		if typ.Checksummed() {
			floor = 0.99 // Issue 4: checksum-validated types reach 0.99 on both
		}
		t.Run(fmt.Sprintf("%s reaches precision and recall of %.2f", typ, floor), func(t *testing.T) {
			check := func(path string, s piiScores) {
				if s[typ] == nil {
					return
				}
				if p := s.precision(typ); p < floor {
					t.Errorf("%s precision %.4f < %.2f (tp %d, fp %d, fn %d)", path, p, floor, s[typ][0], s[typ][1], s[typ][2])
				}
				if r := s.recall(typ); r < floor {
					t.Errorf("%s recall %.4f < %.2f (tp %d, fp %d, fn %d)", path, r, floor, s[typ][0], s[typ][1], s[typ][2])
				}
			}
			check("value", byValue)
			check("in text", inText)
		})
	}
}
