package anonymizer

import (
	"fmt"
	"strings"
	"testing"
)

func TestGate_TianjinArt29_SafeHandBuiltReleasePassesAsL3(t *testing.T) {
	raw := mustPopulation(t, 3000, 1)
	res := CheckRelease(raw, safeRelease(t, raw), GateOptions{Policy: synthPolicy()})
	if !res.Passed {
		t.Fatalf("safe release failed:%s", reasonList(res))
	}
	if got, want := res.Level, LevelL3; got != want {
		t.Fatalf("level %s, want %s", got, want)
	}
	if res.MinClass < 20 || res.RiskMax > 1.0/20 {
		t.Fatalf("min class %d, max θ %.4f: the fixture is not k=20", res.MinClass, res.RiskMax)
	}
	if got, want := res.RecordsLinked, raw.Rows(); got != want {
		t.Fatalf("%d records linked, want every raw record (%d)", got, want)
	}
}

func TestGate_TianjinArt29_NoIdentifiersAtAllIsL4(t *testing.T) {
	raw := mustPopulation(t, 500, 2)
	rel := mustRelease(t, raw, keep("职业"), keep("学历"))
	res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()})
	if !res.Passed || res.Level != LevelL4 {
		t.Fatalf("passed=%v level=%s, want passed L4:%s", res.Passed, res.Level, reasonList(res))
	}
}

func TestGate_TianjinArt29_DirectIdentifierSurvives(t *testing.T) {
	raw := mustPopulation(t, 1000, 3)
	cases := []struct {
		name   string
		col    releaseCol
		column string
		want   string
	}{
		{"a resident ID kept whole fails", keep("身份证号"), "身份证号", "appear whole"},
		{"a resident ID under another column name fails", derive("uid", "身份证号", strings.TrimSpace), "uid", "appear whole"},
		{"a name kept whole fails", keep("姓名"), "姓名", "appear whole"},
		{"a resident ID with only its sequence digits masked fails: area, birth date and sex remain",
			derive("身份证号", "身份证号", func(v string) string { return v[:14] + "**" + v[16:] }), "身份证号", "area code and birth date"},
		{"a mobile number with only the last two digits masked fails",
			derive("手机号", "手机号", func(v string) string { return v[:9] + "**" }), "手机号", "only 2 digit(s) hidden"},
		{"a mobile number inside a free-text note fails",
			derive("备注", "手机号", func(v string) string { return "请联系本人，电话" + v + "，工作日" }), "备注", "inside their text"},
		{"a name inside a free-text note fails",
			derive("备注", "姓名", func(v string) string { return "患者" + v + "自述头痛" }), "备注", "inside their text"},
		{"an e-mail address the raw table does not hold is still detected",
			releaseCol{"备注", func(_ map[string]string, r int) string { return fmt.Sprintf("回访邮箱 user%d@example.com", r) }}, "备注", "valid email identifiers"},
		{"a resident ID truncated after the birth date fails: area and birth date remain",
			derive("身份证号", "身份证号", func(v string) string { return v[:14] }), "身份证号", "area code and birth date"},
		{"a mobile number truncated to its first nine digits fails",
			derive("手机号", "手机号", func(v string) string { return v[:9] }), "手机号", "only 2 digit(s) hidden"},
		{"a masked resident ID consistent with one person fails",
			derive("身份证号", "身份证号", func(v string) string { return v[:3] + strings.Repeat("*", 11) + v[14:] }), "身份证号", "consistent with"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := CheckRelease(raw, safeRelease(t, raw, tc.col), GateOptions{Policy: synthPolicy()})
			r := mustFail(t, res, CheckIdentifier, tc.column)
			if !strings.Contains(r.Detail, tc.want) {
				t.Fatalf("detail %q does not say %q", r.Detail, tc.want)
			}
			if res.Level != LevelL1 {
				t.Fatalf("level %s, want L1", res.Level)
			}
			for _, v := range raw.Columns[0].Dict[:20] {
				if strings.Contains(r.Detail, v) {
					t.Fatalf("the reason prints an identifier whole: %s", r.Detail)
				}
			}
		})
	}
}

func TestGate_TianjinArt29_FullyMaskedIdentifierDoesNotFail(t *testing.T) {
	raw := mustPopulation(t, 1000, 4)
	rel := safeRelease(t, raw, derive("手机号", "手机号", func(v string) string { return strings.Repeat("*", len(v)) }))
	if res := CheckRelease(raw, rel, GateOptions{Policy: synthPolicy()}); !res.Passed {
		t.Fatalf("fully masked column failed:%s", reasonList(res))
	}
}
