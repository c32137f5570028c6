package postgres

import (
	"context"
	"errors"

	"github.com/shujiao/shujiao/market"
)

// certificateAsProof reads the artifact certificate c was issued for and
// lets market.CertificateOnRecord judge, with v (the platform's public
// key) verifying c's signature, whether c proves that artifact
// passed the gate. A certificate that does not is returned as one that
// counts for nothing, with its reason (the gate blocks with it); only a
// storage failure is an error.
func certificateAsProof(ctx context.Context, db DB, v market.SignatureVerifier, c *market.Certificate) (*market.CertificateGate, error) {
	var d market.ArtifactDigest
	if err := db.QueryRow(ctx, `SELECT sha256, size_bytes FROM artifacts WHERE id = $1`, c.ArtifactID).Scan(&d.SHA256, &d.Bytes); err != nil {
		return nil, translate(err)
	}
	g, err := market.CertificateOnRecord(v, c, d)
	var refused *market.Error
	if err != nil && !errors.As(err, &refused) {
		return nil, err
	}
	return g, nil
}
