package market

import (
	"encoding/json"
	"testing"
)

func TestMoney_ParseAndFormat(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"12000", "12000.00"},
		{"12000.5", "12000.50"},
		{"0.0035", "0.0035"},
		{"-3.10", "-3.10"},
		{" 7 ", "7.00"},
	} {
		t.Run(tc.in+" formats as "+tc.want, func(t *testing.T) {
			m, err := ParseMoney(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMoney_RejectsWhatIsNotAPlainDecimal(t *testing.T) {
	for _, in := range []string{"", "1e3", "¥12", "12.00001", "abc", "NaN"} {
		if _, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) accepted", in)
		}
	}
}

func TestMoney_JSONRoundTripKeepsEveryFen(t *testing.T) {
	var got struct{ A, B Money }
	if err := json.Unmarshal([]byte(`{"A":"0.10","B":19999.99}`), &got); err != nil {
		t.Fatal(err)
	}
	if s := got.A.Add(got.B).String(); s != "20000.09" {
		t.Errorf("sum = %s, want 20000.09", s)
	}
	b, _ := json.Marshal(got)
	if string(b) != `{"A":"0.10","B":"19999.99"}` {
		t.Errorf("marshal = %s", b)
	}
}
