package httpapi

import (
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// Shaanxi Art. 36: a product the gate referred for review and an operator
// then approved can be ordered; the gate's re-run at the order stops only
// on what the operator did not decide (market/art36_approved.go).
func TestOrder_Art36_ListingApprovedAfterReviewCanBeOrdered(t *testing.T) {
	w := mustOrderWorld(t, false)
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	buyer.mustDeposit("1000.00")

	d := ownDataDeclaration("公交客流 review")
	d["sources"] = []any{licensedSource("2026-01-01", "2027-12-31", "trading", "telepathy")}
	var l listingBody
	w.seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
	w.seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
	if l.State != "under_review" {
		t.Fatalf("state %s, want under_review", l.State)
	}
	w.mustPlan(l.ID, simplePlan("100.00"))
	operator.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/transitions",
		map[string]any{"action": "approve", "reason": "telepathy 即 远程感知授权, 属交易范围"}, &l)
	if l.State != "listed" {
		t.Fatalf("approved: state %s, want listed", l.State)
	}
	o := buyer.mustOrder("approved-1", orderRequest(buyer.mustQuote(l.ID, "1").ID))
	if o.State != market.OrderPaid || o.Gate.Decision != market.DecisionReview {
		t.Fatalf("order %s with gate %s, want paid with the approved review decision recorded", o.State, o.Gate.Decision)
	}

	// The same listing, its approval forgotten (as if it had been listed
	// by the gate alone): the review item is one no operator decided.
	if _, err := w.pool.Exec(t.Context(), `UPDATE listings SET decision = jsonb_set(decision, '{decision}', '"listable"') WHERE id = $1`, l.ID); err != nil {
		t.Fatal(err)
	}
	st, b := buyer.order("approved-2", orderRequest(buyer.mustQuote(l.ID, "1").ID))
	if p := mustAPIProblem(t, b); st != http.StatusUnprocessableEntity && st != http.StatusConflict || p.Code != "listing_in_review" || p.Article == "" {
		t.Fatalf("order of a listing whose review no operator decided: %d %+v, want listing_in_review citing the article", st, p)
	}
}
