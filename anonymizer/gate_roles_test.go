package anonymizer

import "testing"

func TestGate_TianjinArt29_WithoutPolicyRolesComeFromDetection(t *testing.T) {
	raw := mustPopulation(t, 2000, 13)
	t.Run("the identifiers are found and a copy of the raw table fails as L1", func(t *testing.T) {
		res := CheckRelease(raw, raw, GateOptions{})
		for _, col := range []string{"身份证号", "手机号"} {
			mustFail(t, res, CheckIdentifier, col)
		}
		if res.Level != LevelL1 {
			t.Fatalf("level %s", res.Level)
		}
	})
	t.Run("detected quasi-identifiers are linked: exact birth dates fail the risk check", func(t *testing.T) {
		rel := mustRelease(t, raw, keep("出生日期"), keep("性别"), keep("诊断"))
		res := CheckRelease(raw, rel, GateOptions{})
		mustFail(t, res, CheckRisk, "")
		if res.Level != LevelL2 {
			t.Fatalf("level %s, want L2:%s", res.Level, reasonList(res))
		}
	})
	t.Run("the safe release passes", func(t *testing.T) {
		res := CheckRelease(raw, safeRelease(t, raw), GateOptions{})
		if !res.Passed {
			t.Fatalf("%s", reasonList(res))
		}
		roles := map[string]ColumnRole{}
		for _, c := range res.Columns {
			roles[c.Name] = c
		}
		if c := roles["身份证号"]; c.Role != RoleIdentifying || c.Source != "detection" {
			t.Fatalf("身份证号: %+v", c)
		}
	})
}
