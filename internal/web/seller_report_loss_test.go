package web

import (
	"context"
	"encoding/xml"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
)

// TestLossChart_DrawsTheReportsColumnLoss: the bars and the description
// of the loss chart are the column_loss figures of the anonymizer's
// report, one per quasi-identifier in the report's order, and the chart
// is well-formed, accessible SVG.
func TestLossChart_DrawsTheReportsColumnLoss(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 1))
	rows := [][]string{}
	for range 500 {
		rows = append(rows, []string{fmt.Sprint(18 + r.IntN(60)), []string{"男", "女"}[r.IntN(2)],
			[]string{"610102", "610103", "610104", "610402", "610502"}[r.IntN(5)]})
	}
	tbl := anonymizer.MustTable([]string{"年龄", "性别", "地区"}, rows...)
	hs := map[string]*anonymizer.Hierarchy{}
	for col, spec := range map[string]string{"年龄": "interval:5,10,20", "地区": "division", "性别": "mask"} {
		h, err := anonymizer.ResolveHierarchy(tbl, col, spec)
		if err != nil {
			t.Fatal(err)
		}
		hs[col] = h
	}
	cfg := anonymizer.Config{QuasiIdentifiers: []string{"年龄", "性别", "地区"}, Hierarchies: hs, Models: anonymizer.Models{K: 5, Suppression: 0.05}}
	res, err := anonymizer.Anonymize(context.Background(), tbl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep := anonymizer.NewReport(res, cfg, "in.csv", "out.csv", nil)
	for _, lang := range []string{"zh", "en"} {
		svg := string(lossChart(&reqCtx{lang: lang}, rep))
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Fatalf("%s: not well-formed: %v", lang, err)
		}
		if !strings.Contains(svg, `role="img"`) {
			t.Errorf("%s: the chart is not role=img", lang)
		}
		desc := regexp.MustCompile(`<desc[^>]*>([^<]*)</desc>`).FindStringSubmatch(svg)
		if desc == nil {
			t.Fatalf("%s: no description", lang)
		}
		want := ""
		for _, q := range rep.QuasiIdentifiers {
			want += fmt.Sprintf("%s: %.1f%%; ", q, 100*rep.ColumnLoss[q])
			// the bar's tooltip carries the same figure
			if tip := fmt.Sprintf("<title>%s: %.1f%%</title>", q, 100*rep.ColumnLoss[q]); !strings.Contains(svg, tip) {
				t.Errorf("%s: no bar %q", lang, tip)
			}
		}
		if desc[1] != want {
			t.Errorf("%s: description %q, want the report's column_loss %q", lang, desc[1], want)
		}
	}
	if lossChart(&reqCtx{lang: "en"}, &anonymizer.Report{}) != "" {
		t.Error("a report without column_loss (Mondrian) drew a loss chart")
	}
}

// TestAlternativesView_MarksTheLessGeneralizedColumns: each alternative
// row has the levels in the report's column order, marks the columns
// below the released levels, and its extra loss is its loss minus the
// released one.
func TestAlternativesView_MarksTheLessGeneralizedColumns(t *testing.T) {
	rep := &jobs.Report{
		Anonymizer: &anonymizer.Report{QuasiIdentifiers: []string{"年龄", "地区"},
			Transformation: map[string]int{"年龄": 2, "地区": 1}, Metrics: anonymizer.Metrics{Loss: 0.30}},
		Alternatives: []anonymizer.Alternative{
			{Transformation: map[string]int{"年龄": 1, "地区": 2}, Loss: 0.35, Classes: 40},
			{Transformation: map[string]int{"年龄": 2, "地区": 0}, Loss: 0.50, Suppressed: 7},
		},
	}
	v := newAlternativesView(rep)
	if v == nil || len(v.Rows) != 2 {
		t.Fatalf("view %+v, want 2 rows", v)
	}
	first := v.Rows[0]
	if first.N != 1 || first.Levels[0] != (altLevel{1, true}) || first.Levels[1] != (altLevel{2, false}) {
		t.Errorf("row 1: %+v, want age 1 (lower), area 2", first)
	}
	if d := first.LossDelta; d < 0.0499 || d > 0.0501 {
		t.Errorf("row 1: extra loss %.4f, want 0.05", d)
	}
	if got := v.Rows[1]; got.N != 2 || !got.Levels[1].Lower || got.Suppressed != 7 {
		t.Errorf("row 2: %+v, want area lower, 7 suppressed", got)
	}
	if newAlternativesView(&jobs.Report{Anonymizer: rep.Anonymizer}) != nil {
		t.Error("a report without alternatives has a table of them")
	}
}
