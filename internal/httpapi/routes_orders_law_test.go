package httpapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

func TestOrders_ShaanxiArt72_ExportNeedsASecurityAssessment(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	overseas := w.mustPartyIn("Pacific Analytics Ltd.", market.JurisdictionOverseas, market.RoleBuyer)
	domestic := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	plain := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	exportDecl := ownDataDeclaration("跨境物流指数")
	exportDecl["export_intended"] = true
	export := w.mustListed(exportDecl)
	for _, l := range []string{plain, export} {
		w.mustPlan(l, simplePlan("100.00"))
	}
	overseas.mustDeposit("1000.00")
	domestic.mustDeposit("1000.00")

	tests := []struct {
		name    string
		buyer   *client
		listing string
		ref     any
		refused bool
	}{
		{"an overseas buyer without an assessment is refused", overseas, plain, nil, true},
		{"a listing marked for export without an assessment is refused", domestic, export, nil, true},
		{"a blank assessment reference does not count", domestic, export, "  ", true},
		{"an overseas buyer with an assessment may order", overseas, plain, "CAC-SJ-2026-0042", false},
		{"a domestic buyer of a domestic listing needs none", domestic, plain, nil, false},
	}
	flags := 0
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := orderRequest(tt.buyer.mustQuote(tt.listing, "1").ID)
			body["export_assessment_ref"] = tt.ref
			st, b := tt.buyer.order(uuid.NewString(), body)
			if tt.refused {
				flags++
				p := mustAPIProblem(t, b)
				if st != http.StatusUnprocessableEntity || p.Code != "export_assessment_required" || p.Article != "Shaanxi Art. 72" || p.Field != "export_assessment_ref" {
					t.Fatalf("case %d: %d %s, want 422 export_assessment_required citing Shaanxi Art. 72", i, st, b)
				}
				if n := w.count(`SELECT 1 FROM flags WHERE rule = 'shaanxi-72' AND article = 'Shaanxi Art. 72'`); n != flags {
					t.Errorf("flags of refused exports = %d, want %d: every refusal goes to the regulators", n, flags)
				}
				return
			}
			var o market.Order
			if st != http.StatusCreated {
				t.Fatalf("%d %s, want 201", st, b)
			}
			mustJSONBody(t, b, &o)
			if o.Export != (tt.ref != nil) {
				t.Errorf("order export = %v, want %v", o.Export, tt.ref != nil)
			}
		})
	}
	if got := w.balance(market.BuyerFunds(uuid.UUID(overseas.partyID))); got != "900.00" {
		t.Errorf("overseas buyer funds = %s, want 900.00: a refused export charges nothing", got)
	}
}

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
