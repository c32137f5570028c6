package delivery

import (
	"context"
	"fmt"
	"io"

	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// sealShared delivers the whole certified release unchanged (no copy is
// fingerprinted): the archive — the same bytes for every buyer — is
// encrypted and signed once per certificate and kept as the shared body of
// an OpenPGP message (market.SharedSeal), its session key held only as a
// packet to the platform key; each buyer gets a session key packet of
// their own (pgp.Rewrap), and their message is that packet followed by the
// shared body. GnuPG and open-delivery read it as any message.
func (s *Service) sealShared(ctx context.Context, src market.DeliverySource, c content, recipient *pgp.Key) (market.Delivery, error) {
	id := src.Order.ID
	sh, found, err := s.store.SharedSeal(ctx, src.CertificateID, src.ArtifactSHA, s.key.Fingerprint())
	if err != nil {
		return market.Delivery{}, err
	}
	if !found {
		if sh, err = s.sealOnce(ctx, src, c); err != nil {
			return market.Delivery{}, fmt.Errorf("seal delivery of order %s: %w", id, err)
		}
	}
	packet, err := pgp.Rewrap(sh.SessionPacket, s.key, recipient)
	if err != nil {
		return market.Delivery{}, fmt.Errorf("seal delivery of order %s: %w", id, err)
	}
	d := market.Delivery{OrderID: id, BuyerID: src.Order.BuyerID, CertificateID: src.CertificateID, BlobSHA256: sh.BlobSHA256,
		SizeBytes: pgp.ArmoredSize(int64(len(packet)) + sh.SizeBytes), RecipientFpr: recipient.Fingerprint(), SignerFpr: s.key.Fingerprint(), CreatedAt: s.now().UTC(),
		Content: c.DeliveredContent, SessionPacket: packet}
	if err := s.store.Record(ctx, d); err != nil {
		return market.Delivery{}, err
	}
	return d, nil
}

// sealOnce encrypts and signs the release's archive once, streaming, and
// records it; when another buyer's seal recorded one meanwhile, that one
// is returned (this one's blob is left to the blob collector).
func (s *Service) sealOnce(ctx context.Context, src market.DeliverySource, c content) (market.SharedSeal, error) {
	pub, err := s.key.ArmoredPublic()
	if err != nil {
		return market.SharedSeal{}, err
	}
	now := s.now().UTC()
	name := fmt.Sprintf("release-%.12s.tar", src.ArtifactSHA)
	plain, pw := io.Pipe()
	go func() { pw.CloseWithError(s.writeTar(pw, src, c, pub, nil, now)) }()
	body, bw := io.Pipe()
	holder := make(chan []byte, 1)
	go func() {
		packet, err := pgp.SealShared(bw, plain, name, s.key.Public(), s.key)
		plain.CloseWithError(err)
		holder <- packet
		bw.CloseWithError(err)
	}()
	ref, err := s.blobs.Put(body)
	body.CloseWithError(err)
	packet := <-holder
	if err != nil {
		return market.SharedSeal{}, err
	}
	return s.store.RecordSharedSeal(ctx, market.SharedSeal{CertificateID: src.CertificateID, ReleaseSHA256: src.ArtifactSHA,
		SignerFpr: s.key.Fingerprint(), BlobSHA256: ref.SHA256, SizeBytes: ref.Size, SessionPacket: packet, CreatedAt: now})
}

// sharedMessage streams the buyer's armored message: their session key
// packet followed by the shared body rc, which it closes.
func sharedMessage(packet []byte, rc io.ReadCloser) io.ReadCloser {
	pr, pw := io.Pipe()
	go func() {
		_, err := pgp.ArmorMessage(pw, packet, rc)
		rc.Close()
		pw.CloseWithError(err)
	}()
	return pr
}
