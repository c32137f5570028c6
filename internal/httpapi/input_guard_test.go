package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// TestBadInput_IsA400NamingTheField: input that reached PostgreSQL or a
// decimal parser and came back as a 500 (a NUL byte in any text or query,
// an overflowing number, page and version past their integer types) or as
// a parser's own message is now a 400 problem with a code and the field at
// fault, in our words. Each case answered 500 (or quoted "can't convert")
// before.
func TestBadInput_IsA400NamingTheField(t *testing.T) {
	t.Parallel()
	w := mustLedgerWorld(t)
	listing := uuid.NewString()
	for _, tc := range []struct {
		name, method, path, body, token string
		code, field                     string
	}{
		{"a NUL in a public query", "GET", "/v1/catalog?q=ab%00cd", "", "", "invalid_text", "q"},
		{"a NUL in a query name", "GET", "/v1/catalog?a%00=1", "", "", "invalid_text", "query"},
		{"invalid UTF-8 in a query", "GET", "/v1/ledger/entries?kind=%ff%fe", "", "tokBuyer", "invalid_text", "kind"},
		{"a NUL in the path", "GET", "/v1/orders/ab%00cd", "", "tokBuyer", "invalid_text", "path"},
		{"a NUL in a JSON string", "POST", "/v1/accounts/deposits", `{"amount": "1.00", "reference": "A\u0000B"}`, "tokBuyer", "invalid_text", "reference"},
		{"a NUL in a JSON key", "POST", "/v1/accounts/deposits", `{"amount": "1.00", "ref\u0000": "x"}`, "tokBuyer", "invalid_text", "body"},
		{"a NUL in a nested string", "POST", "/v1/listings/" + listing + "/quotes", `{"security": {"delivery_mode": "api\u0000"}, "cost": {"volume": "1"}}`, "tokBuyer", "invalid_text", "security.delivery_mode"},
		{"a volume with a huge exponent", "POST", "/v1/listings/" + listing + "/quotes", `{"cost": {"volume": "1e999999999"}}`, "tokBuyer", "number_out_of_range", "cost.volume"},
		{"a volume of 60 digits", "POST", "/v1/listings/" + listing + "/quotes", `{"cost": {"volume": 123456789012345678901234567890123456789012345678901234567890}}`, "tokBuyer", "number_out_of_range", "cost.volume"},
		{"a volume that is no number", "POST", "/v1/listings/" + listing + "/quotes", `{"cost": {"volume": "abc"}}`, "tokBuyer", "invalid_value", "cost.volume"},
		{"a deposit of 10^18 yuan", "POST", "/v1/accounts/deposits", `{"amount": "1000000000000000000.00", "reference": "HUGE-1"}`, "tokBuyer", "invalid_value", "amount"},
		{"a deposit over the maximum", "POST", "/v1/accounts/deposits", `{"amount": "1000000000.01", "reference": "HUGE-2"}`, "tokBuyer", "deposit_too_large", "amount"},
		{"a page past int64", "GET", "/v1/catalog?page=9223372036854775808", "", "", "invalid_page", "page"},
		{"a page whose offset overflows", "GET", "/v1/catalog?page=9223372036854775807", "", "", "invalid_page", "page"},
		{"a version past int32", "GET", "/v1/listings/" + listing + "/price-plan?version=4294967296", "", "tokBuyer", "invalid_parameter", "version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			token := map[string]string{"tokBuyer": w.tokBuyer}[tc.token]
			rec := w.do(t, req{method: tc.method, path: tc.path, body: tc.body, token: token})
			p := mustProblem(t, rec, http.StatusBadRequest, tc.code)
			if p.Field != tc.field {
				t.Errorf("field = %q, want %q (%s)", p.Field, tc.field, p.Detail)
			}
			for _, foreign := range []string{"can't convert", "to decimal", "strconv", "SQLSTATE", "error decoding"} {
				if strings.Contains(p.Detail, foreign) {
					t.Errorf("the detail quotes a parser: %q", p.Detail)
				}
			}
		})
	}
	t.Run("the same bank reference is another buyer's own", func(t *testing.T) {
		other, tok := w.mustParty(t, "西安物流", "91610104MA6W8CD92D", "b2@example.cn", market.PartyParticipant, market.RoleBuyer)
		_ = other
		body := `{"amount": "5.00", "reference": "SHARED-REF-1"}`
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: body}), http.StatusCreated, nil)
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: tok, body: body}), http.StatusCreated, nil)
	})
}
