package ledger

import (
	"errors"
	"testing"

	"github.com/shujiao/shujiao/market"
)

// TestValidateEvent_acceptsOnlyAnObjectPayload: a payload is appended when
// it is empty or a JSON object, never null, an array, a scalar or text
// that is not JSON.
func TestValidateEvent_acceptsOnlyAnObjectPayload(t *testing.T) {
	for _, c := range []struct {
		name    string
		kind    string
		payload string
		ok      bool
	}{
		{"an object is appended", "order.paid", `{"amount":"1.00","ids":[1,2]}`, true},
		{"an empty object is appended", "order.paid", `{}`, true},
		{"an object after white space is appended", "order.paid", " \n\t{\"a\":{}}\n", true},
		{"an empty payload is appended", "order.paid", ``, true},
		{"null is refused", "order.paid", `null`, false},
		{"an array is refused", "order.paid", `[{}]`, false},
		{"a string is refused", "order.paid", `"{}"`, false},
		{"a truncated object is refused", "order.paid", `{"a":1`, false},
		{"an object followed by text is refused", "order.paid", `{"a":1} x`, false},
		{"two objects are refused", "order.paid", `{}{}`, false},
		{"a kind without a dot is refused", "paid", `{}`, false},
		{"an upper-case kind is refused", "Order.paid", `{}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateEvent(market.LedgerEvent{Kind: c.kind, Payload: []byte(c.payload)})
			if got := err == nil; got != c.ok {
				t.Fatalf("ValidateEvent(%q, %q) = %v, want ok %t", c.kind, c.payload, err, c.ok)
			}
			if err != nil && !errors.Is(err, market.ErrInvalid) {
				t.Errorf("error %v is not market.ErrInvalid", err)
			}
		})
	}
}
