// Package ledger holds the rules of Shujiao's tamper-evident transaction
// ledger, independent of storage: how a market event becomes a leaf of an
// RFC 6962 Merkle tree (LeafData, LeafHash), the text a signed tree head
// signs (Head.Message), compact-range bookkeeping for the tree (Tree), and
// the verification that recomputes every leaf and every signed head from
// the stored rows and names the first bad entry (Verify).
//
// Shaanxi Art. 74 and 75 penalties are computed from trade amounts and
// illegal gains, so the trade record must be complete and provably
// untouched: a row changed, removed, added or moved after the fact changes
// a leaf hash or a root that the platform key has signed.
//
// Hashing and proofs are github.com/transparency-dev/merkle (rfc6962,
// compact, proof); nothing here re-implements them.
package ledger
