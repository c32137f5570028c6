package httpapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// The listing gate on the server verifies the recorded certificate's
// OpenPGP signature with the platform key on submit (Tianjin Art. 29): a
// record whose signed body is intact but whose signature another key made,
// or whose signature has a flipped byte, counts for nothing, and the
// listing of personal information is blocked with certificate-not-proof.
func TestSubmit_TianjinArt29_CertificateSignatureMustVerifyWithThePlatformKey(t *testing.T) {
	w := mustMarket(t, marketOptions{})
	seller := w.mustParty("西安交通数据有限公司", market.PartyParticipant, market.RoleSeller)
	ds, job := seller.mustCertifiedDataset(2000)
	if job.Status != "succeeded" || job.Result == nil || job.Result.CertificateID == "" {
		t.Fatalf("job %+v: want succeeded with a certificate (gate: %s)", job, job.Gate)
	}
	ctx := context.Background()
	var body []byte
	var platformSig string
	if err := w.pool.QueryRow(ctx, `SELECT body, signature FROM certificates WHERE id = $1`, job.Result.CertificateID).Scan(&body, &platformSig); err != nil {
		t.Fatal(err)
	}
	mallory, err := pgp.Generate("Mallory", "mallory@example.test")
	if err != nil {
		t.Fatal(err)
	}
	otherSig, err := mallory.SignBytes(body)
	if err != nil {
		t.Fatal(err)
	}

	submit := func(t *testing.T, sig string) listingBody {
		t.Helper()
		if _, err := w.pool.Exec(ctx, `UPDATE certificates SET signature = $2 WHERE id = $1`, job.Result.CertificateID, sig); err != nil {
			t.Fatal(err)
		}
		decl := ownDataDeclaration("西安市民出行健康数据集 2026")
		decl["contains_personal_info"] = true
		decl["dataset_id"], decl["certificate_id"] = ds.ID, job.Result.CertificateID
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", decl, &l)
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		return l
	}
	refused := func(t *testing.T, l listingBody) {
		t.Helper()
		if l.State != "blocked" || l.Decision == nil || l.Decision.Decision != "blocked" {
			t.Fatalf("state %s decision %+v, want blocked", l.State, l.Decision)
		}
		for _, v := range l.Decision.Violations {
			if v.Rule == market.RuleCertificateNotProof && v.Article == market.ArticleTianjin29 &&
				strings.Contains(v.Reason, "signature does not verify") {
				return
			}
		}
		t.Fatalf("violations %+v, want %s citing %s for the signature", l.Decision.Violations, market.RuleCertificateNotProof, market.ArticleTianjin29)
	}

	t.Run("a certificate the platform signed passes", func(t *testing.T) {
		l := submit(t, platformSig)
		if l.State != "listed" || l.Decision == nil || l.Decision.Decision != "listable" {
			t.Fatalf("state %s decision %+v, want listed", l.State, l.Decision)
		}
		// At order time the gate runs again with the key the store was
		// given: another key proves nothing.
		at := time.Now().UTC()
		rec, err := postgres.NewListingStore(w.pool, w.key.Public()).LockListing(ctx, uuid.MustParse(l.ID))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			key  *pgp.Key
			want market.Decision
		}{{w.key.Public(), market.DecisionListable}, {mallory.Public(), market.DecisionBlocked}} {
			res, err := postgres.NewListingStore(w.pool, c.key).RegateListing(ctx, rec, at)
			if err != nil || res.Decision != c.want {
				t.Errorf("regate with key %s: %+v, %v; want %s", c.key.UserID(), res, err, c.want)
			}
		}
	})
	t.Run("a signature by another key over the intact body is refused", func(t *testing.T) {
		refused(t, submit(t, string(otherSig)))
	})
	t.Run("a signature with a flipped byte is refused", func(t *testing.T) {
		refused(t, submit(t, flipLastSignatureByte(t, platformSig)))
	})
}

// flipLastSignatureByte flips the last byte of the signature packet (its
// signature value) and armors it again.
func flipLastSignatureByte(t *testing.T, armored string) string {
	t.Helper()
	blk, err := armor.Decode(strings.NewReader(armored))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(blk.Body)
	if err != nil {
		t.Fatal(err)
	}
	raw[len(raw)-1] ^= 0x01
	var buf bytes.Buffer
	aw, err := armor.Encode(&buf, "PGP SIGNATURE", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := aw.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := aw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
