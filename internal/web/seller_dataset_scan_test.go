package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// oneDataset is a dataset store holding one dataset; the methods the scan
// pages do not reach are left to the embedded nil interface.
type oneDataset struct {
	market.DatasetStore
	d       *market.Dataset
	scanned int
}

func (o *oneDataset) Dataset(_ context.Context, id uuid.UUID) (*market.Dataset, error) {
	if id != o.d.ID {
		return nil, market.Errorf(market.ErrNotFound, "dataset_not_found", "no dataset %s", id)
	}
	d := *o.d
	return &d, nil
}

func (o *oneDataset) SetContentScan(context.Context, uuid.UUID, *market.ContentScan) error {
	o.scanned++
	return nil
}

// Shaanxi Art. 36(3): the seller's dataset page says whether the values
// were scanned for banned content and what matched, and offers the scan
// again; another party's seller finds no such dataset.
func TestDatasetPage_Art36ContentScanShownAndRescanOnlyByItsSeller(t *testing.T) {
	seller := market.Actor{PartyID: market.PartyID(market.NewID()), Roles: []market.Role{market.RoleSeller}, CSRFToken: "tok"}
	d := &market.Dataset{ID: market.NewID(), PartyID: seller.PartyID, Name: "traces.csv", Format: "csv", Columns: []string{"col7"}}
	store := &oneDataset{d: d}
	h, err := New(Deps{Stores: market.Stores{Datasets: store}})
	if err != nil {
		t.Fatal(err)
	}
	page := func() string {
		t.Helper()
		r := httptest.NewRequest("GET", "/ui/seller/datasets/"+d.ID.String()+"?lang=en", nil)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r.WithContext(market.ContextWithActor(r.Context(), seller)))
		if w.Code != http.StatusOK {
			t.Fatalf("dataset page: %d\n%s", w.Code, clipBody(w.Body.String()))
		}
		return w.Body.String()
	}
	if body := page(); !strings.Contains(body, `id="scan-missing"`) || !strings.Contains(body, "/scan\"") {
		t.Errorf("an unscanned dataset's page does not say so or offers no scan:\n%s", clipBody(body))
	}
	d.ContentScan = &market.ContentScan{RuleSetVersion: 2, SampleRows: 400, Signatures: []market.ScannedSignature{
		{Rule: "content-human-genetic-resources", Columns: []market.ValueCount{{Column: "col7", Matched: 180, Values: 200}}}}}
	body := page()
	if strings.Contains(body, `id="scan-missing"`) || !strings.Contains(body, "col7") || !strings.Contains(body, "human genetic resources") ||
		!strings.Contains(body, "180 of 200") {
		t.Errorf("a scanned dataset's page does not show the finding:\n%s", clipBody(body))
	}

	r := httptest.NewRequest("POST", "/ui/seller/datasets/"+d.ID.String()+"/scan?lang=en", strings.NewReader("csrf_token=tok"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, b := serve(h, r, market.RoleSeller) // a seller of another party
	if res.StatusCode != http.StatusNotFound || store.scanned != 0 {
		t.Errorf("another party's seller scanning: %d, %d scans stored; want 404 and none\n%s", res.StatusCode, store.scanned, clipBody(b))
	}
}
