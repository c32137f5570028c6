package httpapi

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// fingerprintPolicy pseudonymizes the phone numbers and declares income
// accurate to 1000, so that copies carry both kinds of mark.
var fingerprintPolicy = map[string]any{
	"columns": map[string]any{
		"身份证号": map[string]any{"role": "identifying", "action": "drop"},
		"姓名":   map[string]any{"role": "identifying", "action": "drop"},
		"手机号":  map[string]any{"role": "identifying", "action": "pseudonymize"},
		"出生日期": map[string]any{"role": "quasi", "hierarchy": "date"},
		"性别":   map[string]any{"role": "quasi"},
		"行政区划": map[string]any{"role": "quasi", "hierarchy": "division"},
		"职业":   map[string]any{"role": "insensitive"},
		"学历":   map[string]any{"role": "insensitive"},
		"收入":   map[string]any{"role": "insensitive", "precision": "1000"},
		"诊断":   map[string]any{"role": "sensitive"},
	},
	"k": 20, "l": "distinct:2", "suppression": 0.05,
}

// mustTraceWorld is an order world whose deliveries are fingerprinted and
// whose regulator traces leaks.
func mustTraceWorld(t *testing.T) *orderWorld {
	t.Helper()
	w := mustOrderWorld(t, true)
	tr := &trace.Service{Store: postgres.CopyStore{DB: w.pool}, Blobs: w.blobs, Key: w.blobs.DeriveKey(trace.KeyLabel), Now: w.clock}
	w.orders.Delivery.WithCopies(tr)
	srv := New(Config{}, Deps{DB: w.pool, Services: Services{Accounts: w.accounts, Stores: postgres.NewStores(w.pool, w.key.Public()), Listings: w.svc,
		Ledger: &LedgerServices{Log: postgres.NewLedgerLog(w.pool, nil)}, Orders: w.orders, Trace: tr}})
	w.srv.Close()
	w.srv = httptest.NewServer(srv.Handler())
	t.Cleanup(w.srv.Close)
	return w
}

// mustDeliveredCopy has buyer register a key, order one unit of listing,
// download the delivery and open it; it returns the order and the files.
func mustDeliveredCopy(t *testing.T, w *orderWorld, buyer *client, listing, key string) (market.Order, map[string][]byte) {
	t.Helper()
	k, err := pgp.Generate("buyer", key+"@buyer.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := k.ArmoredPublic()
	buyer.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+buyer.partyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil)
	buyer.mustDeposit("1000.00")
	o := buyer.mustOrder(key, orderRequest(buyer.mustQuote(listing, "1").ID))
	var link delivery.Link
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+o.ID.String()+"/delivery", nil, &link)
	st, msg := buyer.do(http.MethodGet, link.DownloadURL, nil)
	if st != http.StatusOK {
		t.Fatalf("download: %d", st)
	}
	plain, err := pgp.Decrypt(bytes.NewReader(msg), k, w.key.Public())
	if err != nil {
		t.Fatal(err)
	}
	return o, untar(t, plain)
}

// The path end to end: three buyers receive fingerprinted copies
// that pass the gate (Tianjin Art. 29) and are recorded in the ledger; a
// 10 % sample of one copy, shuffled, with a column dropped, as XLSX,
// uploaded by the regulator, traces to that buyer's order.
func TestTrace_TianjinArt29_EveryCopyPassesTheGateAndALeakedSampleTracesToItsBuyer(t *testing.T) {
	t.Parallel()
	w := mustTraceWorld(t)
	raw := mustSynthCSV(t, 1500, 7)
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
	w.mustPlan(listing, simplePlan("300.00"))

	names := []string{"北京买方科技", "上海数据分析", "深圳智能风控"}
	orders := make([]market.Order, len(names))
	buyers := make([]*client, len(names))
	copies := make([]*anonymizer.Table, len(names))
	rawTable, _, err := anonymizer.ReadTable(bytes.NewReader(raw), "people.csv", anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var release string
	for i, n := range names {
		buyers[i] = w.mustParty(n, market.PartyParticipant, market.RoleBuyer)
		var files map[string][]byte
		orders[i], files = mustDeliveredCopy(t, w, buyers[i], listing, "buyer-"+string(rune('a'+i)))
		cert, err := anonymizer.ParseCertificate(files["certificate.json"])
		if err != nil {
			t.Fatal(err)
		}
		release = cert.Release.Name
		var man trace.Manifest
		if err := json.Unmarshal(files[trace.ManifestName], &man); err != nil {
			t.Fatalf("copy %d: no manifest: %v", i, err)
		}
		if man.OrderID != orders[i].ID || man.ReleaseSHA256 != cert.Release.SHA256 || man.CopySHA256 == cert.Release.SHA256 {
			t.Fatalf("copy %d: manifest %+v: want the order, the certified release and a hash of its own", i, man)
		}
		if cert.CheckRelease(bytes.NewReader(files[release])) == nil {
			t.Fatalf("copy %d is the certified release byte for byte: not fingerprinted", i)
		}
		if copies[i], _, err = anonymizer.ReadTable(bytes.NewReader(files[release]), release, anonymizer.ReadOptions{}); err != nil {
			t.Fatal(err)
		}
		// The gate recomputes the copy's pseudonyms from the raw phone numbers:
		// the platform's pseudonym, then the order's keyed one.
		g := anonymizer.CheckRelease(rawTable, copies[i], copyGate(t, w, cert, orders[i].ID))
		if !g.Passed || g.Level != cert.Level || g.MinClass != cert.Gate.MinClass || !slices.Contains(g.Pseudonyms, "手机号") {
			t.Fatalf("copy %d: gate passed=%v level %s min class %d pseudonyms %v, certificate level %s min class %d: %+v", i, g.Passed, g.Level, g.MinClass, g.Pseudonyms, cert.Level, cert.Gate.MinClass, g.Reasons)
		}
		if i > 0 {
			// Checked under another order's key, the copy is restorable: its
			// pseudonyms are not recomputed, whatever they look like.
			g := anonymizer.CheckRelease(rawTable, copies[i], copyGate(t, w, cert, orders[i-1].ID))
			if g.Passed || g.Level != anonymizer.LevelL1 || slices.Contains(g.Pseudonyms, "手机号") {
				t.Fatalf("copy %d under order %d's key: gate passed=%v level %s pseudonyms %v: want restorable (L1)", i, i-1, g.Passed, g.Level, g.Pseudonyms)
			}
		}
		if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'delivery.fingerprinted' AND subject_id = $1 AND payload->>'copy_sha256' = $2`, orders[i].ID, man.CopySHA256); n != 1 {
			t.Errorf("copy %d: %d ledger events delivery.fingerprinted with its hash, want 1", i, n)
		}
	}

	leak := leakSample(t, copies[1], "学历")
	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)
	st, b = regulator.uploadTo("/v1/regulator/trace?listing="+listing, "leak.xlsx", leak)
	if st != http.StatusOK {
		t.Fatalf("trace: %d %s", st, b)
	}
	var rep trace.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != "traced" || len(rep.Candidates) == 0 || !rep.Candidates[0].Named || rep.Candidates[0].OrderID != orders[1].ID ||
		rep.Candidates[0].PartyID != buyers[1].partyID || rep.Candidates[0].FalseMatchProbability >= 1e-6 {
		t.Fatalf("trace report %s: want traced to order %s of party %s", b, orders[1].ID, buyers[1].partyID)
	}
	for _, c := range rep.Candidates[1:] {
		if c.Named {
			t.Errorf("an innocent order %s is named", c.OrderID)
		}
	}
	if st, b := buyers[0].uploadTo("/v1/regulator/trace", "leak.xlsx", leak); st != http.StatusForbidden || mustAPIProblem(t, b).Code != "forbidden_role" {
		t.Errorf("a buyer tracing: %d %s, want 403 forbidden_role", st, b)
	}
	if st, b := regulator.uploadTo("/v1/regulator/trace", "leak.csv", []byte("\x00\xff\xfe not a table")); st != http.StatusBadRequest || mustAPIProblem(t, b).Code != "leak_unreadable" {
		t.Errorf("tracing a file that is no table: %d %s, want 400 leak_unreadable", st, b)
	}
}

// leakSample is what a leaker publishes: a 10 % sample of the rows,
// shuffled, without column drop, as XLSX.
func leakSample(t *testing.T, c *anonymizer.Table, drop string) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	rows := rng.Perm(c.Rows())[:c.Rows()/10]
	var header []string
	for _, h := range c.Header() {
		if h != drop {
			header = append(header, h)
		}
	}
	out, err := anonymizer.NewTable("leak", header)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		var row []string
		for i, h := range c.Header() {
			if h != drop {
				row = append(row, c.Value(r, i))
			}
		}
		out.AppendRow(row, 0)
	}
	var buf bytes.Buffer
	if err := anonymizer.WriteTable(&buf, out, anonymizer.FormatXLSX, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadTo posts data as the multipart part "file" named name to path.
func (c *client) uploadTo(path, name string, data []byte) (int, []byte) {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.w.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.w.srv.URL+path, &buf)
	if err != nil {
		c.w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// copyGate is the gate of cert's release for the copy of order: the
// platform pseudonymization keys of the world's data directory and the
// order's fingerprint key, as the platform derives it.
func copyGate(t *testing.T, w *orderWorld, cert *anonymizer.Certificate, order uuid.UUID) anonymizer.GateOptions {
	t.Helper()
	keys, err := w.pseudonyms.All()
	if err != nil {
		t.Fatal(err)
	}
	ok, err := fingerprint.OrderKey(w.blobs.DeriveKey(trace.KeyLabel), order.String())
	if err != nil {
		t.Fatal(err)
	}
	ck, err := fingerprint.GateKey(order.String(), ok)
	if err != nil {
		t.Fatal(err)
	}
	return anonymizer.GateOptions{Mode: cert.Mode, Policy: cert.Policy, PseudonymKeys: keys, CopyKeys: []anonymizer.CopyKey{ck}}
}
