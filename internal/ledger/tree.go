package ledger

import (
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
)

// rangeFactory builds compact ranges with RFC 6962 SHA-256 node hashing.
var rangeFactory = &compact.RangeFactory{Hash: rfc6962.DefaultHasher.HashChildren}

// Node is the root hash of a perfect subtree: level 0 is a leaf, level l
// covers leaves [Index·2^l, (Index+1)·2^l).
type Node struct {
	Level uint
	Index uint64
	Hash  []byte
}

// Tree is the right border of a Merkle tree of Size leaves (a compact
// range), enough to append leaves and compute the root. It is not safe for
// concurrent use.
type Tree struct {
	r *compact.Range
}

// NewTree returns an empty tree.
func NewTree() *Tree { return &Tree{r: rangeFactory.NewEmptyRange(0)} }

// BorderIDs returns the IDs of the perfect subtrees whose hashes LoadTree
// needs for a tree of size leaves, left to right.
func BorderIDs(size uint64) []compact.NodeID { return compact.RangeNodes(0, size, nil) }

// LoadTree returns the tree of size leaves from the hashes of BorderIDs(size),
// in that order. It returns an error when the number of hashes is wrong.
func LoadTree(size uint64, hashes [][]byte) (*Tree, error) {
	r, err := rangeFactory.NewRange(0, size, hashes)
	if err != nil {
		return nil, fmt.Errorf("load tree of size %d: %w", size, err)
	}
	return &Tree{r: r}, nil
}

// Size returns the number of leaves.
func (t *Tree) Size() uint64 { return t.r.End() }

// Append adds a leaf hash and returns the perfect-subtree nodes it completed
// above the leaves (level ≥ 1), which a store keeps for proofs.
func (t *Tree) Append(leafHash []byte) ([]Node, error) {
	var nodes []Node
	err := t.r.Append(leafHash, func(id compact.NodeID, h []byte) {
		if id.Level > 0 {
			nodes = append(nodes, Node{Level: id.Level, Index: id.Index, Hash: h})
		}
	})
	if err != nil {
		return nil, fmt.Errorf("append leaf %d: %w", t.r.End(), err)
	}
	return nodes, nil
}

// Root returns the root hash (the RFC 6962 hash of the empty string for an
// empty tree).
func (t *Tree) Root() []byte {
	if t.r.End() == 0 {
		return rfc6962.DefaultHasher.EmptyRoot()
	}
	root, err := t.r.GetRootHash(nil)
	if err != nil { // only for a range not starting at 0, which a Tree never is
		panic(fmt.Sprintf("ledger: root of tree: %v", err))
	}
	return root
}

// ProofNodes says which stored nodes an inclusion or consistency proof
// needs and how to fold them into the proof.
type ProofNodes = proof.Nodes

// InclusionNodes returns the nodes for an inclusion proof of leaf index in a
// tree of size leaves; it returns an error unless index < size.
func InclusionNodes(index, size uint64) (ProofNodes, error) { return proof.Inclusion(index, size) }

// ConsistencyNodes returns the nodes for a consistency proof from size1 to
// size2; it returns an error unless size1 ≤ size2.
func ConsistencyNodes(size1, size2 uint64) (ProofNodes, error) {
	return proof.Consistency(size1, size2)
}

// FoldProof turns the hashes of n.IDs (in order) into the proof.
func FoldProof(n ProofNodes, hashes [][]byte) ([][]byte, error) {
	return n.Rehash(hashes, rfc6962.DefaultHasher.HashChildren)
}

// VerifyInclusion checks an inclusion proof of leafHash at index in the
// tree of size leaves with the given root.
func VerifyInclusion(index, size uint64, leafHash []byte, p [][]byte, root []byte) error {
	return proof.VerifyInclusion(rfc6962.DefaultHasher, index, size, leafHash, p, root)
}

// VerifyConsistency checks a consistency proof between two roots.
func VerifyConsistency(size1, size2 uint64, p [][]byte, root1, root2 []byte) error {
	return proof.VerifyConsistency(rfc6962.DefaultHasher, size1, size2, p, root1, root2)
}
