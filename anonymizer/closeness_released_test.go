package anonymizer

import (
	"bytes"
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// closenessDropTable: zips A and B hold four records each (flu/cold 3:1 and
// 1:3), zips C and D one record each, both cancer. k = 2 suppresses C and D
// at the original level. Over all ten records the disease distribution is
// flu 0.4, cold 0.4, cancer 0.2, and zip A is (0.35+0.15+0.2)/2 = 0.35 from
// it; over the eight released records it is flu 0.5, cold 0.5, and zip A is
// 0.25 from it. At t = 0.3 the two references give different answers.
func closenessDropTable() *Table {
	rows := [][]string{
		{"A", "flu"}, {"A", "flu"}, {"A", "flu"}, {"A", "cold"},
		{"B", "flu"}, {"B", "cold"}, {"B", "cold"}, {"B", "cold"},
		{"C", "cancer"}, {"D", "cancer"},
	}
	return MustTable([]string{"zip", "disease"}, rows...)
}

// equalEMD is the equal-distance earth mover's distance between the values
// of rows (grouped by zip) and the distribution over all rows of tab,
// computed from the table's strings alone.
func equalEMD(tab *Table, zip string) float64 {
	all, class := map[string]float64{}, map[string]float64{}
	n := 0.0
	for r := range tab.Rows() {
		v := tab.Value(r, 1)
		all[v]++
		if tab.Value(r, 0) == zip {
			class[v]++
			n++
		}
	}
	d := 0.0
	for v, c := range all {
		d += math.Abs(class[v]/n - c/float64(tab.Rows()))
	}
	return d / 2
}

// TestAnonymize_TianjinArt29_DropSuppressedClosenessAgainstReleased: with
// DropSuppressed, t-closeness is measured against the distribution of the
// records actually released, in the search and in the gate, so the t the
// certificate states is the one the released file shows (issue 14 item 7).
func TestAnonymize_TianjinArt29_DropSuppressedClosenessAgainstReleased(t *testing.T) {
	raw := closenessDropTable()
	models := Models{K: 2, T: 0.3, TDistance: TEqual, Suppression: 0.2}
	cfg := Config{QuasiIdentifiers: []string{"zip"}, Sensitive: []string{"disease"}, Models: models}

	// The two references disagree on the original level.
	if d := equalEMD(raw, "A"); math.Abs(d-0.35) > 1e-12 {
		t.Fatalf("zip A against the whole table: %g, want 0.35", d)
	}

	// Without DropSuppressed the suppressed records stay in the file, the
	// whole table is the reference, zip A is 0.35 > t from it: the
	// original level fails and zip is generalized.
	kept, err := Anonymize(context.Background(), raw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept.Levels, []int{1}) {
		t.Fatalf("without drop_suppressed: levels %v, want [1] (zip A is 0.35 from the whole table)", kept.Levels)
	}

	// With DropSuppressed C and D are left out; against the eight records
	// released zip A is 0.25 ≤ t: the original level is kept.
	cfg.DropSuppressed = true
	dropped, err := Anonymize(context.Background(), raw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(dropped.Levels, []int{0}) || dropped.Suppressed != 2 || dropped.Table.Rows() != 8 {
		t.Fatalf("with drop_suppressed: levels %v, %d suppressed, %d rows; want [0], 2, 8",
			dropped.Levels, dropped.Suppressed, dropped.Table.Rows())
	}

	// The gate reads the released file, as a buyer would.
	var buf bytes.Buffer
	if err := WriteTable(&buf, dropped.Table, FormatCSV, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	file, _, err := ReadTable(bytes.NewReader(buf.Bytes()), "release.csv", ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := math.Max(equalEMD(file, "A"), equalEMD(file, "B"))
	if math.Abs(want-0.25) > 1e-12 {
		t.Fatalf("recomputed from the released file: t = %g, want 0.25", want)
	}
	policy := &Policy{Columns: map[string]ColumnPolicy{"zip": {Role: RoleQuasi}, "disease": {Role: RoleSensitive}}, K: 2, T: 0.3}
	gate := CheckRelease(raw, file, GateOptions{Policy: policy, Mode: ModeEnclave})
	if math.Abs(gate.TCloseness-want) > 1e-12 {
		t.Fatalf("gate reports t = %g, the released file gives %g", gate.TCloseness, want)
	}
	if r := closenessReason(gate); r != "" {
		t.Fatalf("the release is 0.3-close to what it releases, but the gate refuses: %s", r)
	}

	// A stricter t fails in the gate, citing the article.
	strict := *policy
	strict.T = 0.2
	gate = CheckRelease(raw, file, GateOptions{Policy: &strict, Mode: ModeEnclave})
	if r := closenessReason(gate); !strings.Contains(r, "Tianjin Art. 29") {
		t.Fatalf("t = 0.2 against a release at 0.25 is not refused: %q", r)
	}

	// The release with the suppressed records kept measures against its
	// own ten records: zip generalized, one class, t = 0.
	gate = CheckRelease(raw, kept.Table, GateOptions{Policy: policy, Mode: ModeEnclave})
	if gate.TCloseness > 1e-12 || closenessReason(gate) != "" {
		t.Fatalf("kept release: gate t = %g, %q; want 0 and no reason", gate.TCloseness, closenessReason(gate))
	}
}

func closenessReason(g *GateResult) string {
	for _, r := range g.Reasons {
		if r.Check == CheckHomogeneity && strings.Contains(r.Detail, "farther than t") {
			return r.Article + ": " + r.Detail
		}
	}
	return ""
}
