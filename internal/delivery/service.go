package delivery

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// Store is what the delivery service needs of storage.
type Store interface {
	// Source returns what order id's delivery is made from (an empty
	// ArtifactSHA when its listing names no certificate), or an error
	// wrapping market.ErrNotFound.
	Source(ctx context.Context, id uuid.UUID) (market.DeliverySource, error)
	// PartyKey returns party's OpenPGP key, or an ErrConflict *market.Error
	// (pgp_key_required) telling how to register one.
	PartyKey(ctx context.Context, party market.PartyID) (market.PartyKey, error)
	// Delivery returns order id's stored delivery; found is false when
	// there is none for recipient's fingerprint ("" for any).
	Delivery(ctx context.Context, id uuid.UUID, recipient string) (d market.Delivery, found bool, err error)
	// Record stores d with its "delivery.prepared" ledger event; the
	// order's delivery becomes ready.
	Record(ctx context.Context, d market.Delivery) error
	// MarkDelivery sets the state of order id's delivery (and why, for
	// failed).
	MarkDelivery(ctx context.Context, id uuid.UUID, state market.DeliveryState, reason string) error
	// SharedSeal returns the release sealed once under certificate cert
	// by signer (found false: never).
	SharedSeal(ctx context.Context, cert uuid.UUID, release, signer string) (sh market.SharedSeal, found bool, err error)
	// RecordSharedSeal stores sh unless one was stored meanwhile, and
	// returns the one stored.
	RecordSharedSeal(ctx context.Context, sh market.SharedSeal) (market.SharedSeal, error)
	// IssueDownload stores the SHA-256 of a download token for order id,
	// usable by buyer's party until expires.
	IssueDownload(ctx context.Context, id uuid.UUID, buyer market.PartyID, tokenHash []byte, now, expires time.Time) error
	// RedeemDownload finds the delivery a token issued to buyer's party
	// opens at now (a token issued to another party is not found); the
	// first download moves the order to delivered (market.ApplyOrderMove),
	// and user is recorded as the downloader.
	RedeemDownload(ctx context.Context, buyer market.PartyID, user market.UserID, tokenHash []byte, now time.Time) (market.Delivery, error)
}

// Service seals deliveries and issues and redeems download links. Build it
// with New; it is safe for concurrent use.
type Service struct {
	store Store
	blobs *blob.Store
	key   *pgp.Key
	ttl   time.Duration
	now   func() time.Time
	// copies, when set, marks every delivered copy (WithCopies).
	copies CopyMarker
	// queue, when set, seals in the background (WithQueue).
	queue Queue
	// keys keeps the buyers' keys parsed (keys.go).
	keys keyCache
}

// New returns the delivery service: deliveries are kept in blobs and
// signed by key (the platform key with its private part); download links
// live ttl (0: one hour); now is the clock (nil: time.Now).
func New(store Store, blobs *blob.Store, key *pgp.Key, ttl time.Duration, now func() time.Time) *Service {
	if ttl <= 0 {
		ttl = time.Hour
	}
	if now == nil {
		now = time.Now
	}
	return &Service{store: store, blobs: blobs, key: key, ttl: ttl, now: now}
}

// Files are the files of the delivered tar archive besides the certified
// release itself.
var Files = []string{"certificate.json", "certificate.json.asc", "platform-key.asc"}

// ContentFile is the file of an archive whose content is not the whole
// release (rows chosen from it): market.DeliveredContent as JSON, naming
// the selection rule, the rows, the delivered file's SHA-256 and the
// release's.
const ContentFile = "content.json"

// Link is a fresh download link to an order's sealed delivery.
type Link struct {
	market.Delivery
	DownloadURL string    `json:"download_url"`
	ExpiresAt   time.Time `json:"expires_at"`
	Release     string    `json:"release"`
	Contents    []string  `json:"contents"`
	Verify      string    `json:"verify"`
}

// Link seals order id's delivery when needed and returns a fresh download
// link that only the buyer's party can use until it expires. See Prepare
// for the errors.
func (s *Service) Link(ctx context.Context, actor market.Actor, id uuid.UUID) (Link, error) {
	d, src, err := s.Prepare(ctx, actor, id)
	if err != nil {
		return Link{}, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Link{}, fmt.Errorf("download token: %w", err)
	}
	token := "sjd_" + base64.RawURLEncoding.EncodeToString(secret)
	sum := sha256.Sum256([]byte(token))
	now := s.now().UTC()
	if err := s.store.IssueDownload(ctx, id, actor.PartyID, sum[:], now, now.Add(s.ttl)); err != nil {
		return Link{}, err
	}
	release := path.Base(src.ArtifactName)
	l := Link{Delivery: d, DownloadURL: "/v1/downloads/" + token, ExpiresAt: now.Add(s.ttl),
		Release: d.Content.File, Contents: contents(d.Content.File, d.Content.Selection, s.copies != nil),
		Verify: verifyHint(release, d.Content, s.copies != nil)}
	return l, nil
}

// Prepare returns order id's delivery for the buyer's current key. When
// there is none yet, a service with a queue (WithQueue) queues its sealing
// and returns a *Sealing error (the caller answers 202 and asks again);
// one without seals it now. Only a buyer of the buying party receives it,
// and only while the order is paid or delivered.
//
// It returns ErrNotFound (order_not_found) for an order actor cannot see,
// ErrForbidden (not_order_buyer) for anyone but the buying party's
// buyers, ErrConflict (order_not_deliverable, no_certified_artifact,
// pgp_key_required, delivery_failed), *Sealing, or the wrapped storage or
// sealing error.
func (s *Service) Prepare(ctx context.Context, actor market.Actor, id uuid.UUID) (market.Delivery, market.DeliverySource, error) {
	src, err := s.store.Source(ctx, id)
	if market.IsNotFound(err) || (err == nil && market.OrderSide(actor, src.Order) == "") {
		return market.Delivery{}, src, market.Errorf(market.ErrNotFound, "order_not_found", "no order %s", id)
	}
	if err != nil {
		return market.Delivery{}, src, err
	}
	if market.OrderSide(actor, src.Order) != "buyer" {
		return market.Delivery{}, src, market.Errorf(market.ErrForbidden, "not_order_buyer", "only the buyer's party receives an order's delivery")
	}
	if d := src.Order.Delivery; d != nil && d.State == market.DeliveryFailed {
		return market.Delivery{}, src, market.Errorf(market.ErrConflict, "delivery_failed",
			"the delivery of order %s could not be sealed and the order was refunded: %s", id, d.Error)
	}
	if err := s.check(src); err != nil {
		return market.Delivery{}, src, err
	}
	key, err := s.store.PartyKey(ctx, src.Order.BuyerID)
	if err != nil {
		return market.Delivery{}, src, err
	}
	if d, ok, err := s.store.Delivery(ctx, id, key.Fingerprint); err != nil || ok {
		return d, src, err
	}
	if s.queue != nil {
		if err := s.queue.QueueSeal(ctx, id); err != nil {
			return market.Delivery{}, src, err
		}
		return market.Delivery{}, src, &Sealing{OrderID: id, RetryAfter: SealRetryAfter}
	}
	d, err := s.sealFor(ctx, src, key)
	return d, src, err
}

// check applies the rules every delivery of src's order obeys: the order
// is paid or delivered, its unit can be delivered, and its listing names a
// certified artifact.
func (s *Service) check(src market.DeliverySource) error {
	o := src.Order
	if o.State != market.OrderPaid && o.State != market.OrderDelivered {
		return market.Errorf(market.ErrConflict, "order_not_deliverable", "order %s is %s: only a paid order is delivered", o.ID, o.State)
	}
	if _, err := market.ScopeOf(src.Unit, o.Quantity); err != nil {
		return err
	}
	if src.ArtifactSHA == "" {
		return market.Errorf(market.ErrConflict, "no_certified_artifact",
			"listing %s names no de-identification certificate: it has no certified artifact to deliver", o.ListingID)
	}
	return nil
}

// Seal seals order id's delivery for the buyer's current key unless one is
// sealed already; River's sealing job calls it (internal/jobs). An order
// that is no longer paid or delivered has nothing to seal (nil); a buyer
// without a key leaves the order's delivery key_required (nil: asking for
// the delivery after registering one seals it). It returns the errors of
// market.ScopeOf, ErrConflict (no_certified_artifact, rows_exceed_release)
// for a delivery that can never be sealed as paid, or the wrapped storage
// or sealing error, worth retrying.
func (s *Service) Seal(ctx context.Context, id uuid.UUID) error {
	src, err := s.store.Source(ctx, id)
	if err != nil {
		return err
	}
	if o := src.Order; o.State != market.OrderPaid && o.State != market.OrderDelivered {
		return nil
	}
	if err := s.check(src); err != nil {
		return err
	}
	key, err := s.store.PartyKey(ctx, src.Order.BuyerID)
	if errors.Is(err, market.ErrConflict) {
		return s.store.MarkDelivery(ctx, id, market.DeliveryKeyRequired, "")
	}
	if err != nil {
		return err
	}
	if _, ok, err := s.store.Delivery(ctx, id, key.Fingerprint); err != nil || ok {
		if ok {
			err = s.store.MarkDelivery(ctx, id, market.DeliveryReady, "")
		}
		return err
	}
	_, err = s.sealFor(ctx, src, key)
	return err
}

// sealFor seals src's delivery to the buyer's key and records it (the
// order's delivery becomes ready).
func (s *Service) sealFor(ctx context.Context, src market.DeliverySource, key market.PartyKey) (market.Delivery, error) {
	o, id := src.Order, src.Order.ID
	c, err := s.selectContent(src)
	if err != nil {
		return market.Delivery{}, err
	}
	recipient, err := s.keys.parse(key.Armored)
	if err != nil {
		return market.Delivery{}, fmt.Errorf("buyer key of order %s: %w", id, err)
	}
	if s.copies == nil && c.Selection == market.SelectWholeRelease {
		// every buyer receives the same archive: seal it once (shared.go)
		return s.sealShared(ctx, src, c, recipient)
	}
	marked, err := s.markCopy(ctx, src, c)
	if err != nil {
		return market.Delivery{}, fmt.Errorf("seal delivery of order %s: %w", id, err)
	}
	if marked != nil {
		c = marked.content(c)
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(s.seal(pw, src, c, recipient, marked)) }()
	ref, err := s.blobs.Put(pr)
	pr.CloseWithError(err)
	if err != nil {
		return market.Delivery{}, fmt.Errorf("seal delivery of order %s: %w", id, err)
	}
	if marked != nil {
		if err := s.copies.Record(ctx, marked.rec); err != nil {
			return market.Delivery{}, err
		}
	}
	d := market.Delivery{OrderID: id, BuyerID: o.BuyerID, CertificateID: src.CertificateID, BlobSHA256: ref.SHA256,
		SizeBytes: ref.Size, RecipientFpr: recipient.Fingerprint(), SignerFpr: s.key.Fingerprint(), CreatedAt: s.now().UTC(),
		Content: c.DeliveredContent}
	if err := s.store.Record(ctx, d); err != nil {
		return market.Delivery{}, err
	}
	return d, nil
}

// Open redeems a download token for actor and returns the delivery with
// its encrypted bytes; the caller closes the reader. The first download
// moves the order to delivered, which starts its settlement period. It
// returns ErrNotFound (download_not_found) for an unknown token or another
// party's, ErrConflict (download_expired) after expiry, or the wrapped
// error.
func (s *Service) Open(ctx context.Context, actor market.Actor, token string) (market.Delivery, io.ReadCloser, error) {
	// Only a buyer of the party the link was issued to may use it; anyone
	// else is answered as for an unknown token, so that a link's
	// existence is not revealed.
	if !actor.Can(market.RoleBuyer) {
		return market.Delivery{}, nil, downloadNotFound()
	}
	sum := sha256.Sum256([]byte(token))
	d, err := s.store.RedeemDownload(ctx, actor.PartyID, actor.UserID, sum[:], s.now().UTC())
	if err != nil {
		return d, nil, err
	}
	rc, err := s.blobs.Open(d.BlobSHA256)
	if err != nil {
		return d, nil, fmt.Errorf("delivery blob of order %s: %w", d.OrderID, err)
	}
	if len(d.SessionPacket) > 0 {
		return d, sharedMessage(d.SessionPacket, rc), nil
	}
	return d, rc, nil
}

// downloadNotFound is the error of a download link the actor may not use.
func downloadNotFound() error {
	return market.Errorf(market.ErrNotFound, "download_not_found", "no download behind this link for your party")
}

// PlatformKey returns the platform key that signs deliveries.
func (s *Service) PlatformKey() *pgp.Key { return s.key }

// seal writes to w the delivery archive encrypted to recipient and signed
// by the platform key.
func (s *Service) seal(w io.Writer, src market.DeliverySource, c content, recipient *pgp.Key, marked *markedCopy) error {
	pub, err := s.key.ArmoredPublic()
	if err != nil {
		return err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(s.writeTar(pw, src, c, pub, marked, src.Order.CreatedAt)) }()
	err = pgp.Encrypt(w, pr, "order-"+src.Order.ID.String()+".tar", recipient, s.key)
	pr.CloseWithError(err)
	return err
}

// writeTar writes the tar archive: the delivered content c (the release,
// or the rows chosen from it; the order's fingerprinted copy of it when
// marked), the copy's manifest when the whole release is marked, the
// certificate, its signature, the platform's public key and, when c is not
// the whole release, content.json recording what was chosen; mod is the
// files' time.
func (s *Service) writeTar(w io.Writer, src market.DeliverySource, c content, platformKey []byte, marked *markedCopy, mod time.Time) error {
	tw := tar.NewWriter(w)
	rc, err := c.open()
	if err != nil {
		return fmt.Errorf("certified artifact %s: %w", src.ArtifactSHA, err)
	}
	defer rc.Close()
	size := c.size
	if err := tw.WriteHeader(&tar.Header{Name: c.File, Mode: 0o644, Size: size, ModTime: mod}); err != nil {
		return err
	}
	if n, err := io.Copy(tw, rc); err != nil || n != size {
		return fmt.Errorf("delivered content %s: copied %d of %d bytes: %w", c.SHA256, n, size, err)
	}
	if marked != nil && c.Selection == market.SelectWholeRelease {
		if err := writeManifest(tw, src, marked); err != nil {
			return err
		}
	}
	files, names := [][]byte{src.Certificate, []byte(src.Signature), platformKey}, Files
	if c.Selection != market.SelectWholeRelease {
		record, err := json.MarshalIndent(c.DeliveredContent, "", "  ")
		if err != nil {
			return err
		}
		files, names = append(files, record), append(append([]string{}, Files...), ContentFile)
	}
	for i, b := range files {
		if err := tw.WriteHeader(&tar.Header{Name: names[i], Mode: 0o644, Size: int64(len(b)), ModTime: mod}); err != nil {
			return err
		}
		if _, err := tw.Write(b); err != nil {
			return err
		}
	}
	return tw.Close()
}
