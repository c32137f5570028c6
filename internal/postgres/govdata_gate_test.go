package postgres_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// TestGovData_Art36GateReadsTheApprovalInTheCatalog: a listing built on
// conditionally opened data is judged by the approval this catalog holds,
// not by the seller's word (Shaanxi Art. 36(2), Tianjin Art. 18).
func TestGovData_Art36GateReadsTheApprovalInTheCatalog(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-03-02 09:00")
	r := w.resource("TJ-COND-1", govdata.ShareConditional, market.OpenConditional)
	w.resource("TJ-NONE-1", govdata.ShareConditional, market.OpenNone)
	grant := func(resale bool) string {
		app := w.apply(w.biz, govdata.KindOpening, r, resale)
		app, err := w.svc.Provide(w.ctx, w.market, app.ID, govdata.Answer{Resale: resale})
		if err != nil {
			t.Fatal(err)
		}
		return app.ApprovalID.String()
	}
	noResale, resale := grant(false), grant(true)
	shareApp := w.apply(w.tax, govdata.KindSharing, r, false)
	shareApp, err := w.svc.Provide(w.ctx, w.market, shareApp.ID, govdata.Answer{})
	if err != nil {
		t.Fatal(err)
	}
	ls := postgres.NewListingStore(w.pool, nil)
	gate := func(t *testing.T, seller market.Actor, code, declared string, ref *string) market.GateResult {
		t.Helper()
		decl := market.Listing{Title: "企业信用画像", Description: "基于依申请开放的市场主体数据", Category: "credit", ProductType: market.ProductDataset,
			Classification: market.ClassGeneral, Sources: []market.Source{{Origin: market.OriginGovernmentOpen, Disclosure: market.DisclosurePublic,
				Government: &market.Government{CatalogID: code, OpenClass: market.OpenClass(declared), ApprovalRef: ref}}}}
		l, err := market.NewListings(ls).Create(w.ctx, seller, market.ListingInput{Declaration: decl}, w.now)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := ls.LockListing(w.ctx, uuid.UUID(l.ID))
		if err != nil {
			t.Fatal(err)
		}
		res, err := ls.RegateListing(w.ctx, rec, w.now)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	ref := func(s string) *string { return &s }
	cases := []struct {
		name     string
		code     string
		declared string
		ref      *string
		rule     string
		article  string
	}{
		{"Shaanxi Art. 36(2): an approval that does not permit resale blocks the listing", "TJ-COND-1", "conditional", ref(noResale), market.RuleGovernmentApprovalNoResale, market.ArticleShaanxi36_2},
		{"Shaanxi Art. 36(2): an approval this catalog does not hold blocks the listing", "TJ-COND-1", "conditional", ref(uuid.NewString()), market.RuleGovernmentApprovalUnknown, market.ArticleShaanxi36_2},
		{"Tianjin Art. 18: data obtained by sharing is never listed", "TJ-COND-1", "conditional", ref(shareApp.ApprovalID.String()), market.RuleGovernmentSharedForDuty, market.ArticleTianjin18},
		{"Shaanxi Art. 36(2): the catalog's class none outweighs a declared unconditional class", "TJ-NONE-1", "unconditional", nil, market.RuleGovernmentNotOpen, market.ArticleShaanxi36_2},
		{"Shaanxi Art. 36(2): an approval that permits resale lets the listing through", "TJ-COND-1", "conditional", ref(resale), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := gate(t, w.biz, c.code, c.declared, c.ref)
			if c.rule == "" {
				if res.Decision != market.DecisionListable {
					t.Fatalf("decision %s: %+v", res.Decision, res.Violations)
				}
				return
			}
			if res.Decision != market.DecisionBlocked || len(res.Violations) != 1 || res.Violations[0].Rule != c.rule || res.Violations[0].Article != c.article {
				t.Fatalf("decision %s %+v, want blocked by %s (%s)", res.Decision, res.Violations, c.rule, c.article)
			}
		})
	}
	t.Run("Shaanxi Art. 36(2): another party's approval does not serve the seller", func(t *testing.T) {
		other := w.actor("天津另一数据公司", market.PartyParticipant, market.RoleSeller, "91120116MA05K7HW5")
		res := gate(t, other, "TJ-COND-1", "conditional", ref(resale))
		if res.Decision != market.DecisionBlocked || res.Violations[0].Rule != market.RuleGovernmentApprovalHolder {
			t.Fatalf("decision %s %+v", res.Decision, res.Violations)
		}
	})
}
