package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// selectBlobRefs lists every blob a record references: uploaded datasets,
// de-identified releases (artifacts) and sealed deliveries.
const selectBlobRefs = `
SELECT sha256 FROM datasets
UNION SELECT sha256 FROM artifacts
UNION SELECT blob_sha256 FROM deliveries
UNION SELECT blob_sha256 FROM shared_seals`

// BlobReferences returns the names of every blob a row references, for
// the blob store's collector. It returns the wrapped database error.
func BlobReferences(ctx context.Context, db DB) (map[string]bool, error) {
	rows, err := db.Query(ctx, selectBlobRefs)
	if err != nil {
		return nil, fmt.Errorf("blob references: %w", err)
	}
	sums, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("blob references: %w", err)
	}
	refs := make(map[string]bool, len(sums))
	for _, s := range sums {
		refs[s] = true
	}
	return refs, nil
}
