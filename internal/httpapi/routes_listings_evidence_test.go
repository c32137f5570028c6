package httpapi

import (
	"net/http"
	"slices"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// submitted creates and submits decl as c and returns the listing.
func (c *client) submitted(decl map[string]any) listingBody {
	c.w.t.Helper()
	var l listingBody
	c.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", decl, &l)
	c.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
	return l
}

func violation(l listingBody, rule string) *market.Violation {
	if l.Decision == nil {
		return nil
	}
	for i := range l.Decision.Violations {
		if l.Decision.Violations[i].Rule == rule {
			return &l.Decision.Violations[i]
		}
	}
	return nil
}

// Shaanxi Art. 36(1): data bought on this exchange may be resold only as
// the licence of the order it names allows; the platform reads the order.
func TestSubmit_ShaanxiArt36_1_BoughtHereIsJudgedByTheOrdersLicence(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	reseller := w.mustParty("咸阳数据再加工有限公司", market.PartyParticipant, market.RoleSeller, market.RoleBuyer)
	source := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(source, simplePlan("100.00"))
	reseller.mustDeposit("1000.00")
	buy := func(key string, scope ...string) string {
		body := orderRequest(reseller.mustQuote(source, "1").ID)
		body["licence"] = map[string]any{"accepted": true, "terms": "Shujiao data licence v1", "scope": scope}
		return reseller.mustOrder(key, body).ID.String()
	}
	resale, internal := buy("resale-licence", "转售"), buy("internal-licence", "internal analysis")
	bought := func(order string) map[string]any {
		d := ownDataDeclaration("再加工出行统计 " + order[:8])
		d["sources"] = []any{map[string]any{"origin": "exchange_purchase", "disclosure": "non_public", "order_id": order}}
		return d
	}
	if l := reseller.submitted(bought(resale)); l.State != "listed" {
		t.Fatalf("bought under a resale licence: %s %+v, want listed", l.State, l.Decision)
	}
	l := reseller.submitted(bought(internal))
	if v := violation(l, market.RulePurchaseLicenceNoResale); l.State != "blocked" || v == nil || v.Article != market.ArticleShaanxi36_1 {
		t.Fatalf("bought under an internal-use licence: %s %+v, want blocked by %s", l.State, l.Decision, market.RulePurchaseLicenceNoResale)
	}
	// The seller of the source cannot cite the reseller's order as its own purchase.
	l = w.seller.submitted(bought(resale))
	if v := violation(l, market.RulePurchaseOrderUnknown); l.State != "blocked" || v == nil {
		t.Fatalf("another party's order: %s %+v, want blocked by %s", l.State, l.Decision, market.RulePurchaseOrderUnknown)
	}
}

// Shaanxi Art. 36(3): banned content is found in the uploaded data,
// whatever category the listing declares, and the decision names the columns.
func TestSubmit_ShaanxiArt36_3_GenomeInTheDatasetIsBlockedWhateverTheCategory(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	st, b := w.seller.upload("samples.csv", []byte("样本编号,地区,基因型\nS1,610100,AG\nS2,610200,GG\nS3,610300,AT\n"))
	var ds datasetBody
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	mustJSONBody(t, b, &ds)
	d := ownDataDeclaration("区域样本统计")
	d["dataset_id"] = ds.ID
	l := w.seller.submitted(d)
	v := violation(l, "content-human-genetic-resources")
	if l.State != "blocked" || v == nil || v.Article != market.ArticleShaanxi36_3 || !slices.Equal(v.Columns, []string{"基因型"}) {
		t.Fatalf("listing %s %+v, want blocked by content-human-genetic-resources naming 基因型", l.State, l.Decision)
	}
}
