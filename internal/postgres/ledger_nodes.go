package postgres

import (
	"context"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
)

// selectNodeHashes returns, for each requested (level, idx) in order, the
// stored hash: level 0 from ledger_leaves, higher levels from ledger_nodes;
// NULL when the node is not stored.
const selectNodeHashes = `
SELECT q.ord, coalesce(n.hash, l.leaf_hash)
FROM unnest($1::int[], $2::bigint[]) WITH ORDINALITY AS q(level, idx, ord)
LEFT JOIN ledger_nodes n ON q.level > 0 AND n.level = q.level AND n.idx = q.idx
LEFT JOIN ledger_leaves l ON q.level = 0 AND l.leaf_index = q.idx
ORDER BY q.ord`

// loadNodeHashes returns the stored hashes of ids, in order. It returns an
// error naming the first node that is not stored.
func loadNodeHashes(ctx context.Context, db DB, ids []compact.NodeID) ([][]byte, error) {
	if len(ids) == 0 {
		return [][]byte{}, nil
	}
	levels := make([]int32, len(ids))
	idxs := make([]int64, len(ids))
	for i, id := range ids {
		levels[i], idxs[i] = int32(id.Level), int64(id.Index)
	}
	rows, err := db.Query(ctx, selectNodeHashes, levels, idxs)
	if err != nil {
		return nil, fmt.Errorf("load tree nodes: %w", err)
	}
	defer rows.Close()
	hashes := make([][]byte, 0, len(ids))
	for rows.Next() {
		var ord int64
		var h []byte
		if err := rows.Scan(&ord, &h); err != nil {
			return nil, fmt.Errorf("load tree nodes: %w", err)
		}
		if h == nil {
			id := ids[ord-1]
			return nil, fmt.Errorf("load tree nodes: node (level %d, index %d) is not stored", id.Level, id.Index)
		}
		hashes = append(hashes, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load tree nodes: %w", err)
	}
	return hashes, nil
}
