package delivery

import (
	"archive/tar"
	"context"
	"encoding/json"
	"fmt"
	"path"

	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// CopyMarker makes and records an order's fingerprinted copy of its
// certified release (trace.Service, docs/fingerprint.md).
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

// markCopy makes the order's fingerprinted copy when the platform marks
// copies (nil, nil otherwise: the certified release is delivered as is).
func (s *Service) markCopy(ctx context.Context, src market.DeliverySource) (*markedCopy, error) {
	if s.copies == nil {
		return nil, nil
	}
	data, rec, err := s.copies.Mark(ctx, trace.CopySource{OrderID: src.Order.ID, ListingID: src.Order.ListingID, BuyerID: src.Order.BuyerID,
		CertificateID: src.CertificateID, Certificate: src.Certificate, ReleaseName: src.ArtifactName, ReleaseSHA256: src.ArtifactSHA})
	if err != nil {
		return nil, err
	}
	man, err := json.MarshalIndent(trace.NewManifest(rec), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("copy manifest of order %s: %w", src.Order.ID, err)
	}
	return &markedCopy{data: data, rec: rec, manifest: append(man, '\n')}, nil
}

// writeMarked writes the marked copy under the release's name and its
// manifest to tw.
func writeMarked(tw *tar.Writer, src market.DeliverySource, marked *markedCopy) error {
	mod := src.Order.CreatedAt
	for _, f := range []struct {
		name string
		data []byte
	}{{path.Base(src.ArtifactName), marked.data}, {trace.ManifestName, marked.manifest}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), ModTime: mod}); err != nil {
			return err
		}
		if _, err := tw.Write(f.data); err != nil {
			return err
		}
	}
	return nil
}

// contents lists the files of a delivery archive.
func contents(release string, marked bool) []string {
	out := []string{release}
	if marked {
		out = append(out, trace.ManifestName)
	}
	return append(out, Files...)
}

// verifyHint tells the buyer how to check the delivery offline. A
// fingerprinted copy is checked by open-delivery against its manifest (the
// certificate covers the release the copy was made from).
func verifyHint(release string, marked bool) string {
	if marked {
		return "shujiao open-delivery order.tar.asc --key YOUR-SECRET-KEY.asc --out DIR (checks the platform signature, the certificate, " +
			"and that " + release + " is the copy " + trace.ManifestName + " names, made from the certified release)"
	}
	return "gpg --decrypt order.tar.asc > order.tar && tar xf order.tar && shujiao verify-certificate certificate.json " +
		"--signature certificate.json.asc --release " + release + " --key platform-key.asc"
}
