package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

const selectSharedSeal = `SELECT certificate_id, release_sha256, signer_fpr, blob_sha256, size_bytes, session_packet, created_at
FROM shared_seals WHERE certificate_id = $1 AND release_sha256 = $2 AND signer_fpr = $3`

// SharedSeal returns the release sealed once under certificate cert by
// signer; found is false when it was never sealed so.
func (s *DeliveryStore) SharedSeal(ctx context.Context, cert uuid.UUID, release, signer string) (market.SharedSeal, bool, error) {
	var sh market.SharedSeal
	err := s.db.QueryRow(ctx, selectSharedSeal, cert, release, signer).Scan(&sh.CertificateID, &sh.ReleaseSHA256, &sh.SignerFpr,
		&sh.BlobSHA256, &sh.SizeBytes, &sh.SessionPacket, &sh.CreatedAt)
	if err = translate(err); isNotFound(err) {
		return market.SharedSeal{}, false, nil
	}
	if err != nil {
		return market.SharedSeal{}, false, fmt.Errorf("shared seal of certificate %s: %w", cert, err)
	}
	sh.CreatedAt = sh.CreatedAt.UTC()
	return sh, true, nil
}

// RecordSharedSeal stores sh unless the same release was sealed so
// meanwhile (two buyers at once), and returns the one stored: the first.
func (s *DeliveryStore) RecordSharedSeal(ctx context.Context, sh market.SharedSeal) (market.SharedSeal, error) {
	_, err := s.db.Exec(ctx, `INSERT INTO shared_seals (certificate_id, release_sha256, signer_fpr, blob_sha256, size_bytes, session_packet, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		sh.CertificateID, sh.ReleaseSHA256, sh.SignerFpr, sh.BlobSHA256, sh.SizeBytes, sh.SessionPacket, sh.CreatedAt.UTC())
	if err != nil {
		return market.SharedSeal{}, fmt.Errorf("record shared seal of certificate %s: %w", sh.CertificateID, translate(err))
	}
	stored, _, err := s.SharedSeal(ctx, sh.CertificateID, sh.ReleaseSHA256, sh.SignerFpr)
	return stored, err
}
