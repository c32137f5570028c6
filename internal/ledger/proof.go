package ledger

import "github.com/google/uuid"

// InclusionProof proves that an entry is leaf LeafIndex of the tree of
// Head.Size leaves whose root the platform key signed in Head.
type InclusionProof struct {
	EntryID   uuid.UUID `json:"entry_id"`
	LeafIndex uint64    `json:"leaf_index"`
	TreeSize  uint64    `json:"tree_size"`
	LeafHash  []byte    `json:"leaf_hash"`
	Hashes    [][]byte  `json:"hashes"`
	Head      Head      `json:"head"`
}

// ConsistencyProof proves that the tree of From leaves is a prefix of the
// tree of To leaves.
type ConsistencyProof struct {
	From     uint64   `json:"from"`
	To       uint64   `json:"to"`
	FromRoot []byte   `json:"from_root"`
	ToRoot   []byte   `json:"to_root"`
	Hashes   [][]byte `json:"hashes"`
	// FromHead and ToHead are the signed heads at those sizes, when signed.
	FromHead *Head `json:"from_head,omitempty"`
	ToHead   *Head `json:"to_head,omitempty"`
}
