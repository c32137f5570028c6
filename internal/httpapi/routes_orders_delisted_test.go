package httpapi

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"github.com/shujiao/shujiao/market"
)

// TestOrders_AQuoteOnADelistedListingIsNotFoundForAnotherParty: the quote
// was valid, but the seller delisted the product since; market.Orders
// checks who may see the listing the order transaction locked (a
// delisted listing is its own party's and the regulators'), so the buyer
// is answered 404 listing_not_found, charged nothing, and the Shaanxi
// Art. 36 gate is not run for it.
func TestOrders_AQuoteOnADelistedListingIsNotFoundForAnotherParty(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyer.mustDeposit("1000.00")
	q := buyer.mustQuote(listing, "1")
	w.seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+listing+"/transitions",
		map[string]any{"action": "delist", "reason": "停止供应"}, nil)
	st, b := buyer.order("delisted-1", orderRequest(q.ID))
	if p := mustAPIProblem(t, b); st != http.StatusNotFound || p.Code != "listing_not_found" {
		t.Fatalf("ordering from a delisted listing: %d %s, want 404 listing_not_found", st, b)
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "1000.00" {
		t.Errorf("buyer's funds after the refused order: %s, want 1000.00", got)
	}
}
