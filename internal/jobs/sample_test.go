package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// mustPatients stores a CSV of n generated patients and returns its dataset.
func mustPatients(tb testing.TB, blobs *blob.Store, n int) *market.Dataset {
	tb.Helper()
	rng := rand.New(rand.NewPCG(23, 23))
	var b strings.Builder
	b.WriteString("姓名,年龄,性别,地区,诊断\n")
	areas := []string{"610102", "610103", "610104", "610112", "610113", "610114", "610115", "610116"}
	diag := []string{"高血压", "糖尿病", "哮喘", "胃炎", "肺炎"}
	for i := range n {
		fmt.Fprintf(&b, "患者%d,%d,%s,%s,%s\n", i, 18+rng.IntN(70), []string{"男", "女"}[rng.IntN(2)], areas[rng.IntN(len(areas))], diag[rng.IntN(len(diag))])
	}
	ref, err := blobs.Put(strings.NewReader(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	return &market.Dataset{ID: market.NewID(), PartyID: market.PartyID(market.NewID()), Name: "patients.csv", Format: "csv",
		SHA256: ref.SHA256, SizeBytes: ref.Size, Columns: []string{"姓名", "年龄", "性别", "地区", "诊断"}}
}

func patientPolicy() *anonymizer.Policy {
	return &anonymizer.Policy{K: 5, Suppression: 0.05, Columns: map[string]anonymizer.ColumnPolicy{
		"姓名": {Role: anonymizer.RoleIdentifying, Action: "drop"},
		"年龄": {Role: anonymizer.RoleQuasi, Hierarchy: "interval:5,10,20"},
		"性别": {Role: anonymizer.RoleQuasi, Hierarchy: "mask"},
		"地区": {Role: anonymizer.RoleQuasi, Hierarchy: "division"},
		"诊断": {Role: anonymizer.RoleSensitive},
	}}
}

func TestSample_DeidentifiesTheFirstRowsWithTheirAlternatives(t *testing.T) {
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ds := mustPatients(t, blobs, 3000)
	run, err := Sample(context.Background(), blobs, ds, patientPolicy(), market.ModeEnclave, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := run.Input.Rows(), 1000; got != want {
		t.Fatalf("sample of %d rows, want %d", got, want)
	}
	if got, want := run.Release.Rows(), run.Input.Rows(); got != want {
		t.Errorf("release of %d rows, want %d (suppressed rows kept so that rows line up)", got, want)
	}
	if got, want := run.Input.Row(0)[0], "患者0"; got != want {
		t.Errorf("first sampled name %q, want %q (the file's first row)", got, want)
	}
	if run.Release.Column("姓名") != nil {
		t.Error("the dropped name column is in the sample's release")
	}
	rep := run.Report.Anonymizer
	if got, want := rep.RowsIn, 1000; got != want {
		t.Errorf("report rows_in %d, want %d", got, want)
	}
	if len(rep.ColumnLoss) != 3 {
		t.Errorf("column_loss %v, want the 3 quasi-identifiers", rep.ColumnLoss)
	}
	if len(run.Report.Alternatives) == 0 {
		t.Fatal("no alternatives on the sample")
	}
	for _, a := range run.Report.Alternatives {
		if a.Loss < rep.Metrics.Loss-1e-12 {
			t.Errorf("alternative %v loses %.4f, less than the optimum %.4f", a.Transformation, a.Loss, rep.Metrics.Loss)
		}
	}
	if run.Report.Gate == nil {
		t.Error("the sample was not checked by the gate")
	}
}

func TestProcess_MaxLevelsReleasesTheChosenAlternative(t *testing.T) {
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	key, err := pgp.Generate("platform", "platform@shujiao.test")
	if err != nil {
		t.Fatal(err)
	}
	ds := mustPatients(t, blobs, 3000)
	d := &Deidentifier{Blobs: blobs, Key: key, Version: "test"}
	process := func(p *anonymizer.Policy) Report {
		t.Helper()
		pj, _ := json.Marshal(p)
		job := &market.Job{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, Policy: pj, Mode: market.ModeEnclave}
		var stages []string
		out, err := d.Process(context.Background(), job, ds, func(s string, _ float64) { stages = append(stages, s) })
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(stages, " "), "alternatives") {
			t.Errorf("stages %v: no alternatives stage", stages)
		}
		var r Report
		if err := json.Unmarshal(out.Report, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	first := process(patientPolicy())
	if len(first.Alternatives) == 0 {
		t.Fatal("the job recorded no alternatives")
	}
	alt := first.Alternatives[len(first.Alternatives)-1]
	p := patientPolicy()
	p.MaxLevels = alt.Transformation
	chosen := process(p)
	if got := chosen.Summary.Transformation; !maps.Equal(got, alt.Transformation) {
		t.Errorf("released %v, want the chosen alternative %v", got, alt.Transformation)
	}
	if got, want := chosen.Summary.Loss, alt.Loss; math.Abs(got-want) > 1e-12 {
		t.Errorf("loss %.6f, want the alternative's %.6f", got, want)
	}
	if got, want := chosen.Anonymizer.Classes, alt.Classes; got != want {
		t.Errorf("classes %d, want the alternative's %d", got, want)
	}
}
