package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// TestCases_ShaanxiArt74_DelistingInTimeIsACorrection: a seller answers a
// correction order by delisting; the flagged listing leaves the market in
// the same transaction and the order counts as corrected by the deadline.
func TestCases_ShaanxiArt74_DelistingInTimeIsACorrection(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	ctx := context.Background()
	_, a, err := cw.acc.Login(ctx, "a@example.cn", testPassword, market.PartyID{})
	if err != nil {
		t.Fatal(err)
	}
	decl, err := market.ParseListing([]byte(`{"title": "陕西省逐日气象观测数据", "description": "逐日观测", "category": "weather",
	  "product_type": "dataset", "contains_personal_info": false, "contains_sensitive_personal_info": false,
	  "contains_minors_data": false, "classification": "general", "security_assessment_ref": null, "export_intended": false,
	  "state_secret": false, "sources": [{"origin": "government_open", "own_data": false, "disclosure": "public", "authorization": null,
	  "government": {"catalog_id": "SN-QX-2026-001", "open_class": "unconditional", "shared_for_duty": false, "approval_ref": null}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	store := market.NewListings(postgres.NewListingStore(cw.pool, nil))
	price := market.MustMoney("800.00")
	l, err := store.Create(ctx, a, market.ListingInput{Declaration: decl, Price: &price}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if l, err = store.Submit(ctx, a, l.ID, "test", time.Now()); err != nil || l.State != market.StateListed {
		t.Fatalf("listing = %v, %v; want listed", l, err)
	}
	f := cw.raise(t, cw.sellerA, "shaanxi-36", "Shaanxi Art. 36(2)", "not_lawfully_public",
		map[string]any{"trades": []map[string]string{{"id": "o-1", "amount": "800.00"}}})
	if _, err := cw.pool.Exec(ctx, `UPDATE flags SET listing_id = $2 WHERE id = $1`, f.ID, l.ID); err != nil {
		t.Fatal(err)
	}
	c := cw.openCase(t, f)
	c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 3, "requirement": "下架该数据产品"}`)
	cw.cases.now = time.Date(2026, 10, 9, 15, 0, 0, 0, chinaCST)
	var o market.CorrectionOrder
	mustJSON(t, cw.do(t, req{method: "POST", path: "/v1/correction-orders/" + c.Correction.ID + "/response", token: cw.tokSellerA,
		body: `{"action": "delist", "statement": "已下架"}`}), http.StatusCreated, &o)
	if o.Status != market.CorrectionCorrected || o.Corrected == nil || !*o.Corrected {
		t.Errorf("order after delisting = %s corrected %v, want corrected true", o.Status, o.Corrected)
	}
	got, err := store.Get(ctx, a, uuid.UUID(l.ID))
	if err != nil || got.State != market.StateDelisted {
		t.Fatalf("listing after the delist response = %v, %v; want delisted", got, err)
	}
}
