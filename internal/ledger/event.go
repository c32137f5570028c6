package ledger

import (
	"bytes"
	"encoding/json"
	"regexp"

	"github.com/shujiao/shujiao/market"
)

// kindPattern is a stable dotted event name: "order.paid", "flag.raised".
var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// ValidateEvent returns an ErrInvalid *market.Error when ev cannot be
// appended: a kind that is not a dotted lower-case name, or a payload that
// is not a JSON object (an empty payload is allowed and stored as {}).
func ValidateEvent(ev market.LedgerEvent) error {
	if !kindPattern.MatchString(ev.Kind) {
		return market.Invalid("kind", "invalid_ledger_kind",
			"ledger event kind %q: want a dotted lower-case name such as order.paid", ev.Kind)
	}
	if len(ev.Payload) == 0 {
		return nil
	}
	// a JSON object: valid JSON whose first token is '{' (checked without
	// decoding it into a map: this runs for every event appended)
	if p := bytes.TrimLeft(ev.Payload, " \t\r\n"); len(p) == 0 || p[0] != '{' || !json.Valid(p) {
		return market.Invalid("payload", "invalid_ledger_payload",
			"ledger event %s: the payload must be a JSON object", ev.Kind)
	}
	return nil
}
