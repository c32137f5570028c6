package httpapi

import (
	"archive/tar"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
)

// deliveryRoutes registers an order's delivery and its download links.
func (s *Server) deliveryRoutes(g v1Groups) {
	g.Authed.GET("/orders/:id/delivery", s.getDelivery)
	g.Authed.GET("/downloads/:token", s.download)
}

// deliveryFiles are the files of the delivered tar archive besides the
// certified release itself.
var deliveryFiles = []string{"certificate.json", "certificate.json.asc", "platform-key.asc"}

// deliveryLink is the answer of GET /v1/orders/{id}/delivery.
type deliveryLink struct {
	postgres.Delivery
	DownloadURL string    `json:"download_url"`
	ExpiresAt   time.Time `json:"expires_at"`
	Release     string    `json:"release"`
	Contents    []string  `json:"contents"`
	Verify      string    `json:"verify"`
}

// getDelivery prepares the order's delivery when needed (the certified
// artifact in a tar archive with its certificate, the certificate's
// signature and the platform's public key, encrypted to the buyer's
// registered key and signed by the platform key) and answers with a
// fresh download link that only the buyer's party can use until it
// expires. A buyer without a key is told how to register one (409
// pgp_key_required).
func (s *Server) getDelivery(c *gin.Context) {
	id, err := pathID(c, "order")
	if err != nil {
		s.fail(c, err)
		return
	}
	svc := s.svc.Orders
	d, src, err := s.prepareDelivery(c, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		s.fail(c, fmt.Errorf("download token: %w", err))
		return
	}
	token := "sjd_" + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	now := svc.now()
	ttl := svc.DownloadTTL
	if ttl <= 0 {
		ttl = time.Hour
	}
	if err := postgres.IssueDownload(c.Request.Context(), svc.DB, id, actor(c).PartyID, sum[:], now, now.Add(ttl)); err != nil {
		s.fail(c, err)
		return
	}
	release := path.Base(src.ArtifactName)
	writeJSON(c, http.StatusOK, deliveryLink{Delivery: d, DownloadURL: "/v1/downloads/" + token, ExpiresAt: now.Add(ttl),
		Release: release, Contents: deliveryContents(release, svc.Copies != nil),
		Verify: deliveryVerify(release, svc.Copies != nil)})
}

// prepareDelivery returns the order's delivery for the buyer's current
// key, making it first when there is none.
func (s *Server) prepareDelivery(c *gin.Context, id uuid.UUID) (postgres.Delivery, postgres.DeliverySource, error) {
	ctx := c.Request.Context()
	svc := s.svc.Orders
	a := actor(c)
	src, err := postgres.OrderDeliverySource(ctx, svc.DB, a, id)
	if err != nil {
		return postgres.Delivery{}, src, err
	}
	key, err := postgres.GetPartyKey(ctx, svc.DB, src.Order.BuyerID)
	if err != nil {
		return postgres.Delivery{}, src, err
	}
	if d, ok, err := postgres.GetDelivery(ctx, svc.DB, id, key.Fingerprint); err != nil || ok {
		return d, src, err
	}
	recipient, err := pgp.ParsePublicKey(key.Armored)
	if err != nil {
		return postgres.Delivery{}, src, fmt.Errorf("buyer key of order %s: %w", id, err)
	}
	marked, err := markCopy(ctx, svc.Copies, src)
	if err != nil {
		return postgres.Delivery{}, src, fmt.Errorf("seal delivery of order %s: %w", id, err)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(s.sealDelivery(pw, src, recipient, marked)) }()
	ref, err := svc.Blobs.Put(pr)
	pr.CloseWithError(err)
	if err != nil {
		return postgres.Delivery{}, src, fmt.Errorf("seal delivery of order %s: %w", id, err)
	}
	if marked != nil {
		if err := svc.Copies.Record(ctx, marked.rec); err != nil {
			return postgres.Delivery{}, src, err
		}
	}
	d := postgres.Delivery{OrderID: id, BuyerID: src.Order.BuyerID, CertificateID: src.CertificateID, BlobSHA256: ref.SHA256,
		SizeBytes: ref.Size, RecipientFpr: recipient.Fingerprint(), SignerFpr: svc.Key.Fingerprint(), CreatedAt: svc.now()}
	if err := postgres.RecordDelivery(ctx, svc.DB, d); err != nil {
		return postgres.Delivery{}, src, err
	}
	return d, src, nil
}

// sealDelivery writes to w the delivery archive encrypted to recipient and
// signed by the platform key.
func (s *Server) sealDelivery(w io.Writer, src postgres.DeliverySource, recipient *pgp.Key, marked *markedCopy) error {
	svc := s.svc.Orders
	pub, err := svc.Key.ArmoredPublic()
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(writeDeliveryTar(pw, src, svc, pub, marked)) }()
	err = pgp.Encrypt(w, pr, "order-"+src.Order.ID.String()+".tar", recipient, svc.Key)
	pr.CloseWithError(err)
	return err
}

// writeDeliveryTar writes the tar archive: the release (the order's
// fingerprinted copy when marked, with its manifest), the certificate, its
// signature and the platform's public key.
func writeDeliveryTar(w io.Writer, src postgres.DeliverySource, svc *OrderServices, platformKey []byte, marked *markedCopy) error {
	tw := tar.NewWriter(w)
	if marked != nil {
		return writeMarkedTar(tw, src, marked, platformKey)
	}
	rc, err := svc.Blobs.Open(src.ArtifactSHA)
	if err != nil {
		return fmt.Errorf("certified artifact %s: %w", src.ArtifactSHA, err)
	}
	defer rc.Close()
	size := src.ArtifactSize
	mod := src.Order.CreatedAt
	if err := tw.WriteHeader(&tar.Header{Name: path.Base(src.ArtifactName), Mode: 0o644, Size: size, ModTime: mod}); err != nil {
		return err
	}
	if n, err := io.Copy(tw, rc); err != nil || n != size {
		return fmt.Errorf("certified artifact %s: copied %d of %d bytes: %w", src.ArtifactSHA, n, size, err)
	}
	return writeDeliveryMeta(tw, src, platformKey)
}

// writeDeliveryMeta ends the archive with the certificate, its signature
// and the platform's public key.
func writeDeliveryMeta(tw *tar.Writer, src postgres.DeliverySource, platformKey []byte) error {
	for i, b := range [][]byte{src.Certificate, []byte(src.Signature), platformKey} {
		if err := tw.WriteHeader(&tar.Header{Name: deliveryFiles[i], Mode: 0o644, Size: int64(len(b)), ModTime: src.Order.CreatedAt}); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	return tw.Close()
}

// download streams the encrypted delivery behind a download token to a
// buyer of the party it was issued to, before it expires.
func (s *Server) download(c *gin.Context) {
	token := c.Param("token")
	sum := sha256.Sum256([]byte(token))
	svc := s.svc.Orders
	d, err := postgres.RedeemDownload(c.Request.Context(), svc.DB, actor(c), sum[:], svc.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	rc, err := svc.Blobs.Open(d.BlobSHA256)
	if err != nil {
		s.fail(c, fmt.Errorf("delivery blob of order %s: %w", d.OrderID, err))
		return
	}
	defer rc.Close()
	c.Header("Content-Type", "application/pgp-encrypted")
	c.Header("Content-Disposition", `attachment; filename="order-`+d.OrderID.String()+`.tar.asc"`)
	c.Header("Content-Length", fmt.Sprint(d.SizeBytes))
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, rc); err != nil && !errors.Is(err, io.ErrClosedPipe) {
		s.log.Error("download: stream delivery", "order_id", d.OrderID.String(), "error", err.Error())
	}
}
