package anonymizer

import (
	"fmt"
	"strings"
	"testing"
)

// classTable builds a raw table and its release of classes of the given
// sizes: class i has age 20+10i (released as the band "[20+10i, 30+10i)")
// and sex 男, and distinct diagnoses unless homogeneous.
func classTable(sizes []int, homogeneous bool) (raw, rel *Table) {
	var rawRows, relRows [][]string
	n := 0
	for i, s := range sizes {
		for j := range s {
			age := 20 + 10*i + j%10
			diag := fmt.Sprintf("d%d", n%7)
			if homogeneous && i == 0 {
				diag = "HIV"
			}
			rawRows = append(rawRows, []string{fmt.Sprintf("11010119900101%04d", n), fmt.Sprint(age), "男", diag})
			relRows = append(relRows, []string{fmt.Sprintf("[%d, %d[", 20+10*i, 30+10*i), "男", diag})
			n++
		}
	}
	return MustTable([]string{"id", "age", "sex", "diagnosis"}, rawRows...),
		MustTable([]string{"age", "sex", "diagnosis"}, relRows...)
}

func classPolicy() *Policy {
	return &Policy{Columns: map[string]ColumnPolicy{
		"id": {Role: RoleIdentifying}, "age": {Role: RoleQuasi}, "sex": {Role: RoleQuasi}, "diagnosis": {Role: RoleSensitive},
	}}
}

func TestGate_GBT42460AnnexD_ModeThresholds(t *testing.T) {
	cases := []struct {
		name      string
		sizes     []int
		mode      Mode
		passed    bool
		risk      float64
		wantLevel Level
	}{
		{"public release with classes of 20 passes at R = max θ = 1/20", []int{20, 25, 40}, ModePublic, true, 1.0 / 20, LevelL3},
		{"public release with a class of 6 fails: 1/6 > 1/20", []int{6, 25, 40}, ModePublic, false, 1.0 / 6, LevelL2},
		{"agreement with a class of 6 passes: 1/6 ≤ 1/5, R is the mean θ", []int{6, 10}, ModeAgreement, true, (6.0/6 + 10.0/10) / 16, LevelL3},
		{"agreement with a class of 4 fails: 1/4 > 1/5", []int{4, 10}, ModeAgreement, false, (4.0/4 + 10.0/10) / 14, LevelL2},
		{"enclave with a class of 3 passes: 1/3 is the threshold itself", []int{3, 3, 6}, ModeEnclave, true, 3.0 / 12, LevelL3},
		{"enclave with a class of 2 fails", []int{2, 6}, ModeEnclave, false, 2.0 / 8, LevelL2},
		{"a unique record fails in every mode, even the enclave", []int{1, 9}, ModeEnclave, false, 2.0 / 10, LevelL2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			raw, rel := classTable(tc.sizes, false)
			res := CheckRelease(raw, rel, GateOptions{Policy: classPolicy(), Mode: tc.mode})
			if res.Passed != tc.passed {
				t.Fatalf("passed=%v, want %v:%s", res.Passed, tc.passed, reasonList(res))
			}
			if res.Level != tc.wantLevel {
				t.Fatalf("level %s, want %s", res.Level, tc.wantLevel)
			}
			if d := res.Risk - tc.risk; d > 1e-9 || d < -1e-9 {
				t.Fatalf("risk %.6f, want %.6f", res.Risk, tc.risk)
			}
			if !tc.passed {
				mustFail(t, res, CheckRisk, "age,sex")
			}
		})
	}
}

func TestGate_GBT42460AnnexD_UngeneralizedQuasiIdentifiersLinkUniquely(t *testing.T) {
	raw := mustPopulation(t, 2000, 8)
	rel := mustRelease(t, raw, keep("性别"), keep("出生日期"), keep("行政区划"), keep("诊断"))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	r := mustFail(t, res, CheckRisk, "")
	if res.UniqueLinks == 0 || !strings.Contains(r.Detail, "exactly one") {
		t.Fatalf("unique links %d, reason %q", res.UniqueLinks, r.Detail)
	}
	if res.Level != LevelL2 || res.RiskMax != 1 {
		t.Fatalf("level %s max θ %v, want L2 and 1", res.Level, res.RiskMax)
	}
}

func TestGate_GBT42460AnnexD_GeneralizationsInEveryFormLink(t *testing.T) {
	// Ten people, one release, every form of generalization at once. Each
	// raw record must link to exactly the release records its values are
	// consistent with; the expected linked-set sizes are counted by hand.
	raw := MustTable([]string{"id", "age", "zip", "birth", "area"},
		[]string{"110101199001010011", "23", "100081", "1990-01-05", "110101"},
		[]string{"110101199001010012", "27", "100082", "1990-02-11", "110102"},
		[]string{"110101199001010013", "29", "100083", "1990-03-30", "110105"},
		[]string{"110101199001010014", "31", "100181", "1991-07-01", "120101"},
		[]string{"110101199001010015", "35", "100182", "1991-08-12", "120102"},
		[]string{"110101199001010016", "38", "100183", "1991-09-09", "120103"},
	)
	rel := MustTable([]string{"age", "zip", "birth", "area"},
		[]string{"20-29", "1000**", "1990-Q1", "110100"},
		[]string{"[20,30)", "1000**", "1990", "110100"},
		[]string{"[20, 30[", "1000**", "1990", "110100"},
		[]string{">=30", "1001**", "1991", "120100"},
		[]string{"30+", "1001**", "1991", "120100"},
		[]string{"(29,40]", "1001**", "1991-Q3", "120100"},
	)
	pol := &Policy{Columns: map[string]ColumnPolicy{"id": {Role: RoleIdentifying},
		"age": {Role: RoleQuasi}, "zip": {Role: RoleQuasi}, "birth": {Role: RoleQuasi}, "area": {Role: RoleQuasi}}}
	res := CheckRelease(raw, rel, GateOptions{Policy: pol, Mode: ModeEnclave})
	if res.has(CheckRisk) {
		t.Fatalf("every record links to three: %s", reasonList(res))
	}
	if got, want := res.RecordsLinked, 6; got != want {
		t.Fatalf("linked %d, want %d", got, want)
	}
	if d := res.RiskMax - 1.0/3; d > 1e-9 || d < -1e-9 {
		t.Fatalf("max θ %.4f, want 1/3 (each raw record consistent with three release records)", res.RiskMax)
	}
}

func TestGate_GBT42460AnnexD_UnknownGeneralizationFailsInsteadOfPassing(t *testing.T) {
	raw := mustPopulation(t, 500, 9)
	codes := map[string]string{"男": "A", "女": "B"}
	rel := mustRelease(t, raw, derive("性别", "性别", func(v string) string { return codes[v] }),
		derive("出生日期", "出生日期", func(v string) string { return "年代" + v[2:3] }), keep("诊断"))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	r := mustFail(t, res, CheckRisk, "性别")
	if !strings.Contains(r.Detail, "not understood") {
		t.Fatalf("detail %q", r.Detail)
	}
}

func TestGate_HierarchyLinksCustomGeneralization(t *testing.T) {
	raw := MustTable([]string{"edu", "sex"}, [][]string{{"本科", "男"}, {"硕士", "男"}, {"博士", "男"}, {"高中", "男"}}...)
	rel := MustTable([]string{"edu", "sex"}, [][]string{{"高等", "男"}, {"高等", "男"}, {"高等", "男"}, {"中等", "男"}}...)
	h, err := NewHierarchy("edu.csv", [][]string{{"本科", "高等", "*"}, {"硕士", "高等", "*"}, {"博士", "高等", "*"}, {"高中", "中等", "*"}})
	if err != nil {
		t.Fatal(err)
	}
	pol := &Policy{Columns: map[string]ColumnPolicy{"edu": {Role: RoleQuasi}, "sex": {Role: RoleQuasi}}}
	res := CheckRelease(raw, rel, GateOptions{Policy: pol, Mode: ModeEnclave, Hierarchies: map[string]*Hierarchy{"edu": h}})
	if got, want := res.UniqueLinks, 1; got != want {
		t.Fatalf("unique links %d, want %d (高中 → 中等 alone):%s", got, want, reasonList(res))
	}
	if res.RecordsLinked != 4 {
		t.Fatalf("linked %d, want 4", res.RecordsLinked)
	}
}

func TestGate_TianjinArt29_HomogeneousClassDisclosesAttribute(t *testing.T) {
	raw, rel := classTable([]int{20, 25}, true)
	res := CheckRelease(raw, rel, GateOptions{Policy: classPolicy()})
	r := mustFail(t, res, CheckHomogeneity, "diagnosis")
	if r.Records != 20 || !strings.Contains(r.Detail, `"HIV"`) {
		t.Fatalf("reason %+v, want the 20 records of the HIV class", r)
	}
	if res.Level != LevelL3 {
		t.Fatalf("level %s: homogeneity does not change the level", res.Level)
	}
	t.Run("the policy may accept homogeneity explicitly", func(t *testing.T) {
		p := classPolicy()
		p.AcceptHomogeneity = true
		if res := CheckRelease(raw, rel, GateOptions{Policy: p}); !res.Passed {
			t.Fatalf("accepted homogeneity still failed:%s", reasonList(res))
		}
	})
}

func TestGate_TianjinArt29_SuppressedRecordsAreOneMoreClass(t *testing.T) {
	// Suppressed records keep their other values and, together, form a
	// class the attacker sees: a raw record that matches no released class
	// is one of them.
	suppress := func(rel *Table, rows ...int) {
		for _, c := range rel.Columns[:2] {
			star := int32(len(c.Dict))
			c.Dict = append(c.Dict, "*")
			for _, r := range rows {
				c.Codes[r] = star
			}
		}
	}
	t.Run("a lone suppressed record is found: the only one its raw values can be", func(t *testing.T) {
		raw, rel := classTable([]int{20, 1}, false)
		suppress(rel, 20)
		res := CheckRelease(raw, rel, GateOptions{Policy: classPolicy()})
		mustFail(t, res, CheckRisk, "")
		if res.Suppressed != 1 || res.UniqueLinks != 1 {
			t.Fatalf("suppressed %d, unique links %d; want 1 and 1", res.Suppressed, res.UniqueLinks)
		}
	})
	t.Run("twenty suppressed records with mixed diagnoses pass", func(t *testing.T) {
		raw, rel := classTable([]int{20, 20}, false)
		suppress(rel, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39)
		res := CheckRelease(raw, rel, GateOptions{Policy: classPolicy()})
		if !res.Passed || res.Suppressed != 20 {
			t.Fatalf("passed=%v suppressed=%d:%s", res.Passed, res.Suppressed, reasonList(res))
		}
	})
}

func TestGate_GBT42460AnnexD_DivisionCodesAtMixedLevelsLink(t *testing.T) {
	// Local recoding (Mondrian) leaves some counties as they are and lifts
	// others to the prefecture or province: each raw county code links to
	// itself and to every code above it.
	raw := MustTable([]string{"area"}, []string{"110101"}, []string{"110102"}, []string{"110105"}, []string{"120101"})
	rel := MustTable([]string{"area"}, []string{"110101"}, []string{"110100"}, []string{"110100"}, []string{"120000"})
	pol := &Policy{Columns: map[string]ColumnPolicy{"area": {Role: RoleQuasi}}}
	res := CheckRelease(raw, rel, GateOptions{Policy: pol, Mode: ModeEnclave})
	// 110101 → 3 records, 110102 → 2, 110105 → 2, 120101 → 1.
	if got, want := res.UniqueLinks, 1; got != want {
		t.Fatalf("unique links %d, want %d:%s", got, want, reasonList(res))
	}
	if got, want := res.RiskMean, (1.0/3+1.0/2+1.0/2+1)/4; got-want > 1e-9 || want-got > 1e-9 {
		t.Fatalf("mean θ %.4f, want %.4f", got, want)
	}
}

func TestGate_GBT42460AnnexD_IdentifierKeptInPartIsLinked(t *testing.T) {
	// The resident ID cut to its area code passes check a (many people share
	// an area), but the area joins sex and birth decade as a
	// quasi-identifier, and the classes it splits are too small.
	raw := mustPopulation(t, 1000, 14)
	rel := safeRelease(t, raw, derive("身份证号", "身份证号", func(v string) string { return v[:6] }))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	mustFail(t, res, CheckRisk, "")
	found := false
	for _, q := range res.QuasiIdentifiers {
		found = found || q == "身份证号"
	}
	if !found || res.Level == LevelL3 || res.Level == LevelL4 {
		t.Fatalf("quasi-identifiers %v, level %s: the kept area code is not linked", res.QuasiIdentifiers, res.Level)
	}
}
