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
