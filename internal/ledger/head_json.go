package ledger

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
)

// headJSON is the wire form of a Head: the same text the signature covers,
// field for field — root_hash in standard base64, signed_at with exactly six
// fractional digits (TimeFormat) — so that an auditor who copies the JSON
// values into Message's template gets the signed bytes.
type headJSON struct {
	Size           uint64 `json:"tree_size"`
	Root           string `json:"root_hash"`
	Time           string `json:"signed_at"`
	KeyFingerprint string `json:"key_fingerprint"`
	Signature      string `json:"signature"`
}

// MarshalJSON writes h with signed_at in TimeFormat (fixed six fractional
// digits, as in Message) and root_hash in standard base64.
func (h Head) MarshalJSON() ([]byte, error) {
	return json.Marshal(headJSON{
		Size: h.Size, Root: base64.StdEncoding.EncodeToString(h.Root),
		Time: h.Time.UTC().Truncate(time.Microsecond).Format(TimeFormat), KeyFingerprint: h.KeyFingerprint, Signature: h.Signature,
	})
}

// UnmarshalJSON reads a head written by MarshalJSON. It also accepts
// signed_at with fewer fractional digits (RFC 3339), as older servers wrote
// it. It returns an error naming the field that does not parse.
func (h *Head) UnmarshalJSON(b []byte) error {
	var w headJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("tree head: %w", err)
	}
	root, err := base64.StdEncoding.DecodeString(w.Root)
	if err != nil || len(root) != 32 {
		return fmt.Errorf("tree head: root_hash %q is not the base64 of 32 bytes", w.Root)
	}
	t, err := time.Parse(time.RFC3339Nano, w.Time)
	if err != nil {
		return fmt.Errorf("tree head: signed_at %q is not a UTC time such as 2026-11-23T18:00:00.000000Z", w.Time)
	}
	*h = Head{Size: w.Size, Root: root, Time: t.UTC(), KeyFingerprint: w.KeyFingerprint, Signature: w.Signature}
	return nil
}
