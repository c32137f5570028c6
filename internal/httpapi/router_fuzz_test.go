package httpapi

import (
	"bytes"
	"github.com/shujiao/shujiao/internal/delivery"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// fuzzWorld is a server with every service wired, over one database, and a
// token per role, for the router fuzz targets.
type fuzzWorld struct {
	handler http.Handler
	tokens  []string // "" (anonymous), buyer, seller, regulator, operator
	ids     []string // ids that exist: a party, a listing-shaped uuid…
}

// mustFuzzWorld builds the world once per fuzz target.
func mustFuzzWorld(f *testing.F) *fuzzWorld {
	f.Helper()
	m := mustMarket(f, marketOptions{noRunner: true})
	seq := postgres.NewSequencer(m.pool, m.key, nil)
	srv := New(Config{}, Deps{DB: m.pool, Services: Services{
		Accounts: m.accounts, Listings: m.svc, Stores: postgres.NewStores(m.pool, m.key.Public()),
		Ledger: &LedgerServices{Log: postgres.NewLedgerLog(m.pool, seq)},
		Cases:  &CaseServices{},
		Orders: &OrderServices{Key: m.key,
			Delivery: delivery.New(postgres.NewDeliveryStore(m.pool), m.blobs, m.key, 0, nil),
			Orders:   market.NewOrders(postgres.NewOrderStore(m.pool, m.key.Public()), market.DefaultOrderConfig(), nil)},
		Audit: postgres.NewAuditLog(m.pool, seq),
	}})
	srv.public = newRateLimiter(1e9, 1<<30) // the fuzzer is one client: do not rate-limit it
	w := &fuzzWorld{handler: srv.Handler(), tokens: []string{""}}
	buyer := m.mustParty("Fuzz buyer", market.PartyParticipant, market.RoleBuyer)
	seller := m.mustParty("Fuzz seller", market.PartyParticipant, market.RoleSeller)
	reg := m.mustParty("Fuzz regulator", market.PartyRegulator, market.RoleRegulator)
	op := m.mustParty("Fuzz operator", market.PartyPlatform, market.RoleOperator)
	for _, c := range []*client{buyer, seller, reg, op} {
		w.tokens = append(w.tokens, c.token)
		w.ids = append(w.ids, uuid.UUID(c.partyID).String())
	}
	w.ids = append(w.ids, uuid.NewString(), "2026", "not-an-id")
	return w
}

var fuzzMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE"}

// request drives one random request at the router and fails on a 5xx, or
// on an error that is not problem+json with a code.
func (w *fuzzWorld) request(t *testing.T, families []string, family, method, role, id uint8, tail, query string, body []byte) {
	path := families[int(family)%len(families)]
	path = strings.ReplaceAll(path, ":id", w.ids[int(id)%len(w.ids)])
	path += tail
	u := &url.URL{Path: path, RawQuery: query}
	r := &http.Request{Method: fuzzMethods[int(method)%len(fuzzMethods)], URL: u, Header: http.Header{},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Host: "shujiao.test", RemoteAddr: "192.0.2.1:1234"}
	r.RequestURI = u.RequestURI()
	if len(body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	if tok := w.tokens[int(role)%len(w.tokens)]; tok != "" {
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	rec := httptest.NewRecorder()
	w.handler.ServeHTTP(rec, r)
	if rec.Code >= 500 {
		t.Fatalf("%s %s?%s (body %q): %d %s", r.Method, path, query, body, rec.Code, rec.Body)
	}
	if rec.Code >= 400 {
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, problemContentType) || !strings.Contains(rec.Body.String(), `"code"`) {
			t.Fatalf("%s %s?%s: %d with %q, not a problem: %s", r.Method, path, query, rec.Code, ct, rec.Body)
		}
	}
}

// fuzzRouter is a fuzz target over one route family: the paths (":id"
// stands for an id the world knows or not), seeded with typical requests.
func fuzzRouter(f *testing.F, families []string, seeds ...string) {
	w := mustFuzzWorld(f)
	f.Add(uint8(0), uint8(0), uint8(1), uint8(0), "", "", []byte(nil))
	for i, s := range seeds {
		query, body, _ := strings.Cut(s, " ")
		f.Add(uint8(i), uint8(i%2), uint8(i), uint8(i), "", query, []byte(body))
	}
	f.Fuzz(func(t *testing.T, family, method, role, id uint8, tail, query string, body []byte) {
		w.request(t, families, family, method, role, id, tail, query, body)
	})
}

func FuzzRouterAccounts(f *testing.F) {
	fuzzRouter(f, []string{"/v1/accounts", "/v1/accounts/deposits", "/v1/me", "/v1/sessions", "/v1/sessions/current", "/v1/tokens", "/v1/tokens/:id",
		"/v1/parties", "/v1/parties/:id", "/v1/parties/:id/users", "/v1/parties/:id/pgp-key", "/v1/parties/:id/credit-rating", "/v1/platform/pgp-key"},
		`party_id=x {"amount":"1e400","reference":"a"}`, ` {"amount":"99999999999999999999.99","reference":"\u0000"}`,
		` {"email":"a@b.c","password":"x"}`, `page=99999999999999999999 {"name":"n"}`)
}

func FuzzRouterListings(f *testing.F) {
	fuzzRouter(f, []string{"/v1/listings", "/v1/listings/:id", "/v1/listings/:id/submit", "/v1/listings/:id/transitions", "/v1/listings/:id/price-plan",
		"/v1/catalog", "/v1/datasets", "/v1/datasets/:id", "/v1/datasets/:id/deidentify", "/v1/jobs/:id", "/v1/artifacts/:id", "/v1/certificates/:id", "/v1/rulesets/current"},
		`q=%00&page=9223372036854775807 {"title":"\u0000"}`, `min_price=1e9999 {"price":"abc"}`, `version=4294967296 {"plans":[{"unit_price":1e99}]}`)
}

func FuzzRouterOrders(f *testing.F) {
	fuzzRouter(f, []string{"/v1/orders", "/v1/orders/:id", "/v1/orders/:id/accept", "/v1/orders/:id/cancel", "/v1/orders/:id/dispute", "/v1/orders/:id/refund",
		"/v1/orders/:id/delivery", "/v1/orders/auto-settlement", "/v1/listings/:id/quotes", "/v1/quotes/:id", "/v1/quotes/:id/counter", "/v1/downloads/:id"},
		` {"quote_id":"x","usage_purpose":"\u0000"}`, ` {"cost":{"volume":"1e999999"}}`, `state=%ff {"reason":"r"}`)
}

func FuzzRouterLedger(f *testing.F) {
	fuzzRouter(f, []string{"/v1/ledger/entries", "/v1/ledger/entries/:id/proof", "/v1/ledger/heads", "/v1/ledger/heads/latest", "/v1/ledger/consistency",
		"/v1/ledger/sth", "/v1/ledger/sth-consistency", "/v1/ledger/proof-by-hash"},
		`start=0&end=18446744073709551615`, `first=1&second=99999999999999999999`, `hash=%00&tree_size=-1`, `limit=-1&before=9223372036854775807`, `from=5&to=2`)
}

func FuzzRouterRegulator(f *testing.F) {
	fuzzRouter(f, []string{"/v1/flags", "/v1/cases", "/v1/cases/:id", "/v1/cases/:id/decision", "/v1/cases/:id/notes", "/v1/cases/:id/penalty",
		"/v1/cases/:id/documents/notice", "/v1/correction-orders", "/v1/correction-orders/:id/response", "/v1/regulator/audits/prices", "/v1/calendar/years/:id"},
		` {"flag_ids":["x"],"summary":"\u0000"}`, ` {"illegal_income":"1e400"}`, `status=open&page=0 {"workdays":99999999999999999999}`)
}
