package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/transparency-dev/merkle/rfc6962"
)

// LeafVersion is the version of the leaf encoding, written into every leaf.
const LeafVersion = 1

// Entry is one stored ledger entry as the tree sees it: the event and the
// identity the store gave it.
type Entry struct {
	ID        uuid.UUID       `json:"id"`
	Seq       int64           `json:"seq"`
	Kind      string          `json:"kind"`
	PartyID   uuid.UUID       `json:"party_id"`
	SubjectID uuid.UUID       `json:"subject_id"`
	Payload   json.RawMessage `json:"payload"`
	At        time.Time       `json:"at"`
}

// leaf is the canonical encoding of an entry at a position in the tree. The
// field order is fixed by the struct; binding the leaf index makes a moved
// entry a changed leaf.
type leaf struct {
	V         int             `json:"v"`
	Index     uint64          `json:"leaf_index"`
	ID        uuid.UUID       `json:"id"`
	Seq       int64           `json:"seq"`
	Kind      string          `json:"kind"`
	PartyID   uuid.UUID       `json:"party_id"`
	SubjectID uuid.UUID       `json:"subject_id"`
	At        string          `json:"at"`
	Payload   json.RawMessage `json:"payload"`
}

// TimeFormat is how a leaf writes an entry's time: UTC, microseconds (the
// precision PostgreSQL keeps).
const TimeFormat = "2006-01-02T15:04:05.000000Z"

// LeafData returns the bytes hashed into the tree for entry e at leaf index
// i: compact JSON {"v":1,"leaf_index":i,"id":…,"seq":…,"kind":…,
// "party_id":…,"subject_id":…,"at":…,"payload":…} with the fields in that
// order. It returns an error only when the payload is not valid JSON.
func LeafData(e Entry, i uint64) ([]byte, error) {
	payload := e.Payload
	if len(payload) == 0 {
		payload = json.RawMessage("{}")
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, payload); err != nil {
		return nil, fmt.Errorf("ledger entry %s: payload is not valid JSON: %w", e.ID, err)
	}
	l := leaf{
		V: LeafVersion, Index: i, ID: e.ID, Seq: e.Seq, Kind: e.Kind,
		PartyID: e.PartyID, SubjectID: e.SubjectID,
		At:      e.At.UTC().Truncate(time.Microsecond).Format(TimeFormat),
		Payload: compact.Bytes(),
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(l); err != nil {
		return nil, fmt.Errorf("ledger entry %s: encode leaf: %w", e.ID, err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// LeafHash returns the RFC 6962 leaf hash (SHA-256 of 0x00 ‖ LeafData) of
// entry e at leaf index i.
func LeafHash(e Entry, i uint64) ([]byte, error) {
	data, err := LeafData(e, i)
	if err != nil {
		return nil, err
	}
	return rfc6962.DefaultHasher.HashLeaf(data), nil
}
