package anonymizer

import "testing"

// Issue 14 item 6: a cue makes a name more likely, never certain; context
// words count against; a match covers a whole token.
func TestNameModel_CueRaisesButDoesNotDecide(t *testing.T) {
	for _, s := range []string{"高速", "前台", "方便", "黄金"} {
		if IsChineseNameIn(s, NameContext{Cue: true}) {
			t.Errorf("%s after a cue taken for a name", s)
		}
	}
	low, _ := NameScore("高峰")
	high, _ := NameScoreIn("高峰", NameContext{Cue: true})
	if high <= low {
		t.Errorf("cue does not raise the score: %.2f → %.2f", low, high)
	}
	if LooksLikeChineseName("高峰") || !IsChineseNameIn("高峰", NameContext{Cue: true}) {
		t.Errorf("高峰 should need its cue to count as a name")
	}
}

func TestNameModel_PlaceOrOrganizationContextCountsAgainst(t *testing.T) {
	if !IsChineseNameIn("张伟", NameContext{}) {
		t.Fatal("张伟 is a name")
	}
	if IsChineseNameIn("张伟", NameContext{Cue: true, PlaceOrg: true}) {
		t.Error("张伟 followed by 公司 taken for a person even after a cue")
	}
	if !ColumnNameContext("城市").PlaceOrg || !ColumnNameContext("姓名").Cue {
		t.Error("column names give no context")
	}
	for _, text := range []string{"客户张家港市分公司来函。", "联系人：王府井百货公司前台。", "申请人吴裕泰银行支行。"} {
		for _, m := range FindIdentifiers(text) {
			if m.Type == TypeName {
				t.Errorf("%q: %s taken for a name", text, m.Value)
			}
		}
	}
}

func TestNameModel_MatchCoversAWholeToken(t *testing.T) {
	cases := []struct{ text, want string }{
		{"联系人王小明负责本项目。", "王小明"},
		{"联系人王伟负责本项目。", "王伟"},
		{"请李秀英女士到窗口领取。", "李秀英"},
		{"持卡人廖鹏彦已确认。", "廖鹏彦"},
		{"患者黄疸症状加重。", ""},
	}
	for _, c := range cases {
		got := ""
		for _, m := range FindIdentifiers(c.text) {
			if m.Type == TypeName {
				got = m.Value
			}
		}
		if got != c.want {
			t.Errorf("%q: name %q, want %q", c.text, got, c.want)
		}
	}
}
