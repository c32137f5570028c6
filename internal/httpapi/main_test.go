package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// world is a test server on its own database with three parties: sellers A
// and B, and a market-supervision bureau, each with a user and an API token.
type world struct {
	srv                  *Server
	acc                  *market.Accounts
	partyA, partyB       market.Party
	tokenA, tokenB, tokR string
	clock                *clock
}

// clock is a settable time source for the account service.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

const testPassword = "correct horse battery"

func mustWorld(t *testing.T) *world {
	t.Helper()
	pool := pgtest.NewDB(t)
	w := &world{clock: &clock{now: time.Now().UTC()}}
	w.acc = market.NewAccounts(postgres.NewAccountStore(pool), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 1024, Time: 1, Threads: 1}, Now: w.clock.Now,
	})
	w.srv = New(Config{MaxBodyBytes: 4096}, Deps{DB: pool, Services: Services{Accounts: w.acc, Stores: postgres.NewStores(pool, nil)}})
	w.partyA, w.tokenA = w.mustParty(t, "甲数据公司", "91610131MA6U3R1X2M", "a@example.cn", market.PartyParticipant, market.RoleSeller)
	w.partyB, w.tokenB = w.mustParty(t, "乙数据公司", "91120116MA05K7HW4D", "b@example.cn", market.PartyParticipant, market.RoleSeller)
	_, w.tokR = w.mustParty(t, "陕西省市场监督管理局", "11610000MB2950531A", "r@example.cn", market.PartyRegulator, market.RoleRegulator)
	return w
}

func (w *world) mustParty(t *testing.T, name, code, email string, typ market.PartyType, role market.Role) (market.Party, string) {
	t.Helper()
	ctx := context.Background()
	p, _, err := w.acc.Seed(ctx, market.Registration{
		Party: market.Party{Kind: market.PartyOrganization, Type: typ, Name: name, CreditCode: code, Jurisdiction: "61"},
		User:  market.NewUser{Email: email, Name: name, Password: testPassword},
		Roles: []market.Role{role},
	})
	if err != nil {
		t.Fatalf("seed %s: %v", name, err)
	}
	_, a, err := w.acc.Login(ctx, email, testPassword, market.PartyID{})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	_, secret, err := w.acc.CreateToken(ctx, a, "test", 0)
	if err != nil {
		t.Fatalf("token %s: %v", email, err)
	}
	return p, secret
}

// req is one test request.
type req struct {
	method, path string
	body         string
	token        string
	header       map[string]string
	cookies      []*http.Cookie
}

func (w *world) do(t *testing.T, r req) *httptest.ResponseRecorder {
	t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	for _, c := range r.cookies {
		hr.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	w.srv.Handler().ServeHTTP(rec, hr)
	checkContract(t, hr, rec.Code, rec.Header(), rec.Body.Bytes())
	return rec
}

// mustProblem checks that rec is a problem+json response with the status
// and code, and no trace of a stack or a Go error.
func mustProblem(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) Problem {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != problemContentType {
		t.Fatalf("Content-Type = %q, want %q", ct, problemContentType)
	}
	var p Problem
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("body is not a problem: %v: %s", err, rec.Body)
	}
	if p.Code != code || p.Status != status || p.RequestID == "" || p.Title == "" {
		t.Fatalf("problem = %+v, want code %q status %d with title and request id", p, code, status)
	}
	for _, leak := range []string{"goroutine ", ".go:", "panic", "pgx", "SQLSTATE"} {
		if strings.Contains(rec.Body.String(), leak) {
			t.Fatalf("problem leaks %q: %s", leak, rec.Body)
		}
	}
	return p
}

func mustJSON(t *testing.T, rec *httptest.ResponseRecorder, status int, v any) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if v != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatalf("body: %v: %s", err, rec.Body)
		}
	}
}
