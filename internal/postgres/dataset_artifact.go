package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

const artifactColumns = `id, party_id, dataset_id, job_id, name, format, sha256, size_bytes, report, created_at`

const insertArtifact = `INSERT INTO artifacts (` + artifactColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`

func createArtifact(ctx context.Context, db DB, a *market.Artifact) error {
	_, err := db.Exec(ctx, insertArtifact, a.ID, a.PartyID, a.DatasetID, a.JobID, a.Name, a.Format, a.SHA256,
		a.SizeBytes, a.Report, a.CreatedAt)
	return translate(err)
}

const certificateColumns = `id, party_id, dataset_id, artifact_id, body, signature, passed, level, created_at`

const insertCertificate = `INSERT INTO certificates (` + certificateColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`

func createCertificate(ctx context.Context, db DB, c *market.Certificate) error {
	_, err := db.Exec(ctx, insertCertificate, c.ID, c.PartyID, c.DatasetID, c.ArtifactID, c.Body, c.Signature,
		c.Passed, c.Level, c.CreatedAt)
	return translate(err)
}

// Artifact returns released artifact id, or ErrNotFound when there is
// none. Who may see it is checked by
// market.Datasets.Artifact.
func (s *DatasetStore) Artifact(ctx context.Context, id uuid.UUID) (*market.Artifact, error) {
	var a market.Artifact
	err := s.db.QueryRow(ctx, `SELECT `+artifactColumns+` FROM artifacts WHERE id = $1`, id).Scan(
		&a.ID, &a.PartyID, &a.DatasetID, &a.JobID, &a.Name, &a.Format, &a.SHA256, &a.SizeBytes, &a.Report, &a.CreatedAt)
	err = translate(err)
	if err != nil {
		return nil, fmt.Errorf("artifact %s: %w", id, err)
	}
	return &a, nil
}

func scanCertificate(row pgx.Row) (*market.Certificate, error) {
	var c market.Certificate
	err := row.Scan(&c.ID, &c.PartyID, &c.DatasetID, &c.ArtifactID, &c.Body, &c.Signature, &c.Passed, &c.Level, &c.CreatedAt)
	if err != nil {
		return nil, translate(err)
	}
	return &c, nil
}

// Certificate returns de-identification certificate id with its signed
// body and detached signature, or ErrNotFound when there is none. Who may see it is checked
// by market.Datasets.Certificate.
func (s *DatasetStore) Certificate(ctx context.Context, id uuid.UUID) (*market.Certificate, error) {
	c, err := scanCertificate(s.db.QueryRow(ctx, `SELECT `+certificateColumns+` FROM certificates WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", id, err)
	}
	return c, nil
}

// CertificateListed reports whether certificate id is the certificate of
// a product in the catalog (state listed).
func (s *DatasetStore) CertificateListed(ctx context.Context, id uuid.UUID) (bool, error) {
	var listed bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM listings
WHERE certificate_id = $1 AND state = 'listed')`, id).Scan(&listed)
	if err != nil {
		return false, fmt.Errorf("certificate %s listed: %w", id, translate(err))
	}
	return listed, nil
}

// certificateOf returns certificate id of party for the Art. 36 gate;
// ErrNotFound when there is none of that party.
func certificateOf(ctx context.Context, db DB, party market.PartyID, id uuid.UUID) (*market.Certificate, error) {
	return scanCertificate(db.QueryRow(ctx, `SELECT `+certificateColumns+` FROM certificates
WHERE id = $1 AND party_id = $2`, id, party))
}
