package httpapi

import (
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// TestQuotes_AFractionOfAnIndivisibleLicenceIsRefused is issue 16's first
// defect: a quote for 0.00005 of a ¥12,000 dataset licence became a paid
// order of ¥0.60 that delivered the whole dataset. The quote is refused
// with 422 naming the field; whole licences are still quoted.
func TestQuotes_AFractionOfAnIndivisibleLicenceIsRefused(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("12000.00"))
	st, b := buyer.do(http.MethodPost, "/v1/listings/"+listing+"/quotes", standardConditions("0.00005"))
	if p := mustAPIProblem(t, b); st != http.StatusUnprocessableEntity || p.Code != "quantity_not_sellable" || p.Field != "cost.volume" {
		t.Fatalf("%d %s, want 422 quantity_not_sellable on cost.volume", st, b)
	}
	if q := buyer.mustQuote(listing, "1"); q.Amount != "12000.00" {
		t.Errorf("one licence is quoted %s, want 12000.00", q.Amount)
	}
}

// TestPricePlan_ANewVersionClosesTheOld: a price change is a new plan
// version effective from its publication; the old version's period ends
// there, and quotes record the version that priced them.
func TestPricePlan_ANewVersionClosesTheOld(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	type versioned struct {
		UnitPrice   string `json:"unit_price"`
		PlanVersion int    `json:"plan_version"`
	}
	var before, after versioned
	w.mustPlan(listing, simplePlan("100.00"))
	buyer.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings/"+listing+"/quotes", standardConditions("1"), &before)
	w.mustPlan(listing, simplePlan("110.00"))
	buyer.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings/"+listing+"/quotes", standardConditions("1"), &after)
	var v1, v2 struct {
		Plan market.PricePlan `json:"plan"`
	}
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/listings/"+listing+"/price-plan?version=1", nil, &v1)
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/listings/"+listing+"/price-plan", nil, &v2)
	switch {
	case v1.Plan.EffectiveFrom == nil || v1.Plan.EffectiveTo == nil || v2.Plan.EffectiveFrom == nil:
		t.Fatalf("periods: version 1 %v–%v, version 2 from %v", v1.Plan.EffectiveFrom, v1.Plan.EffectiveTo, v2.Plan.EffectiveFrom)
	case !v1.Plan.EffectiveTo.Equal(*v2.Plan.EffectiveFrom) || v2.Plan.EffectiveTo != nil:
		t.Errorf("version 1 ends %v, version 2 runs %v–%v", v1.Plan.EffectiveTo, v2.Plan.EffectiveFrom, v2.Plan.EffectiveTo)
	}
	if before.PlanVersion != 1 || after.PlanVersion != 2 || after.UnitPrice != "110.00" {
		t.Errorf("quotes: version %d then %d at %s", before.PlanVersion, after.PlanVersion, after.UnitPrice)
	}
}
