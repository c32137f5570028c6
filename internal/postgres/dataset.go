package postgres

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// DatasetStore keeps uploaded datasets, released artifacts and
// de-identification certificates (their files live in the blob store). It
// is safe for concurrent use.
type DatasetStore struct {
	db DB
}

// NewDatasetStore returns a dataset store over db (a pool or a transaction).
func NewDatasetStore(db DB) *DatasetStore { return &DatasetStore{db: db} }

const insertDataset = `
INSERT INTO datasets (id, party_id, uploaded_by, name, format, sha256, size_bytes, row_count, columns, detection, created_at, content_scan)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`

// CreateDataset stores d. It returns ErrNotFound when the party or user
// does not exist, ErrInvalid when a field breaks a constraint.
func (s *DatasetStore) CreateDataset(ctx context.Context, d *market.Dataset) error {
	_, err := s.db.Exec(ctx, insertDataset, d.ID, d.PartyID, d.UploadedBy, d.Name, d.Format, d.SHA256,
		d.SizeBytes, d.Rows, d.Columns, d.Detection, d.CreatedAt, d.ContentScan)
	if err != nil {
		return fmt.Errorf("create dataset %s: %w", d.Name, translate(err))
	}
	return nil
}

// SetContentScan replaces the content scan of dataset id (its values
// scanned again under the rule set in force). It returns ErrNotFound when
// there is no such dataset.
func (s *DatasetStore) SetContentScan(ctx context.Context, id uuid.UUID, scan *market.ContentScan) error {
	tag, err := s.db.Exec(ctx, `UPDATE datasets SET content_scan = $2 WHERE id = $1`, id, scan)
	if err != nil {
		return fmt.Errorf("content scan of dataset %s: %w", id, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("content scan of dataset %s: %w", id, market.ErrNotFound)
	}
	return nil
}

const datasetColumns = `id, party_id, uploaded_by, name, format, sha256, size_bytes, row_count, columns, detection, created_at, content_scan`

func scanDataset(row pgx.Row) (*market.Dataset, error) {
	var d market.Dataset
	err := row.Scan(&d.ID, &d.PartyID, &d.UploadedBy, &d.Name, &d.Format, &d.SHA256, &d.SizeBytes, &d.Rows,
		&d.Columns, &d.Detection, &d.CreatedAt, &d.ContentScan)
	if err != nil {
		return nil, translate(err)
	}
	return &d, nil
}

// Dataset returns dataset id, or ErrNotFound when there is none. Who may see it is checked by market.Datasets.Get.
func (s *DatasetStore) Dataset(ctx context.Context, id uuid.UUID) (*market.Dataset, error) {
	d, err := scanDataset(s.db.QueryRow(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE id = $1`, id))
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", id, err)
	}
	return d, nil
}

// Datasets returns the datasets of party, newest first, at most limit.
func (s *DatasetStore) Datasets(ctx context.Context, party market.PartyID, limit int) ([]*market.Dataset, error) {
	rows, err := s.db.Query(ctx, `SELECT `+datasetColumns+` FROM datasets WHERE party_id = $1
ORDER BY created_at DESC, id DESC LIMIT $2`, party, limit)
	if err != nil {
		return nil, fmt.Errorf("datasets of %s: %w", party, translate(err))
	}
	defer rows.Close()
	var out []*market.Dataset
	for rows.Next() {
		d, err := scanDataset(rows)
		if err != nil {
			return nil, fmt.Errorf("datasets of %s: %w", party, err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("datasets of %s: %w", party, translate(err))
	}
	return out, nil
}

// DatasetBlobInUse reports whether any dataset or artifact row references
// the blob sha256 (a failed upload deletes its blob only when none does).
func (s *DatasetStore) DatasetBlobInUse(ctx context.Context, sha256 string) (bool, error) {
	var used bool
	err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM datasets WHERE sha256 = $1)
OR EXISTS (SELECT 1 FROM artifacts WHERE sha256 = $1)`, sha256).Scan(&used)
	if err != nil {
		return false, fmt.Errorf("blob %s in use: %w", sha256, translate(err))
	}
	return used, nil
}

// notFound returns the ErrNotFound *Error for a thing the caller may not see.
func notFound(what string, id uuid.UUID) error {
	return market.Errorf(market.ErrNotFound, what+"_not_found", "no %s %s", what, id)
}
