package ledger

// PublicEntry is what anyone may read of a ledger entry, without an
// account: where it sits in the tree, its leaf hash (to check proofs
// against), what kind of event it is and when it happened. The entry's
// parties, subject and payload stay behind authorization; the leaf hash
// commits to them without revealing them (docs/ledger.md).
type PublicEntry struct {
	LeafIndex uint64 `json:"leaf_index"`
	LeafHash  []byte `json:"leaf_hash"` // 32 bytes, standard base64 in JSON, as root_hash
	Kind      string `json:"kind"`
	// At is the event's time in TimeFormat, as the leaf encodes it.
	At string `json:"at"`
}

// MaxPublicEntries is how many entries one public entries request returns
// at most (RFC 6962 §4.6 lets a log cap the range).
const MaxPublicEntries = 1000
