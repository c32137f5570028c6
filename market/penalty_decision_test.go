package market

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestComputePenalty_OneViolationPerProductAndRule(t *testing.T) {
	t.Run("one product sold in two trades of 6,000 and 7,000 entered as two violations is one violation of 13,000 in the 200,000–1,000,000 range (Shaanxi Art. 74)", func(t *testing.T) {
		c, err := ParsePenaltyCase([]byte(`{"party":{"id":"P","kind":"organization"},"violations":[
			{"article":"shaanxi-36","product":"L1","trades":[{"id":"t1","amount":"6000.00"}]},
			{"article":"shaanxi-36","product":"L1","trades":[{"id":"t2","amount":"7000.00"}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		r := mustPenalty(t, c)
		if got, want := len(r.Violations), 1; got != want {
			t.Fatalf("%d violations, want %d", got, want)
		}
		v := r.Violations[0]
		if got, want := v.TransactionAmount.String(), "13000.00"; got != want {
			t.Errorf("transaction amount = %s, want %s", got, want)
		}
		if got, want := v.FineMin.String()+"–"+v.FineMax.String(), "200000.00–1000000.00"; got != want {
			t.Errorf("range = %s, want %s", got, want)
		}
		if !strings.Contains(strings.Join(v.Steps, "\n"), "One violation per product and rule") {
			t.Errorf("steps do not say the violations were merged:\n%s", strings.Join(v.Steps, "\n"))
		}
	})
	t.Run("two products are two violations, each graded by its own amount", func(t *testing.T) {
		r := mustPenalty(t, PenaltyCase{Party: PenaltyParty{ID: "P", Kind: PartyOrganization}, Violations: []PenaltyViolation{
			{Article: BreachArt36, Product: "L1", Trades: []PenaltyTrade{penaltyTrade("t1", "6000.00", "0", "0")}},
			{Article: BreachArt36, Product: "L2", Trades: []PenaltyTrade{penaltyTrade("t2", "7000.00", "0", "0")}}}})
		if got, want := len(r.Violations), 2; got != want {
			t.Fatalf("%d violations, want %d", got, want)
		}
		for _, v := range r.Violations {
			if got, want := v.FineMin.String(), "50000.00"; got != want {
				t.Errorf("%s: fine_min = %s, want %s", v.Product, got, want)
			}
		}
	})
	t.Run("violations of one product that disagree on correction are refused", func(t *testing.T) {
		_, err := ComputePenalty(PenaltyCase{Party: PenaltyParty{ID: "P", Kind: PartyOrganization}, Violations: []PenaltyViolation{
			{Article: BreachArt37, Product: "L1", Corrected: penaltyBool(true), Trades: []PenaltyTrade{penaltyTrade("t1", "600", "0", "100")}},
			{Article: BreachArt37, Product: "L1", Corrected: penaltyBool(false), Trades: []PenaltyTrade{penaltyTrade("t2", "700", "0", "100")}}}})
		var e *Error
		if !errors.As(err, &e) || e.Code != "conflicting_product_findings" || e.Field != "violations[1].corrected" {
			t.Fatalf("err = %v, want conflicting_product_findings at violations[1].corrected", err)
		}
	})
}

func optionKindsOf(v ViolationPenalty) string { return optionKinds(v.DecisionOptions) }

func TestComputePenalty_AdministrativePenaltyLawArt32_ReducedPenalty(t *testing.T) {
	base := func() PenaltyViolation {
		return PenaltyViolation{Article: BreachArt36, Trades: []PenaltyTrade{penaltyTrade("t1", "12000.00", "0", "0")}}
	}
	t.Run("a coerced party that undid the harm may be fined below the minimum (减轻处罚)", func(t *testing.T) {
		v := base()
		v.Factors = []PenaltyFactor{FactorCoerced, FactorPromptCorrection}
		v.Override = &PenaltyOverride{Fine: MustMoney("80000.00"), Reason: "受他人胁迫，已主动消除危害后果"}
		r := mustPenalty(t, penaltyCaseOf(PartyOrganization, v))
		vp := r.Violations[0]
		if got, want := vp.Decision, DecisionReduced; got != want {
			t.Errorf("decision = %s, want %s", got, want)
		}
		if got, want := vp.Fine.String(), "80000.00"; got != want {
			t.Errorf("fine = %s, want %s", got, want)
		}
		if !strings.Contains(vp.DecisionBasis, "Art. 32") || !strings.Contains(vp.DecisionBasis, "coerced") {
			t.Errorf("basis %q does not cite Art. 32 and the circumstance", vp.DecisionBasis)
		}
		if got, want := optionKindsOf(vp), "lighter, reduced, not_established"; got != want {
			t.Errorf("options = %s, want %s (Art. 32: 应当从轻或者减轻, so no plain penalty)", got, want)
		}
		for _, o := range vp.DecisionOptions {
			if o.Kind == DecisionReduced && o.FineMax.String() != "199999.99" {
				t.Errorf("reduced fine_max = %s, want 199999.99", o.FineMax)
			}
		}
	})
	t.Run("a fine below the minimum without an Art. 32 circumstance is refused citing Art. 32", func(t *testing.T) {
		v := base()
		v.Factors = []PenaltyFactor{FactorFirstOffence}
		v.Override = &PenaltyOverride{Fine: MustMoney("80000.00"), Reason: "初次"}
		_, err := ComputePenalty(penaltyCaseOf(PartyOrganization, v))
		var e *Error
		if !errors.As(err, &e) || e.Code != "override_out_of_range" || !strings.Contains(e.Message, "Administrative Penalty Law Art. 32") {
			t.Fatalf("err = %v, want override_out_of_range citing Administrative Penalty Law Art. 32", err)
		}
	})
	t.Run("with an Art. 32 circumstance a fine above the lighter band is refused (应当从轻或者减轻)", func(t *testing.T) {
		v := base()
		v.Factors = []PenaltyFactor{FactorCoerced}
		v.Override = &PenaltyOverride{Fine: MustMoney("600000.00"), Reason: "x"}
		if _, err := ComputePenalty(penaltyCaseOf(PartyOrganization, v)); err == nil {
			t.Fatal("accepted 600,000 for a coerced party")
		}
	})
	t.Run("a reduced decision outside 0–199,999.99 is refused", func(t *testing.T) {
		v := base()
		v.Factors = []PenaltyFactor{FactorCoerced}
		v.Decision = &PenaltyDecision{Kind: DecisionReduced, Fine: ptrMoney("200000.00"), Reason: "x"}
		var e *Error
		if _, err := ComputePenalty(penaltyCaseOf(PartyOrganization, v)); !errors.As(err, &e) || e.Code != "override_out_of_range" {
			t.Fatalf("err = %v, want override_out_of_range", err)
		}
	})
}

func ptrMoney(s string) *Money { m := MustMoney(s); return &m }

func TestComputePenalty_AdministrativePenaltyLawArt33_NoPenalty(t *testing.T) {
	t.Run("a first minor violation corrected in time may go unpunished, and the decision pays nothing", func(t *testing.T) {
		v := PenaltyViolation{Article: BreachArt36, Corrected: penaltyBool(true), Harm: HarmMinor, Factors: []PenaltyFactor{FactorFirstOffence},
			Trades:   []PenaltyTrade{penaltyTrade("t1", "900.00", "0", "0")},
			Decision: &PenaltyDecision{Kind: DecisionNoPenalty, Reason: "初次违法，危害后果轻微，已及时下架"}}
		r := mustPenalty(t, penaltyCaseOf(PartyOrganization, v))
		vp := r.Violations[0]
		if vp.Decision != DecisionNoPenalty || !vp.Fine.IsZero() || !vp.Confiscation.IsZero() || !r.TotalFine.IsZero() {
			t.Errorf("decision %s fine %s confiscation %s total %s, want no_penalty with nothing to pay", vp.Decision, vp.Fine, vp.Confiscation, r.TotalFine)
		}
		if !strings.Contains(vp.DecisionBasis, "Art. 33(1)") {
			t.Errorf("basis %q does not cite Art. 33(1)", vp.DecisionBasis)
		}
	})
	t.Run("no_penalty is not offered for an uncorrected violation", func(t *testing.T) {
		v := PenaltyViolation{Article: BreachArt36, Harm: HarmNone, Trades: []PenaltyTrade{penaltyTrade("t1", "900.00", "0", "0")},
			Decision: &PenaltyDecision{Kind: DecisionNoPenalty, Reason: "x"}}
		var e *Error
		if _, err := ComputePenalty(penaltyCaseOf(PartyOrganization, v)); !errors.As(err, &e) || e.Code != "decision_not_allowed" {
			t.Fatalf("err = %v, want decision_not_allowed", err)
		}
	})
	t.Run("proof of no fault makes no penalty mandatory (Art. 33(2)) and the engine proposes it", func(t *testing.T) {
		v := PenaltyViolation{Article: BreachArt36, NoFaultEvidence: true, Trades: []PenaltyTrade{penaltyTrade("t1", "20000.00", "0", "0")}}
		vp := mustPenalty(t, penaltyCaseOf(PartyOrganization, v)).Violations[0]
		if got, want := optionKindsOf(vp), "no_penalty, not_established"; got != want {
			t.Errorf("options = %s, want %s", got, want)
		}
		if vp.Decision != DecisionNoPenalty || !vp.Fine.IsZero() {
			t.Errorf("decision %s fine %s, want no_penalty 0.00", vp.Decision, vp.Fine)
		}
	})
	t.Run("lack of evidence is always an option, with no fine", func(t *testing.T) {
		v := PenaltyViolation{Article: BreachArt37, Corrected: penaltyBool(false), Trades: []PenaltyTrade{penaltyTrade("t1", "900.00", "0", "100")},
			Decision: &PenaltyDecision{Kind: DecisionNotEstablished, Reason: "交易条件是否相同无法查清"}}
		r := mustPenalty(t, penaltyCaseOf(PartyOrganization, v))
		if r.Violations[0].Decision != DecisionNotEstablished || !r.TotalFine.IsZero() || !r.TotalConfiscation.IsZero() {
			t.Errorf("got %s, fine %s, want not_established with nothing to pay", r.Violations[0].Decision, r.TotalFine)
		}
	})
}

func TestComputePenalty_AdministrativePenaltyLawArt36_Limitation(t *testing.T) {
	tests := []struct {
		name       string
		ended      string
		continuing bool
		long       bool
		discovered string
		expired    bool
	}{
		{"discovered two years to the day after the end is within the period", "2024-03-10", false, false, "2026-03-10", false},
		{"discovered a day later is out of time", "2024-03-10", false, false, "2026-03-11", true},
		{"a continuing violation's period has not started", "2020-01-01", true, false, "2026-03-11", false},
		{"five years for life, health or financial security with harm", "2022-03-10", false, true, "2026-03-11", false},
		{"and out of time after five", "2021-03-10", false, true, "2026-03-11", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := penaltyCaseOf(PartyOrganization, PenaltyViolation{Article: BreachArt36, EndedOn: MustDate(tt.ended), Continuing: tt.continuing, LongLimitation: tt.long,
				Trades: []PenaltyTrade{penaltyTrade("t1", "900.00", "0", "0")}})
			c.DiscoveredOn = MustDate(tt.discovered)
			vp := mustPenalty(t, c).Violations[0]
			if got := vp.Decision == DecisionLimitationExpired; got != tt.expired {
				t.Errorf("limitation expired = %v, want %v (decision %s; steps %s)", got, tt.expired, vp.Decision, strings.Join(vp.Steps, " | "))
			}
			if tt.expired && !vp.Fine.IsZero() {
				t.Errorf("fine %s after the limitation expired", vp.Fine)
			}
		})
	}
}

func TestBuildPenaltyCase_OneViolationPerListingAndArticle(t *testing.T) {
	l1, l2 := uuid.New(), uuid.New()
	flag := func(listing uuid.UUID, evidence string) Flag {
		return Flag{ID: uuid.New(), Rule: "shaanxi-36", Article: "Shaanxi Art. 36(1)", Kind: "unauthorized_source", ListingID: &listing, Evidence: json.RawMessage(evidence)}
	}
	rec := CaseRecord{Party: PenaltyParty{ID: "P", Kind: PartyOrganization}, Flags: []Flag{
		flag(l1, `{"trades": [{"id": "o1", "amount": "6000.00"}]}`),
		flag(l1, `{"trades": [{"id": "o2", "amount": "7000.00"}]}`),
		flag(l2, `{"trades": [{"id": "o3", "amount": "900.00"}]}`),
	}}
	c, _, err := BuildPenaltyCase(rec, PenaltyRequest{})
	if err != nil {
		t.Fatal(err)
	}
	r := mustPenalty(t, c)
	if got, want := len(r.Violations), 2; got != want {
		t.Fatalf("%d violations, want %d (one per listing)", got, want)
	}
	got := map[string]string{}
	for _, v := range r.Violations {
		got[v.Product] = v.TransactionAmount.String() + " in " + v.FineMin.String() + "–" + v.FineMax.String()
	}
	if want := "13000.00 in 200000.00–1000000.00"; got[l1.String()] != want {
		t.Errorf("listing 1 (two flags, 6,000 + 7,000) = %s, want %s", got[l1.String()], want)
	}
	if want := "900.00 in 50000.00–200000.00"; got[l2.String()] != want {
		t.Errorf("listing 2 = %s, want %s", got[l2.String()], want)
	}
}
