package httpapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// licensedDeclaration is a listing of contract-licensed data whose
// authorization is valid through validTo (China time).
func licensedDeclaration(validTo string) map[string]any {
	d := ownDataDeclaration("天津地铁客流 OD 数据")
	d["sources"] = []any{map[string]any{"origin": "contract_licensed", "own_data": false, "disclosure": "non_public",
		"authorization": map[string]any{"grantor": "天津轨道交通集团", "document_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			"scope": []string{"trading", "commercial_use"}, "valid_from": "2025-01-01", "valid_to": validTo}, "government": nil}}
	return d
}

func TestOrders_ShaanxiArt36_1_GateRunsAgainAtOrderTime_ExpiredAuthorization(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	// The authorization runs through 2026-11-30 China time, that is until
	// 2026-11-30T16:00:00Z; the product is listed and quoted ten minutes
	// before, and ordered one minute after.
	w.setClock(time.Date(2026, 11, 30, 15, 50, 0, 0, time.UTC))
	listing := w.mustListed(licensedDeclaration("2026-11-30"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyer.mustDeposit("1000.00")
	early := buyer.mustQuote(listing, "1")
	late := buyer.mustQuote(listing, "1")
	buyer.mustOrder("before-expiry", orderRequest(early.ID))

	w.setClock(time.Date(2026, 11, 30, 16, 1, 0, 0, time.UTC))
	st, b := buyer.order("after-expiry", orderRequest(late.ID))
	p := mustAPIProblem(t, b)
	if st != http.StatusUnprocessableEntity || p.Code != "listing_blocked" || p.Article != "Shaanxi Art. 36(1)" {
		t.Fatalf("an order after the authorization expired: %d %s, want 422 listing_blocked citing Shaanxi Art. 36(1)", st, b)
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(buyer.partyID))); got != "900.00" {
		t.Errorf("buyer funds = %s, want 900.00: the refused order charged nothing", got)
	}
}
