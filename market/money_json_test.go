package market

import (
	"encoding/json"
	"testing"
)

func TestMoney_MarshalJSONIsTheQuotedString(t *testing.T) {
	for _, in := range []string{"0", "12000", "-12.5", "0.0035", "19999.99", "123456789012.34"} {
		m, err := ParseMoney(in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(m.String())
		if string(got) != string(want) {
			t.Errorf("json.Marshal(Money %s) = %s, want %s", in, got, want)
		}
		var back Money
		if err := json.Unmarshal(got, &back); err != nil || !back.Decimal().Equal(m.Decimal()) {
			t.Errorf("%s came back as %s (%v)", got, back, err)
		}
	}
}
