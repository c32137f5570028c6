package market

import (
	"strings"
	"testing"
)

// mustPenalty computes c and fails the test on error.
func mustPenalty(tb testing.TB, c PenaltyCase) PenaltyResult {
	tb.Helper()
	r, err := ComputePenalty(c)
	if err != nil {
		tb.Fatalf("ComputePenalty: %v", err)
	}
	return r
}

func penaltyBool(b bool) *bool { return &b }

// oneViolation returns a case of one violation by a party of kind.
func penaltyCaseOf(kind PartyKind, v PenaltyViolation) PenaltyCase {
	return PenaltyCase{Party: PenaltyParty{ID: "P1", Kind: kind}, Violations: []PenaltyViolation{v}}
}

func penaltyTrade(id, amount, refunded, overcharge string) PenaltyTrade {
	return PenaltyTrade{ID: id, Amount: MustMoney(amount), Refunded: MustMoney(refunded), Overcharge: MustMoney(overcharge)}
}

func TestComputePenalty_ShaanxiArt74_TransactionAmountBands(t *testing.T) {
	tests := []struct {
		name             string
		trades           []PenaltyTrade
		wantMin, wantMax string
		wantConfiscation string
	}{
		{"9,999.99 yuan is under 10,000 (不足一万元) and takes the 50,000–200,000 range",
			[]PenaltyTrade{penaltyTrade("t1", "9999.99", "0", "0")}, "50000.00", "200000.00", "9999.99"},
		{"exactly 10,000.00 yuan is 一万元以上 and takes the 200,000–1,000,000 range",
			[]PenaltyTrade{penaltyTrade("t1", "10000.00", "0", "0")}, "200000.00", "1000000.00", "10000.00"},
		{"two trades summing to 10,000.00 take the upper range",
			[]PenaltyTrade{penaltyTrade("t1", "6000.00", "0", "0"), penaltyTrade("t2", "4000.00", "0", "0")}, "200000.00", "1000000.00", "10000.00"},
		{"refunds lower the illegal gains but not the transaction amount that grades the fine",
			[]PenaltyTrade{penaltyTrade("t1", "10000.00", "2500.50", "0")}, "200000.00", "1000000.00", "7499.50"},
		{"a fully refunded trade leaves nothing to confiscate",
			[]PenaltyTrade{penaltyTrade("t1", "800.00", "800.00", "0")}, "50000.00", "200000.00", "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustPenalty(t, penaltyCaseOf(PartyOrganization, PenaltyViolation{Article: BreachArt36, Trades: tt.trades}))
			v := r.Violations[0]
			if got, want := v.Article, "Shaanxi Art. 74"; got != want {
				t.Errorf("article = %q, want %q", got, want)
			}
			if got := v.FineMin.String() + "–" + v.FineMax.String(); got != tt.wantMin+"–"+tt.wantMax {
				t.Errorf("fine range = %s, want %s–%s", got, tt.wantMin, tt.wantMax)
			}
			if got := v.Confiscation.String(); got != tt.wantConfiscation {
				t.Errorf("confiscation = %s, want %s", got, tt.wantConfiscation)
			}
			if !v.CorrectionOrdered || !v.FineApplies {
				t.Errorf("correction_ordered = %v, fine_applies = %v; Art. 74 orders correction and fines", v.CorrectionOrdered, v.FineApplies)
			}
			if got, want := r.TotalConfiscation.String(), tt.wantConfiscation; got != want {
				t.Errorf("total confiscation = %s, want %s", got, want)
			}
		})
	}
}

func TestComputePenalty_ShaanxiArt75_FineOnlyOnRefusalToCorrect(t *testing.T) {
	tests := []struct {
		name        string
		corrected   *bool
		wantApplies bool
		wantFine    string
	}{
		{"a party that corrected is not fined", penaltyBool(true), false, "0.00"},
		{"a party that refused to correct (拒不改正) is fined 10,000–100,000, ordinary band midpoint", penaltyBool(false), true, "55000.00"},
		{"a pending correction (null) is not fined yet", nil, false, "0.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustPenalty(t, penaltyCaseOf(PartyOrganization, PenaltyViolation{
				Article: BreachArt37, Corrected: tt.corrected,
				Trades: []PenaltyTrade{penaltyTrade("t1", "5000.00", "0", "1200.00"), penaltyTrade("t2", "3000.00", "1000.00", "300.50")},
			}))
			v := r.Violations[0]
			if got, want := v.Article, "Shaanxi Art. 75"; got != want {
				t.Errorf("article = %q, want %q", got, want)
			}
			if got, want := v.Confiscation.String(), "1500.50"; got != want {
				t.Errorf("confiscation = %s, want the overcharge %s", got, want)
			}
			if v.FineApplies != tt.wantApplies {
				t.Errorf("fine_applies = %v, want %v", v.FineApplies, tt.wantApplies)
			}
			if got := v.Fine.String(); got != tt.wantFine {
				t.Errorf("fine = %s, want %s", got, tt.wantFine)
			}
			if tt.wantApplies && (v.FineMin.String() != "10000.00" || v.FineMax.String() != "100000.00") {
				t.Errorf("fine range = %s–%s, want 10000.00–100000.00", v.FineMin, v.FineMax)
			}
			if !tt.wantApplies && v.Discretion != "" {
				t.Errorf("discretion = %q with no fine, want none", v.Discretion)
			}
			if got, want := r.TotalFine.String(), tt.wantFine; got != want {
				t.Errorf("total fine = %s, want %s", got, want)
			}
		})
	}
}

func TestComputePenalty_Discretion_BandsFromFactors(t *testing.T) {
	lower := []PenaltyTrade{penaltyTrade("t1", "9999.99", "0", "0")}
	upper := []PenaltyTrade{penaltyTrade("t1", "10000.00", "0", "0")}
	tests := []struct {
		name      string
		article   PenaltyArticle
		trades    []PenaltyTrade
		factors   []PenaltyFactor
		wantBand  Discretion
		wantFine  string
		corrected *bool
	}{
		{"Art. 74 upper range with no factor is ordinary: midpoint of 440,000–760,000", BreachArt36, upper, nil, DiscretionOrdinary, "600000.00", nil},
		{"Art. 74 upper range with a first offence is lighter: midpoint of 200,000–440,000", BreachArt36, upper, []PenaltyFactor{FactorFirstOffence}, DiscretionLighter, "320000.00", nil},
		{"Art. 74 upper range with serious harm is heavier: midpoint of 760,000–1,000,000", BreachArt36, upper, []PenaltyFactor{FactorSeriousHarm}, DiscretionHeavier, "880000.00", nil},
		{"Art. 74 lower range, lighter: midpoint of 50,000–95,000", BreachArt36, lower, []PenaltyFactor{FactorPromptCorrection, FactorCooperation}, DiscretionLighter, "72500.00", nil},
		{"Art. 74 lower range, ordinary: midpoint of 95,000–155,000", BreachArt36, lower, nil, DiscretionOrdinary, "125000.00", nil},
		{"Art. 74 lower range, heavier: midpoint of 155,000–200,000", BreachArt36, lower, []PenaltyFactor{FactorRepeat, FactorObstruction}, DiscretionHeavier, "177500.00", nil},
		{"one lightening and one aggravating factor cancel to ordinary", BreachArt36, lower, []PenaltyFactor{FactorFirstOffence, FactorSeriousHarm}, DiscretionOrdinary, "125000.00", nil},
		{"two aggravating against one lightening is heavier", BreachArt36, lower, []PenaltyFactor{FactorCoerced, FactorSeriousHarm, FactorObstruction}, DiscretionHeavier, "177500.00", nil},
		{"Art. 75 refused, lighter: midpoint of 10,000–37,000", BreachArt37, lower, []PenaltyFactor{FactorFirstOffence}, DiscretionLighter, "23500.00", penaltyBool(false)},
		{"Art. 75 refused, heavier: midpoint of 73,000–100,000", BreachArt37, lower, []PenaltyFactor{FactorVulnerableCounterparty}, DiscretionHeavier, "86500.00", penaltyBool(false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustPenalty(t, penaltyCaseOf(PartyOrganization, PenaltyViolation{Article: tt.article, Trades: tt.trades, Factors: tt.factors, Corrected: tt.corrected}))
			v := r.Violations[0]
			if v.Discretion != tt.wantBand {
				t.Errorf("discretion = %q, want %q", v.Discretion, tt.wantBand)
			}
			if got := v.FineRecommended.String(); got != tt.wantFine {
				t.Errorf("fine_recommended = %s, want %s", got, tt.wantFine)
			}
			if got, want := len(v.FactorsUsed), len(tt.factors); got != want {
				t.Errorf("factors_used = %v, want the %d factors given", v.FactorsUsed, want)
			}
			steps := strings.Join(v.Steps, "\n")
			for _, f := range tt.factors {
				if !strings.Contains(steps, string(f)) {
					t.Errorf("steps do not name factor %s:\n%s", f, steps)
				}
			}
			if !strings.Contains(steps, tt.wantFine) {
				t.Errorf("steps do not show the recommended fine %s:\n%s", tt.wantFine, steps)
			}
		})
	}
}

func TestComputePenalty_SeveralViolations_ComputedSeparatelyThenTotalled(t *testing.T) {
	c := PenaltyCase{Party: PenaltyParty{ID: "P9", Kind: PartyOrganization}, Violations: []PenaltyViolation{
		{Article: BreachArt36, Trades: []PenaltyTrade{penaltyTrade("t1", "4000.00", "0", "0")}},
		{Article: BreachArt36, Trades: []PenaltyTrade{penaltyTrade("t2", "7000.00", "100.00", "0")}},
		{Article: BreachArt37, Corrected: penaltyBool(false), Trades: []PenaltyTrade{penaltyTrade("t1", "4000.00", "0", "250.25")}},
	}}
	r := mustPenalty(t, c)
	// Each Art. 36 violation is graded by its own amount (4,000 and 7,000,
	// each under 10,000), not by their sum of 11,000.
	for i := range 2 {
		if got, want := r.Violations[i].FineMax.String(), "200000.00"; got != want {
			t.Errorf("violation %d fine_max = %s, want %s (graded on its own amount)", i, got, want)
		}
	}
	if got, want := r.TotalConfiscation.String(), "11150.25"; got != want {
		t.Errorf("total_confiscation = %s, want %s (4000 + 6900 + 250.25)", got, want)
	}
	if got, want := r.TotalFine.String(), "305000.00"; got != want {
		t.Errorf("total_fine = %s, want %s (125000 + 125000 + 55000)", got, want)
	}
	if !r.HearingNotice {
		t.Errorf("hearing_notice = false; a total fine of 305,000 on an organization calls for one (Shaanxi Art. 77)")
	}
}

func TestPenaltyMidpoint_RoundsHalfUpToTheFen(t *testing.T) {
	if got, want := penaltyMidpoint(MustMoney("0.01"), MustMoney("0.02")).String(), "0.02"; got != want {
		t.Errorf("midpoint(0.01, 0.02) = %s, want %s", got, want)
	}
}
