package delivery

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"

	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// CopyMarker makes and records an order's fingerprinted copy of its
// certified release (trace.Service, docs/fingerprint.md). Mark returns the
// copy's bytes and its record, whose CopySHA256 and CopySize are those
// bytes' (the delivery records them as the delivered file's).
type CopyMarker interface {
	Mark(ctx context.Context, src trace.CopySource) ([]byte, market.DeliveryCopy, error)
	Record(ctx context.Context, rec market.DeliveryCopy) error
}

var _ CopyMarker = (*trace.Service)(nil)

// WithCopies makes s deliver every order its own fingerprinted copy,
// marked and recorded by m, and returns s. Call it while wiring, before s
// is used.
func (s *Service) WithCopies(m CopyMarker) *Service {
	s.copies = m
	return s
}

// markedCopy is the order's fingerprinted copy and its manifest.
type markedCopy struct {
	data     []byte
	rec      market.DeliveryCopy
	manifest []byte
}

// markCopy makes the order's fingerprinted copy of c, the content chosen
// for it (the release itself, or the rows the order bought), when the
// platform marks copies (nil, nil otherwise: c is delivered as is).
func (s *Service) markCopy(ctx context.Context, src market.DeliverySource, c content) (*markedCopy, error) {
	if s.copies == nil {
		return nil, nil
	}
	cs := trace.CopySource{OrderID: src.Order.ID, ListingID: src.Order.ListingID, BuyerID: src.Order.BuyerID,
		CertificateID: src.CertificateID, Certificate: src.Certificate, ReleaseName: src.ArtifactName, ReleaseSHA256: src.ArtifactSHA}
	if c.Selection != market.SelectWholeRelease {
		// the rows chosen are in memory (selectContent): marked as they are
		cs.Data = c.data
	}
	data, rec, err := s.copies.Mark(ctx, cs)
	if err != nil {
		return nil, err
	}
	man, err := json.MarshalIndent(trace.NewManifest(rec), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("copy manifest of order %s: %w", src.Order.ID, err)
	}
	return &markedCopy{data: data, rec: rec, manifest: append(man, '\n')}, nil
}

// content returns c with the marked copy as its bytes: the delivered
// file, whose SHA-256 the delivery records (the copy's record has it:
// trace.Service.Mark hashed the copy it made).
func (m *markedCopy) content(c content) content {
	c.SHA256, c.size, c.data = m.rec.CopySHA256, int64(len(m.data)), m.data
	c.open = c.openData
	return c
}

// writeManifest writes the copy's manifest (trace.ManifestName), which
// names its order and the certified release it was made from.
func writeManifest(tw *tar.Writer, src market.DeliverySource, marked *markedCopy) error {
	if err := tw.WriteHeader(&tar.Header{Name: trace.ManifestName, Mode: 0o644, Size: int64(len(marked.manifest)), ModTime: src.Order.CreatedAt}); err != nil {
		return err
	}
	_, err := tw.Write(marked.manifest)
	return err
}

// contents lists the files of a delivery archive of file, chosen by
// selection, marked or not.
func contents(file string, selection market.Selection, marked bool) []string {
	out := []string{file}
	if marked && selection == market.SelectWholeRelease {
		out = append(out, trace.ManifestName)
	}
	out = append(out, Files...)
	if selection != market.SelectWholeRelease {
		out = append(out, ContentFile)
	}
	return out
}

// verifyHint tells the buyer how to check the delivery offline. A
// fingerprinted copy is checked by open-delivery against its manifest (the
// certificate covers the release the copy was made from); chosen rows
// against content.json.
func verifyHint(release string, dc market.DeliveredContent, marked bool) string {
	switch {
	case dc.Selection != market.SelectWholeRelease:
		return "shujiao open-delivery order.tar.asc --key YOUR-SECRET-KEY.asc --signer platform-key.asc --out order " +
			"(checks that " + dc.File + " has content.json's content_sha256 and that its release_sha256 is the certified release)"
	case marked:
		return "shujiao open-delivery order.tar.asc --key YOUR-SECRET-KEY.asc --out DIR (checks the platform signature, the certificate, " +
			"and that " + release + " is the copy " + trace.ManifestName + " names, made from the certified release)"
	}
	return "gpg --decrypt order.tar.asc > order.tar && tar xf order.tar && shujiao verify-certificate certificate.json " +
		"--signature certificate.json.asc --release " + release + " --key platform-key.asc"
}
