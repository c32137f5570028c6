package httpapi

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// untar returns the files of a tar archive by name.
func untar(tb testing.TB, b []byte) map[string][]byte {
	tb.Helper()
	files := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return files
		}
		if err != nil {
			tb.Fatalf("delivery archive: %v", err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			tb.Fatal(err)
		}
		files[h.Name] = data
	}
}

func TestDelivery_BuyerDecryptsVerifiesThePlatformSignatureAndTheCertificate(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	buyer2 := w.mustParty("上海另一买方", market.PartyParticipant, market.RoleBuyer)
	ds, job := w.seller.mustCertifiedDataset(1000)
	if job.Result == nil {
		t.Fatalf("de-identification job %+v produced no certificate", job)
	}
	decl := ownDataDeclaration("西安市民出行健康数据集 2026")
	decl["contains_personal_info"], decl["dataset_id"], decl["certificate_id"] = true, ds.ID, job.Result.CertificateID
	listing := w.mustListed(decl)
	w.mustPlan(listing, simplePlan("500.00"))
	buyer.mustDeposit("1000.00")
	o := buyer.mustOrder("deliver-me", orderRequest(buyer.mustQuote(listing, "1").ID))
	deliveryPath := "/v1/orders/" + o.ID.String() + "/delivery"

	st, b := buyer.do(http.MethodGet, deliveryPath, nil)
	if p := mustAPIProblem(t, b); st != http.StatusConflict || p.Code != "pgp_key_required" || !strings.Contains(p.Detail, "PUT /v1/parties/"+buyer.partyID.String()+"/pgp-key") {
		t.Fatalf("delivery to a buyer without a key: %d %s, want 409 pgp_key_required telling how to register one", st, b)
	}

	buyerKey, err := pgp.Generate("北京买方科技", "data@buyer.example.cn")
	if err != nil {
		t.Fatal(err)
	}
	pub, _ := buyerKey.ArmoredPublic()
	priv, _ := buyerKey.ArmoredPrivate()
	keyPath := "/v1/parties/" + buyer.partyID.String() + "/pgp-key"
	for _, tt := range []struct {
		name   string
		c      *client
		body   string
		status int
		code   string
	}{
		{"a private key is refused", buyer, string(priv), http.StatusBadRequest, "private_key_sent"},
		{"text that is no key is refused", buyer, "-----BEGIN PGP PUBLIC KEY BLOCK-----\nnot a key\n", http.StatusBadRequest, "invalid_pgp_key"},
		{"another party cannot register the buyer's key", buyer2, string(pub), http.StatusForbidden, "forbidden_party"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			st, b := tt.c.do(http.MethodPut, keyPath, map[string]any{"armored": tt.body})
			if p := mustAPIProblem(t, b); st != tt.status || p.Code != tt.code {
				t.Fatalf("%d %s, want %d %s", st, b, tt.status, tt.code)
			}
		})
	}
	var registered pgpKeyView
	buyer.mustDo(http.StatusOK, http.MethodPut, keyPath, map[string]any{"armored": string(pub)}, &registered)
	if registered.Fingerprint != buyerKey.Fingerprint() {
		t.Fatalf("registered fingerprint %s, want %s", registered.Fingerprint, buyerKey.Fingerprint())
	}

	var link delivery.Link
	buyer.mustDo(http.StatusOK, http.MethodGet, deliveryPath, nil, &link)
	if link.RecipientFpr != buyerKey.Fingerprint() || link.SignerFpr != w.key.Fingerprint() || !strings.HasPrefix(link.DownloadURL, "/v1/downloads/sjd_") {
		t.Fatalf("delivery %+v: want encrypted to the buyer's key, signed by the platform key, with a download link", link)
	}
	if st, _ := w.seller.do(http.MethodGet, deliveryPath, nil); st != http.StatusForbidden {
		t.Errorf("the seller asking for the buyer's delivery: %d, want 403", st)
	}
	if st, _ := buyer2.do(http.MethodGet, deliveryPath, nil); st != http.StatusNotFound {
		t.Errorf("another buyer asking for the delivery: %d, want 404", st)
	}
	if st, b := buyer2.do(http.MethodGet, link.DownloadURL, nil); st != http.StatusNotFound || mustAPIProblem(t, b).Code != "download_not_found" {
		t.Errorf("another party using the buyer's link: %d %s, want 404 download_not_found", st, b)
	}

	st, message := buyer.do(http.MethodGet, link.DownloadURL, nil)
	if st != http.StatusOK || !bytes.HasPrefix(message, []byte("-----BEGIN PGP MESSAGE-----")) {
		t.Fatalf("download: %d, want 200 with an armored OpenPGP message", st)
	}
	stranger, _ := pgp.Generate("Stranger", "x@example.cn")
	if _, err := pgp.Decrypt(bytes.NewReader(message), stranger, w.key.Public()); err == nil {
		t.Error("a key other than the buyer's decrypts the delivery")
	}
	if _, err := pgp.Decrypt(bytes.NewReader(message), buyerKey, stranger.Public()); err == nil {
		t.Error("the delivery verifies as signed by a key other than the platform's")
	}
	plain, err := pgp.Decrypt(bytes.NewReader(message), buyerKey, w.key.Public())
	if err != nil {
		t.Fatalf("the buyer cannot decrypt and verify the delivery: %v", err)
	}
	files := untar(t, plain)
	if len(files) != 4 {
		t.Fatalf("archive holds %d files, want the release, certificate, signature and platform key", len(files))
	}
	platform, err := pgp.ReadKey(bytes.NewReader(files["platform-key.asc"]))
	if err != nil || platform.Fingerprint() != w.key.Fingerprint() {
		t.Fatalf("the archive's platform key is not the platform's: %v", err)
	}
	if err := platform.VerifyBytes(files["certificate.json"], files["certificate.json.asc"]); err != nil {
		t.Fatalf("the certificate's signature does not verify: %v", err)
	}
	cert, err := anonymizer.ParseCertificate(files["certificate.json"])
	if err != nil {
		t.Fatal(err)
	}
	if err := cert.CheckRelease(bytes.NewReader(files[link.Release])); err != nil || !cert.Passed {
		t.Fatalf("the delivered release %s does not match its passed certificate: %v", link.Release, err)
	}
	flipped := bytes.Clone(files[link.Release])
	flipped[len(flipped)/2] ^= 1
	if err := cert.CheckRelease(bytes.NewReader(flipped)); err == nil {
		t.Error("a release with a flipped byte still matches the certificate")
	}

	var got market.Order
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+o.ID.String(), nil, &got)
	if got.State != market.OrderDelivered || got.DeliveredAt == nil {
		t.Errorf("after the download the order is %s, want delivered", got.State)
	} else if got.SettleDueAt == nil || !got.SettleDueAt.Equal(got.DeliveredAt.Add(7*24*time.Hour)) {
		t.Errorf("settle_due_at %v, want 7 days after delivery (%v): the auto-settlement period counts from delivery", got.SettleDueAt, got.DeliveredAt)
	}
	if st, _ := buyer.do(http.MethodPost, "/v1/orders/"+o.ID.String()+"/cancel", nil); st != http.StatusConflict {
		t.Errorf("cancelling a delivered order: %d, want 409 (dispute instead)", st)
	}
	w.setClock(w.clock().Add(time.Hour + time.Second))
	if st, b := buyer.do(http.MethodGet, link.DownloadURL, nil); st != http.StatusConflict || mustAPIProblem(t, b).Code != "download_expired" {
		t.Errorf("an expired link: %d %s, want 409 download_expired", st, b)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind IN ('delivery.prepared', 'delivery.downloaded', 'order.delivered') AND subject_id = $1`, o.ID); n != 3 {
		t.Errorf("delivery ledger events = %d, want 3 (prepared, downloaded, delivered)", n)
	}
	if n := w.count(`SELECT 1 FROM download_tokens WHERE token_sha256 = sha256(convert_to($1, 'UTF8'))`, strings.TrimPrefix(link.DownloadURL, "/v1/downloads/")); n != 1 {
		t.Errorf("the download token is not stored as its SHA-256 (%d rows)", n)
	}
	if n := w.count(`SELECT 1 FROM download_tokens WHERE encode(token_sha256, 'escape') LIKE '%sjd_%'`); n != 0 {
		t.Errorf("a download token is stored in clear")
	}
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	var res autoSettlement
	w.setClock(got.DeliveredAt.Add(7*24*time.Hour - time.Minute))
	operator.mustDo(http.StatusOK, http.MethodPost, "/v1/orders/auto-settlement", nil, &res)
	if res.Settled != 0 {
		t.Errorf("the sweep a minute before 7 days after delivery settled %d orders, want 0", res.Settled)
	}
	w.setClock(got.DeliveredAt.Add(7 * 24 * time.Hour))
	operator.mustDo(http.StatusOK, http.MethodPost, "/v1/orders/auto-settlement", nil, &res)
	if res.Settled != 1 {
		t.Fatalf("the sweep 7 days after delivery settled %d orders, want the delivered one", res.Settled)
	}
	if got := w.balance(market.SellerReceivable(uuid.UUID(w.seller.partyID))); got != "490.00" {
		t.Errorf("seller receivable after auto-settlement = %s, want 490.00 (500.00 less the 2 %% fee)", got)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'order.auto_settled' AND subject_id = $1`, o.ID); n != 1 {
		t.Errorf("order.auto_settled ledger events = %d, want 1", n)
	}
}

// A listing that names no certificate (own data without personal
// information may be listed without one) has nothing certified to
// deliver: the buyer is told so plainly, never a server error.
func TestDelivery_ListingWithoutCertificate_Conflict(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	buyer := w.mustParty("杭州无证买方", market.PartyParticipant, market.RoleBuyer)
	listing := w.mustListed(ownDataDeclaration("无证书的统计报表"))
	w.mustPlan(listing, simplePlan("300.00"))
	buyer.mustDeposit("500.00")
	o := buyer.mustOrder("no-cert", orderRequest(buyer.mustQuote(listing, "1").ID))
	for _, name := range []string{"absent", "", "not-a-uuid"} {
		t.Run("certificate_id="+name, func(t *testing.T) {
			if name != "absent" {
				if _, err := w.pool.Exec(context.Background(), `UPDATE listings SET declaration = jsonb_set(declaration, '{certificate_id}', to_jsonb($2::text)) WHERE id = $1`, listing, name); err != nil {
					t.Fatal(err)
				}
			}
			st, b := buyer.do(http.MethodGet, "/v1/orders/"+o.ID.String()+"/delivery", nil)
			if p := mustAPIProblem(t, b); st != http.StatusConflict || p.Code != "no_certified_artifact" {
				t.Fatalf("delivery of a listing without a certificate: %d %s, want 409 no_certified_artifact", st, b)
			}
		})
	}
}

// The platform key is published to anyone, so a buyer checks a delivery
// against a key fetched apart from the delivery itself.
func TestPlatformKey_PublishedToAnyoneAndVerifiesDeliveries(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	var got platformKeyView
	(&client{w: w.mkt}).mustDo(http.StatusOK, http.MethodGet, "/v1/platform/pgp-key", nil, &got)
	key, err := pgp.ParsePublicKey(got.Armored)
	if err != nil {
		t.Fatalf("armored %q: %v", got.Armored, err)
	}
	if key.HasPrivate() || key.Fingerprint() != w.key.Fingerprint() || got.Fingerprint != w.key.Fingerprint() ||
		got.KeyID != w.key.KeyID() || got.UserID == "" || got.CreatedAt.IsZero() {
		t.Fatalf("platform key %+v, want the public half of %s", got, w.key.Fingerprint())
	}
	sig, _ := w.key.SignBytes([]byte("tree head"))
	if err := key.VerifyBytes([]byte("tree head"), sig); err != nil {
		t.Fatalf("a platform signature does not verify with the published key: %v", err)
	}
}
