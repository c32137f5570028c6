package anonymizer

import (
	"fmt"
	"testing"
)

// idWithArea returns a valid 18-character resident ID of area code area.
func idWithArea(area string, seq int) string {
	s := fmt.Sprintf("%s1990%02d%02d%03d", area, 1+seq%12, 1+seq%28, seq%1000)
	return s + string(ResidentIDCheckChar(s))
}

func TestValidResidentID_CitiesWithoutCountiesAreValid(t *testing.T) {
	for _, area := range []string{"441900", "442000", "460400", "620200"} {
		t.Run("area "+area, func(t *testing.T) {
			id := idWithArea(area, 7)
			if !ValidResidentID(id) {
				t.Fatalf("%s (a city without counties) rejected", id)
			}
			if ms := FindIdentifiers("客户 " + id + " 已登记"); len(ms) != 1 || ms[0].Type != TypeResidentID {
				t.Fatalf("not found in text: %+v", ms)
			}
		})
	}
	for _, area := range []string{"441800", "110100", "440300"} {
		if id := idWithArea(area, 7); ValidResidentID(id) {
			t.Errorf("%s: a prefecture with counties is not an address code", id)
		}
	}
}

func TestDetect_CityWithoutCountiesColumnIsIdentifying(t *testing.T) {
	tab, err := NewTable("t.csv", []string{"编码"})
	if err != nil {
		t.Fatal(err)
	}
	areas := []string{"441900", "442000", "460400", "620200"}
	for i := range 200 {
		if err := tab.AppendRow([]string{idWithArea(areas[i%4], i)}, i+2); err != nil {
			t.Fatal(err)
		}
	}
	d := Detect(tab, DetectOptions{})
	if c := d.Columns[0]; c.ProposedRole != RoleIdentifying || len(c.Types) == 0 || c.Types[0].Type != TypeResidentID {
		t.Fatalf("column of Dongguan, Zhongshan, Danzhou and Jiayuguan IDs: %+v", c)
	}
}
