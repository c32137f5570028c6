package main

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// tracePath: after the buyer's download (buyerPath), the regulator uploads
// a 10 % sample of that buyer's copy — shuffled, a column dropped, as XLSX
// — on the trace page and sees the verdict with the buyer's order named
// and the evidence.
func tracePath(t *testing.T, w *webWorld) {
	ctx := context.Background()
	var rec market.DeliveryCopy
	var body []byte
	err := w.pool.QueryRow(ctx, `SELECT d.order_id, d.listing_id, d.buyer_id, d.certificate_id, d.release_name, d.release_sha256, c.body
FROM delivery_copies d JOIN certificates c ON c.id = d.certificate_id ORDER BY d.created_at DESC LIMIT 1`).
		Scan(&rec.OrderID, &rec.ListingID, &rec.BuyerID, &rec.CertificateID, &rec.ReleaseName, &rec.ReleaseSHA256, &body)
	if err != nil {
		t.Fatalf("no fingerprinted copy was delivered: %v", err)
	}
	blobs, err := blob.Open(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	// The platform makes the same copy again from the order's secret.
	data, _, err := newTraceService(w.pool, blobs).Mark(ctx, trace.CopySource{OrderID: rec.OrderID, ListingID: rec.ListingID, BuyerID: rec.BuyerID,
		CertificateID: rec.CertificateID, Certificate: body, ReleaseName: rec.ReleaseName, ReleaseSHA256: rec.ReleaseSHA256})
	if err != nil {
		t.Fatal(err)
	}
	cp, _, err := anonymizer.ReadTable(strings.NewReader(string(data)), rec.ReleaseName, anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	keep := []string{}
	for _, h := range cp.Header() {
		if h != "学历" {
			keep = append(keep, h)
		}
	}
	leak, _ := anonymizer.NewTable("leak", keep)
	for _, r := range rand.New(rand.NewPCG(9, 9)).Perm(cp.Rows())[:cp.Rows()/10] {
		row := make([]string, len(keep))
		for i, h := range keep {
			row[i] = cp.Value(r, cp.ColumnIndex(h))
		}
		leak.AppendRow(row, 0)
	}
	leakPath := filepath.Join(t.TempDir(), "泄露样本.xlsx")
	if err := anonymizer.WriteFileAtomic(leakPath, leak, anonymizer.FormatXLSX, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}

	b := w.newTab(t)
	b.login("regulator", "zh")
	b.open("/ui/regulator/trace")
	b.do(chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{leakPath}),
		chromedp.Click(chromedp.CSS(`form[action="/ui/regulator/trace"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#verdict")))
	if got := b.text("#verdict"); got != "已追溯" {
		t.Fatalf("verdict %q, want 已追溯 (traced)", got)
	}
	named := b.text("#candidates tbody tr.named")
	if !strings.Contains(named, rec.OrderID.String()) || !strings.Contains(named, uuid.UUID(rec.BuyerID).String()) {
		t.Fatalf("the named candidate %q is not order %s of party %s", named, rec.OrderID, uuid.UUID(rec.BuyerID))
	}
	b.shot("regulator-trace", "")
}
