package postgres

import (
	"errors"

	"github.com/shujiao/shujiao/market"
)

// certificateProof lets market.CertificateOnRecord judge whether c, whose
// artifact has digest d, proves that artifact passed the gate; a
// certificate that does not counts for nothing, with its reason.
func certificateProof(v market.SignatureVerifier, c *market.Certificate, d market.ArtifactDigest) (*market.CertificateGate, error) {
	g, err := market.CertificateOnRecord(v, c, d)
	var refused *market.Error
	if err != nil && !errors.As(err, &refused) {
		return nil, err
	}
	return g, nil
}
