package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// Issues 16 and 20 together: an order for 300 rows of a fingerprinted
// listing receives exactly 300 rows, marked with its own fingerprint (the
// chosen rows are what is marked, not the whole release); the delivery
// records the hash of the file delivered, the copy is in the ledger, and the
// delivered rows, leaked, trace to that order.
func TestTrace_ARowsOrderReceivesItsRowsMarkedAndTheyTraceToIt(t *testing.T) {
	t.Parallel()
	w := mustTraceWorld(t)
	raw := mustSynthCSV(t, 1500, 11)
	st, b := w.seller.upload("people.csv", raw)
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	json.Unmarshal(b, &ds)
	var job jobBody
	w.seller.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", map[string]any{"policy": fingerprintPolicy, "mode": "public"}, &job)
	job = w.seller.mustJobDone(job.ID)
	if job.Result == nil {
		t.Fatalf("de-identification job %+v produced no certificate", job)
	}
	decl := ownDataDeclaration("西安市民收入与就诊数据集 2026")
	decl["contains_personal_info"], decl["dataset_id"], decl["certificate_id"] = true, ds.ID, job.Result.CertificateID
	listing := w.mustListed(decl)
	w.mustPlan(listing, map[string]any{"unit": "per_1000_records", "base_price": "100.00"})

	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	key, err := pgp.Generate("北京买方科技", "rows@buyer.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := key.ArmoredPublic()
	buyer.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+buyer.partyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil)
	buyer.mustDeposit("1000.00")
	o := buyer.mustOrder("rows-marked", orderRequest(buyer.mustQuote(listing, "0.3").ID))
	got := w.mustReceive(buyer, key, o.ID.String()) // checks content_sha256 against the delivered file
	if got.table.Rows() != 300 {
		t.Fatalf("the order for 300 rows delivered %d rows", got.table.Rows())
	}
	c := got.link.Content
	if c.Selection != market.SelectFirstRows || c.RowsDelivered == nil || *c.RowsDelivered != 300 {
		t.Fatalf("delivery content %+v: want the first 300 rows", c)
	}
	if _, ok := got.files[delivery.ContentFile]; !ok {
		t.Errorf("the archive has no %s", delivery.ContentFile)
	}
	cert, err := anonymizer.ParseCertificate(got.files["certificate.json"])
	if err != nil {
		t.Fatal(err)
	}
	if c.ReleaseSHA256 != cert.Release.SHA256 || c.SHA256 == c.ReleaseSHA256 {
		t.Errorf("content %+v: want rows chosen from the certified release %s, with a hash of their own", c, cert.Release.SHA256)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'delivery.fingerprinted' AND subject_id = $1`, o.ID); n != 1 {
		t.Errorf("%d ledger events delivery.fingerprinted for the rows order, want 1", n)
	}

	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)
	var leak bytes.Buffer
	if err := anonymizer.WriteTable(&leak, got.table, anonymizer.FormatCSV, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	st, b = regulator.uploadTo("/v1/regulator/trace?listing="+listing, "leak.csv", leak.Bytes())
	if st != http.StatusOK {
		t.Fatalf("trace: %d %s", st, b)
	}
	var rep trace.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != "traced" || len(rep.Candidates) == 0 || !rep.Candidates[0].Named || rep.Candidates[0].OrderID != o.ID {
		t.Fatalf("trace report %s: want traced to the rows order %s", b, o.ID)
	}
}
