package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// Issue 18: when copies are not fingerprinted, two buyers of the same
// certified release receive one ciphertext stored once, each through a
// session key packet of their own: both decrypt and verify it, the
// archives are the same bytes, and one buyer's message does not open with
// the other's key.
func TestDelivery_TwoBuyersOfOneReleaseShareOneCiphertext(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	ds, job := w.seller.mustCertifiedDataset(300)
	if job.Result == nil {
		t.Fatalf("de-identification job %+v produced no certificate", job)
	}
	decl := ownDataDeclaration("西安市民出行健康数据集 2026")
	decl["contains_personal_info"], decl["dataset_id"], decl["certificate_id"] = true, ds.ID, job.Result.CertificateID
	listing := w.mustListed(decl)
	w.mustPlan(listing, simplePlan("500.00"))

	type buyerOf struct {
		c     *client
		key   *pgp.Key
		order market.Order
		got   unitsDelivery
	}
	var buyers []*buyerOf
	for _, name := range []string{"北京买方科技", "上海数据服务"} {
		c := w.mustParty(name, market.PartyParticipant, market.RoleBuyer)
		key, err := pgp.Generate(name, "data@buyer.example.cn")
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := key.ArmoredPublic()
		c.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+c.partyID.String()+"/pgp-key", map[string]any{"armored": string(pub)}, nil)
		c.mustDeposit("1000.00")
		b := &buyerOf{c: c, key: key, order: c.mustOrder("licence", orderRequest(c.mustQuote(listing, "1").ID))}
		b.got = w.mustReceive(c, key, b.order.ID.String())
		buyers = append(buyers, b)
	}
	a, b := buyers[0], buyers[1]
	if !bytes.Equal(a.got.files[a.got.link.Release], b.got.files[b.got.link.Release]) {
		t.Error("the two buyers received different releases")
	}
	if n := w.count(`SELECT 1 FROM shared_seals`); n != 1 {
		t.Errorf("%d shared seals of one release, want 1 (sealed once)", n)
	}
	var blobs, packets int
	if err := w.pool.QueryRow(context.Background(), `SELECT count(DISTINCT blob_sha256), count(DISTINCT session_packet) FROM deliveries
WHERE order_id = ANY($1) AND blob_sha256 = (SELECT blob_sha256 FROM shared_seals)`, []uuid.UUID{a.order.ID, b.order.ID}).Scan(&blobs, &packets); err != nil {
		t.Fatal(err)
	}
	if blobs != 1 || packets != 2 {
		t.Errorf("%d ciphertexts and %d session key packets for two buyers, want one shared ciphertext and a packet each", blobs, packets)
	}
	// a buyer's message opens with their key only
	var link struct {
		DownloadURL string `json:"download_url"`
	}
	a.c.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+a.order.ID.String()+"/delivery", nil, &link)
	st, message := a.c.do(http.MethodGet, link.DownloadURL, nil)
	if st != http.StatusOK {
		t.Fatalf("download: %d", st)
	}
	if _, err := pgp.Decrypt(bytes.NewReader(message), b.key, w.key.Public()); err == nil {
		t.Error("the second buyer's key opened the first buyer's delivery")
	}
	if _, err := pgp.Decrypt(bytes.NewReader(message), a.key, w.key.Public()); err != nil {
		t.Errorf("the first buyer's own delivery: %v", err)
	}
}
