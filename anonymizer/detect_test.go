package anonymizer

import (
	"strings"
	"testing"
)

func TestDetect_ProposesRolesForThePopulationTable(t *testing.T) {
	d := Detect(SynthesizeTable(3000, 11), DetectOptions{})
	want := map[string]struct {
		role Role
		typ  PIIType
	}{
		"身份证号": {RoleIdentifying, TypeResidentID},
		"姓名":   {RoleIdentifying, TypeName},
		"手机号":  {RoleIdentifying, TypeMobile},
		"出生日期": {RoleQuasi, TypeBirthDate},
		"性别":   {RoleQuasi, TypeSex},
		"行政区划": {RoleQuasi, TypeDivisionCode},
		"职业":   {RoleQuasi, ""},
		"学历":   {RoleQuasi, ""},
		"收入":   {RoleSensitive, ""},
		"诊断":   {RoleSensitive, ""},
	}
	for name, w := range want {
		t.Run(name+" is proposed "+string(w.role), func(t *testing.T) {
			c := d.Column(name)
			if c == nil {
				t.Fatalf("no detection for %s", name)
			}
			if c.ProposedRole != w.role {
				t.Errorf("role = %s (%s), want %s", c.ProposedRole, c.Reason, w.role)
			}
			if c.Confidence < 0.6 || c.Confidence > 1 {
				t.Errorf("confidence = %v, want within [0.6, 1]", c.Confidence)
			}
			if w.typ != "" {
				if len(c.Types) == 0 || c.Types[0].Type != w.typ || c.Types[0].MatchRate < 0.99 {
					t.Errorf("types = %+v, want %s first at ≥ 99%%", c.Types, w.typ)
				}
			}
		})
	}
}

func TestDetect_FindsIdentifiersInsideFreeText(t *testing.T) {
	tab := MustTable([]string{"备注", "金额"},
		[]string{"客户来电，手机13800138000，要求退款", "120"},
		[]string{"已核实身份证11010519491231002X", "80"},
		[]string{"无", "15"},
		[]string{"请发票寄至广东省深圳市南山区科技园南路88号", "99"},
	)
	d := Detect(tab, DetectOptions{})
	c := d.Column("备注")
	hits := map[PIIType]int{}
	for _, h := range c.FreeTextHits {
		hits[h.Type] = h.Cells
		if strings.Contains(h.Example, "13800138000") || strings.Contains(h.Example, "11010519491231002X") {
			t.Errorf("free-text example %q is not masked", h.Example)
		}
	}
	for _, typ := range []PIIType{TypeMobile, TypeResidentID, TypeAddress} {
		if hits[typ] != 1 {
			t.Errorf("%s found in %d cells, want 1 (hits %v)", typ, hits[typ], c.FreeTextHits)
		}
	}
	if c.ProposedRole != RoleIdentifying {
		t.Errorf("a free-text column carrying identifiers is %s, want identifying (Tianjin Art. 29)", c.ProposedRole)
	}
	if got := d.Column("金额").ProposedRole; got != RoleInsensitive {
		t.Errorf("金额 is %s, want insensitive", got)
	}
}

func TestDetect_NameShapedCategoriesAreNotNames(t *testing.T) {
	var rows [][]string
	for i := 0; i < 200; i++ {
		rows = append(rows, []string{[]string{"高血压", "司机", "农民", "高血压"}[i%4]})
	}
	d := Detect(MustTable([]string{"类别"}, rows...), DetectOptions{})
	if r := d.Columns[0].Rate(TypeName); r != 0 {
		t.Errorf("a column of four repeated categories has name rate %v, want 0", r)
	}
}

func TestDetect_SamplesWithMaxRows(t *testing.T) {
	d := Detect(SynthesizeTable(5000, 3), DetectOptions{MaxRows: 500})
	c := d.Column("身份证号")
	if c.NonEmpty != 500 {
		t.Errorf("examined %d rows, want 500", c.NonEmpty)
	}
	if d.Rows != 5000 {
		t.Errorf("rows = %d, want the table's 5000", d.Rows)
	}
}

func TestMaskValue_HidesTheIdentifyingPart(t *testing.T) {
	tests := []struct {
		typ      PIIType
		in, want string
	}{
		{TypeResidentID, "11010519491231002X", "110*************2X"},
		{TypeMobile, "13800138000", "138****8000"},
		{TypeEmail, "zhang.san@example.com", "z***@example.com"},
		{TypeName, "欧阳娜娜", "欧***"},
		{TypeBirthDate, "1990-03-07", "1990-**-**"},
	}
	for _, tt := range tests {
		t.Run(string(tt.typ)+" is masked", func(t *testing.T) {
			if got := MaskValue(tt.typ, tt.in); got != tt.want {
				t.Errorf("MaskValue(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
