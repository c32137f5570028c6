package httpapi

import (
	"bytes"
	"encoding/json"

	"github.com/shujiao/shujiao/market"
)

// mergePatch applies the JSON merge patch (RFC 7396) patch to the object
// doc: null removes a key, an object merges recursively, anything else
// replaces.
func mergePatch(doc, patch map[string]json.RawMessage) (map[string]json.RawMessage, error) {
	if doc == nil {
		doc = map[string]json.RawMessage{}
	}
	for k, pv := range patch {
		pv = bytes.TrimSpace(pv)
		switch {
		case string(pv) == "null":
			delete(doc, k)
		case len(pv) > 0 && pv[0] == '{':
			var sub map[string]json.RawMessage
			if err := json.Unmarshal(pv, &sub); err != nil {
				return nil, market.Invalid(k, "invalid_json", "%s: malformed JSON object", k)
			}
			var cur map[string]json.RawMessage
			if dv, ok := doc[k]; ok {
				_ = json.Unmarshal(dv, &cur) // not an object: replaced whole
			}
			merged, err := mergePatch(cur, sub)
			if err != nil {
				return nil, err
			}
			b, err := json.Marshal(merged)
			if err != nil {
				return nil, err
			}
			doc[k] = b
		default:
			doc[k] = pv
		}
	}
	return doc, nil
}
