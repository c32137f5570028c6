package market

import (
	"errors"
	"strings"
	"testing"
)

func penaltyOverride(fine string) *PenaltyOverride {
	return &PenaltyOverride{Fine: MustMoney(fine), Reason: "scale of the harm, see case notes"}
}

func TestComputePenalty_ShaanxiArt77_HearingThresholds(t *testing.T) {
	small := []PenaltyTrade{penaltyTrade("t1", "5000.00", "0", "0")}
	tests := []struct {
		name string
		kind PartyKind
		v    PenaltyViolation
		want bool
	}{
		{"an organization fined 199,999.99 gets no hearing notice", PartyOrganization,
			PenaltyViolation{Article: BreachArt36, Trades: small, Override: penaltyOverride("199999.99")}, false},
		{"an organization fined 200,000.00 (二十万元以上) gets a hearing notice", PartyOrganization,
			PenaltyViolation{Article: BreachArt36, Trades: small, Override: penaltyOverride("200000.00")}, true},
		{"an individual fined 19,999.99 gets no hearing notice", PartyIndividual,
			PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(false), Trades: small, Override: penaltyOverride("19999.99")}, false},
		{"an individual fined 20,000.00 (二万元以上) gets a hearing notice", PartyIndividual,
			PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(false), Trades: small, Override: penaltyOverride("20000.00")}, true},
		{"an organization whose confiscated gains are 199,999.99 and no fine gets no notice", PartyOrganization,
			PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(true), Trades: []PenaltyTrade{penaltyTrade("t1", "500000.00", "0", "199999.99")}}, false},
		{"an organization whose confiscated gains are 200,000.00 gets a notice", PartyOrganization,
			PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(true), Trades: []PenaltyTrade{penaltyTrade("t1", "500000.00", "0", "200000.00")}}, true},
		{"an individual whose confiscated gains are 19,999.99 and no fine gets no notice", PartyIndividual,
			PenaltyViolation{Article: BreachArt37, Trades: []PenaltyTrade{penaltyTrade("t1", "30000.00", "0", "19999.99")}}, false},
		{"an individual whose confiscated gains are 20,000.00 gets a notice", PartyIndividual,
			PenaltyViolation{Article: BreachArt37, Trades: []PenaltyTrade{penaltyTrade("t1", "30000.00", "0", "20000.00")}}, true},
		{"an individual under Art. 74 is always fined at least 50,000 and gets a notice", PartyIndividual,
			PenaltyViolation{Article: BreachArt36, Trades: small, Factors: []PenaltyFactor{FactorFirstOffence}}, true},
		{"an organization in the Art. 74 upper range is always fined at least 200,000 and gets a notice", PartyOrganization,
			PenaltyViolation{Article: BreachArt36, Trades: []PenaltyTrade{penaltyTrade("t1", "10000.00", "0", "0")}, Override: penaltyOverride("200000.00")}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustPenalty(t, penaltyCaseOf(tt.kind, tt.v))
			if r.HearingNotice != tt.want {
				t.Errorf("hearing_notice = %v, want %v (fine %s, confiscation %s): %s", r.HearingNotice, tt.want, r.TotalFine, r.TotalConfiscation, r.HearingBasis)
			}
			if r.Violations[0].HearingNotice != tt.want {
				t.Errorf("violation hearing_notice = %v, want %v", r.Violations[0].HearingNotice, tt.want)
			}
			if !strings.Contains(r.HearingBasis, "Shaanxi Art. 77") {
				t.Errorf("hearing_basis %q does not cite Shaanxi Art. 77", r.HearingBasis)
			}
		})
	}
}

func TestComputePenalty_ShaanxiArt77_JudgedOnTheDecisionTotal(t *testing.T) {
	// Two refusals under Art. 75, each fined 100,000: neither alone reaches
	// 200,000, the decision's total does.
	refused := func(id string) PenaltyViolation {
		return PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(false), Trades: []PenaltyTrade{penaltyTrade(id, "1000.00", "0", "10.00")}, Override: penaltyOverride("100000.00")}
	}
	r := mustPenalty(t, PenaltyCase{Party: PenaltyParty{ID: "P1", Kind: PartyOrganization}, Violations: []PenaltyViolation{refused("t1"), refused("t2")}})
	for i, v := range r.Violations {
		if v.HearingNotice {
			t.Errorf("violation %d hearing_notice = true for a fine of %s alone", i, v.Fine)
		}
	}
	if !r.HearingNotice {
		t.Errorf("hearing_notice = false for a total fine of %s on an organization; want true", r.TotalFine)
	}
}

func TestComputePenalty_Override(t *testing.T) {
	small := []PenaltyTrade{penaltyTrade("t1", "5000.00", "0", "0")}
	tests := []struct {
		name      string
		v         PenaltyViolation
		wantField string // empty: accepted
		wantFine  string
	}{
		{"an override inside the Art. 74 range replaces the recommendation", PenaltyViolation{Article: BreachArt36, Trades: small, Override: penaltyOverride("150000.00")}, "", "150000.00"},
		{"an override at the Art. 74 minimum 50,000.00 is accepted (以上 includes the bound)", PenaltyViolation{Article: BreachArt36, Trades: small, Override: penaltyOverride("50000.00")}, "", "50000.00"},
		{"an override below the Art. 74 range is rejected", PenaltyViolation{Article: BreachArt36, Trades: small, Override: penaltyOverride("49999.99")}, "violations[0].override.fine", ""},
		{"an override above the Art. 74 range is rejected", PenaltyViolation{Article: BreachArt36, Trades: small, Override: penaltyOverride("200000.01")}, "violations[0].override.fine", ""},
		{"an override above the Art. 75 range is rejected", PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(false), Trades: small, Override: penaltyOverride("100000.01")}, "violations[0].override.fine", ""},
		{"an override of an Art. 75 fine while correction is pending is rejected", PenaltyViolation{Article: BreachArt37, Trades: small, Override: penaltyOverride("20000.00")}, "violations[0].override", ""},
		{"an override without a reason is rejected", PenaltyViolation{Article: BreachArt36, Trades: small, Override: &PenaltyOverride{Fine: MustMoney("100000.00"), Reason: "  "}}, "violations[0].override.reason", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ComputePenalty(penaltyCaseOf(PartyOrganization, tt.v))
			if tt.wantField != "" {
				var e *Error
				if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
					t.Fatalf("err = %v, want an ErrInvalid *Error", err)
				}
				if e.Field != tt.wantField || !strings.HasPrefix(e.Message, tt.wantField+": ") {
					t.Errorf("field = %q, message = %q; want field %q", e.Field, e.Message, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatalf("ComputePenalty: %v", err)
			}
			v := r.Violations[0]
			if got := v.Fine.String(); got != tt.wantFine {
				t.Errorf("fine = %s, want the override %s", got, tt.wantFine)
			}
			if got, want := v.FineRecommended.String(), "125000.00"; got != want {
				t.Errorf("fine_recommended = %s, want the engine's %s kept beside the override", got, want)
			}
			if v.Override == nil || !strings.Contains(strings.Join(v.Steps, "\n"), v.Override.Reason) {
				t.Errorf("steps do not give the override's reason: %v", v.Steps)
			}
		})
	}
}
