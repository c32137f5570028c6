package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// unitsDelivery is what a buyer received for one order: the link, the
// files of the decrypted archive and the delivered data file's table.
type unitsDelivery struct {
	link  delivery.Link
	files map[string][]byte
	table *anonymizer.Table
}

// mustReceive asks for order id's delivery, downloads it, decrypts and
// verifies it with buyerKey and reads the delivered data file.
func (w *orderWorld) mustReceive(buyer *client, buyerKey *pgp.Key, id string) unitsDelivery {
	w.t.Helper()
	var d unitsDelivery
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+id+"/delivery", nil, &d.link)
	st, message := buyer.do(http.MethodGet, d.link.DownloadURL, nil)
	if st != http.StatusOK {
		w.t.Fatalf("download of order %s: %d %s", id, st, message)
	}
	plain, err := pgp.Decrypt(bytes.NewReader(message), buyerKey, w.key.Public())
	if err != nil {
		w.t.Fatalf("decrypt the delivery of order %s: %v", id, err)
	}
	d.files = untar(w.t, plain)
	data, ok := d.files[d.link.Release]
	if !ok {
		w.t.Fatalf("the archive of order %s holds no %s (files: %d)", id, d.link.Release, len(d.files))
	}
	if d.table, _, err = anonymizer.ReadTable(bytes.NewReader(data), d.link.Release, anonymizer.ReadOptions{}); err != nil {
		w.t.Fatalf("read the delivered %s: %v", d.link.Release, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.link.Content.SHA256 {
		w.t.Errorf("order %s: content_sha256 %s is not the SHA-256 of the delivered file (%x)", id, d.link.Content.SHA256, sum)
	}
	return d
}

// preparedEvent is the "delivery.prepared" ledger payload of an order.
type preparedEvent struct {
	Quantity      string `json:"quantity"`
	Unit          string `json:"unit"`
	Selection     string `json:"selection"`
	RowsDelivered *int64 `json:"rows_delivered"`
	ContentSHA256 string `json:"content_sha256"`
	ReleaseSHA256 string `json:"release_sha256"`
}

func (w *orderWorld) mustPrepared(id string) (ev preparedEvent, record market.DeliveredContent) {
	w.t.Helper()
	var payload, content []byte
	err := w.pool.QueryRow(context.Background(), `SELECT e.payload, d.content FROM deliveries d
JOIN ledger_entries e ON e.id = d.ledger_entry_id AND e.kind = 'delivery.prepared' WHERE d.order_id = $1`, id).Scan(&payload, &content)
	if err != nil {
		w.t.Fatalf("the delivery record and its ledger event of order %s: %v", id, err)
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		w.t.Fatal(err)
	}
	if err := json.Unmarshal(content, &record); err != nil {
		w.t.Fatal(err)
	}
	return ev, record
}

// Issue 16: what is paid is what is delivered. A licence delivers the
// whole certified release; an order for N rows (per_1000_records,
// quantity N/1000) delivers exactly the first N rows of it; the order,
// the "delivery.prepared" ledger event and the delivery record agree on
// the quantity, the rows and the content's hash.
func TestDelivery_RowsOrderDeliversExactlyTheRowsPaidForAndALicenceTheWholeRelease(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	ds, job := w.seller.mustCertifiedDataset(1000)
	if job.Result == nil {
		t.Fatalf("de-identification job %+v produced no certificate", job)
	}
	decl := ownDataDeclaration("西安市民出行健康数据集 2026")
	decl["contains_personal_info"], decl["dataset_id"], decl["certificate_id"] = true, ds.ID, job.Result.CertificateID
	listing := w.mustListed(decl)
	buyerKey, err := pgp.Generate("北京买方科技", "data@buyer.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := buyerKey.ArmoredPublic()
	buyer.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+buyer.partyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil)
	buyer.mustDeposit("2000.00")

	// plan version 1: a licence
	w.mustPlan(listing, simplePlan("500.00"))
	lic := buyer.mustOrder("licence", orderRequest(buyer.mustQuote(listing, "1").ID))
	// plan version 2: rows, 100.00 per 1,000 rows; 250 rows cost 25.00
	w.mustPlan(listing, map[string]any{"unit": "per_1000_records", "base_price": "100.00"})
	rows := buyer.mustOrder("rows", orderRequest(buyer.mustQuote(listing, "0.25").ID))
	if rows.Amount.String() != "25.00" || rows.Quantity.String() != "0.25" {
		t.Fatalf("the rows order: amount %s for quantity %s, want 25.00 for 0.25 (250 rows)", rows.Amount, rows.Quantity)
	}

	whole := w.mustReceive(buyer, buyerKey, lic.ID.String())
	release := whole.table
	cert, err := anonymizer.ParseCertificate(whole.files["certificate.json"])
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckRelease(bytes.NewReader(whole.files[whole.link.Release])); err != nil {
		t.Fatalf("the licence did not deliver the certified release: %v", err)
	}
	if c := whole.link.Content; c.Selection != market.SelectWholeRelease || c.RowsDelivered != nil || c.SHA256 != c.ReleaseSHA256 || len(whole.files) != 4 {
		t.Errorf("licence delivery content %+v with %d files, want the whole release (no row count, its own hash) and no content.json", c, len(whole.files))
	}
	if release.Rows() <= 250 {
		t.Fatalf("the certified release holds %d rows, the test needs more than 250", release.Rows())
	}

	part := w.mustReceive(buyer, buyerKey, rows.ID.String())
	if part.table.Rows() != 250 {
		t.Fatalf("the order for 250 rows delivered %d rows (the release holds %d)", part.table.Rows(), release.Rows())
	}
	for r := 0; r < 250; r++ {
		if got, want := part.table.Row(r), release.Row(r); !equalRow(got, want) {
			t.Fatalf("delivered row %d is %v, want the release's row %d %v (the first rows in release order)", r, got, r, want)
		}
	}
	c := part.link.Content
	if c.Selection != market.SelectFirstRows || c.RowsDelivered == nil || *c.RowsDelivered != 250 || c.Unit != market.UnitPer1000Records ||
		!c.Quantity.Equal(rows.Quantity) || c.ReleaseSHA256 != whole.link.Content.SHA256 || c.SHA256 == c.ReleaseSHA256 {
		t.Errorf("rows delivery content %+v: want first_rows, 250 rows, quantity 0.25, chosen from the release %s", c, whole.link.Content.SHA256)
	}
	var inArchive market.DeliveredContent
	if err := json.Unmarshal(part.files[delivery.ContentFile], &inArchive); err != nil || inArchive.SHA256 != c.SHA256 || *inArchive.RowsDelivered != 250 {
		t.Errorf("the archive's %s %s does not record the delivered rows and hash (%v)", delivery.ContentFile, part.files[delivery.ContentFile], err)
	}

	for _, tt := range []struct {
		name  string
		order market.Order
		got   unitsDelivery
		rows  *int64
	}{
		{"licence", lic, whole, nil},
		{"rows", rows, part, c.RowsDelivered},
	} {
		ev, record := w.mustPrepared(tt.order.ID.String())
		if ev.Quantity != tt.order.Quantity.String() || !record.Quantity.Equal(tt.order.Quantity) {
			t.Errorf("%s: ledger quantity %s, record %s, want the order's %s", tt.name, ev.Quantity, record.Quantity, tt.order.Quantity)
		}
		if ev.ContentSHA256 != tt.got.link.Content.SHA256 || record.SHA256 != ev.ContentSHA256 {
			t.Errorf("%s: ledger content hash %s, record %s, want the delivered file's %s", tt.name, ev.ContentSHA256, record.SHA256, tt.got.link.Content.SHA256)
		}
		if (ev.RowsDelivered == nil) != (tt.rows == nil) || (tt.rows != nil && (*ev.RowsDelivered != *tt.rows || *record.RowsDelivered != *tt.rows)) {
			t.Errorf("%s: ledger rows %v, record rows %v, want %v", tt.name, ev.RowsDelivered, record.RowsDelivered, tt.rows)
		}
	}
	w.mustBooksAgree()
}

func equalRow(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// An order for more rows than the certified release holds cannot be
// delivered as paid: 409 rows_exceed_release, never a short delivery. A
// per_call plan (metered API calls) has no delivery for a dataset: its
// publication is refused (422 unit_not_deliverable, field unit).
func TestDelivery_UnitsThatCannotBeDeliveredAsPaidAreRefused(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	ds, job := w.seller.mustCertifiedDataset(200)
	if job.Result == nil {
		t.Fatalf("de-identification job %+v produced no certificate", job)
	}
	decl := ownDataDeclaration("西安市民出行健康数据集 2026")
	decl["contains_personal_info"], decl["dataset_id"], decl["certificate_id"] = true, ds.ID, job.Result.CertificateID
	listing := w.mustListed(decl)

	st, b := w.seller.do(http.MethodPut, "/v1/listings/"+listing+"/price-plan", map[string]any{"unit": "per_call", "base_price": "0.10"})
	if p := mustAPIProblem(t, b); st != http.StatusUnprocessableEntity || p.Code != "unit_not_deliverable" || p.Field != "unit" {
		t.Errorf("a per_call plan for a dataset: %d %s, want 422 unit_not_deliverable on unit", st, b)
	}

	w.mustPlan(listing, map[string]any{"unit": "per_1000_records", "base_price": "100.00"})
	buyerKey, _ := pgp.Generate("北京买方科技", "data@buyer.example.cn")
	pub, _ := buyerKey.ArmoredPublic()
	buyer.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+buyer.partyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil)
	buyer.mustDeposit("1000.00")
	o := buyer.mustOrder("too-many-rows", orderRequest(buyer.mustQuote(listing, "5").ID))
	st, b = buyer.do(http.MethodGet, "/v1/orders/"+o.ID.String()+"/delivery", nil)
	if p := mustAPIProblem(t, b); st != http.StatusConflict || p.Code != "rows_exceed_release" {
		t.Errorf("an order for 5,000 rows of a 200-row release: %d %s, want 409 rows_exceed_release", st, b)
	}
	if n := w.count(`SELECT 1 FROM deliveries WHERE order_id = $1`, o.ID); n != 0 {
		t.Errorf("a delivery was recorded for an order that cannot be delivered as paid")
	}
}
