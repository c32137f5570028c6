package market

import (
	"errors"
	"testing"
)

func TestValidateCreditCode_GB32100CheckCharacter(t *testing.T) {
	tests := []struct {
		name string
		code string
		ok   bool
	}{
		{"a published example code is valid", "91350100M000100Y43", true},
		{"a Shaanxi enterprise code is valid", "91610131MA6U3R1X2M", true},
		{"a government organ code (registration authority 1) is valid", "11610000MB2950531A", true},
		{"a code whose check character is 0 is valid", "91610131MA7G2PLT35", true},
		{"a wrong check character is refused", "91350100M000100Y44", false},
		{"a transposition of two characters is refused", "91350100M000010Y43", false},
		{"17 characters are refused", "91350100M000100Y4", false},
		{"19 characters are refused", "91350100M000100Y433", false},
		{"the letter I, not in the code's set, is refused", "91350100MI00100Y43", false},
		{"the letter O, not in the code's set, is refused", "91350100MO00100Y43", false},
		{"lower case is refused (normalize first)", "91350100m000100y43", false},
		{"letters in the administrative division code are refused", "91A50100M000100Y43", false},
		{"an empty code is refused", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateCreditCode(tt.code)
			if got := err == nil; got != tt.ok {
				t.Fatalf("ValidateCreditCode(%q) = %v, want ok=%v", tt.code, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
		})
	}
}

func TestCreditCodeCheckChar_MatchesEveryValidCode(t *testing.T) {
	for _, code := range []string{"91350100M000100Y43", "91110108551385082Q", "91120116MA05K7HW4D"} {
		got, ok := CreditCodeCheckChar(code[:17])
		if !ok || got != code[17] {
			t.Errorf("CreditCodeCheckChar(%q) = %q, %v; want %q", code[:17], got, ok, code[17])
		}
	}
}

func TestPartyValidate(t *testing.T) {
	org := func(mod func(*Party)) Party {
		p := Party{Kind: PartyOrganization, Name: "西安数据科技有限公司", CreditCode: "91610131mA6U3R1X2M ", Jurisdiction: "61"}
		mod(&p)
		p.Normalize()
		return p
	}
	tests := []struct {
		name      string
		party     Party
		wantField string // "" when valid
	}{
		{"a Shaanxi organization with a valid code is valid (code upper-cased)", org(func(*Party) {}), ""},
		{"an overseas organization without a code is valid", org(func(p *Party) { p.CreditCode, p.Jurisdiction = "", "overseas" }), ""},
		{"an individual in Tianjin is valid", Party{Kind: PartyIndividual, Name: "张三", Jurisdiction: "12", Type: PartyParticipant}, ""},
		{"a regulator organization is valid", org(func(p *Party) { p.Type = PartyRegulator; p.CreditCode = "11610000MB2950531A" }), ""},
		{"a mainland organization without a code is refused", org(func(p *Party) { p.CreditCode = "" }), "credit_code"},
		{"a code with a wrong check character is refused", org(func(p *Party) { p.CreditCode = "91610131MA6U3R1X2N" }), "credit_code"},
		{"an overseas organization with a code is refused", org(func(p *Party) { p.Jurisdiction = "overseas" }), "credit_code"},
		{"an individual with a code is refused", org(func(p *Party) { p.Kind = PartyIndividual }), "credit_code"},
		{"Hong Kong (81) is not a mainland province", org(func(p *Party) { p.Jurisdiction = "81" }), "jurisdiction"},
		{"a city code is not a province code", org(func(p *Party) { p.Jurisdiction = "6101" }), "jurisdiction"},
		{"a missing jurisdiction is refused", org(func(p *Party) { p.Jurisdiction = "" }), "jurisdiction"},
		{"an unknown kind is refused", org(func(p *Party) { p.Kind = "company" }), "kind"},
		{"an empty name is refused", org(func(p *Party) { p.Name = "  " }), "name"},
		{"an individual regulator is refused", Party{Kind: PartyIndividual, Type: PartyRegulator, Name: "李四", Jurisdiction: "61"}, "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.party.Validate()
			var e *Error
			switch {
			case tt.wantField == "" && err != nil:
				t.Fatalf("Validate() = %v, want valid", err)
			case tt.wantField != "" && !errors.As(err, &e):
				t.Fatalf("Validate() = %v, want an *Error for %s", err, tt.wantField)
			case tt.wantField != "" && e.Field != tt.wantField:
				t.Fatalf("Validate() field = %q (%v), want %q", e.Field, err, tt.wantField)
			}
		})
	}
}
