package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/rivertype"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/internal/pseudokey"
	"github.com/shujiao/shujiao/market"
)

// mkt is a running API over its own database and data directory, with
// the de-identification runner, for the listing tests.
type mkt struct {
	t       testing.TB
	pool    *pgxpool.Pool
	dataDir string
	blobs   *blob.Store
	key     *pgp.Key
	svc     *ListingServices
	srv     *httptest.Server
	jobs    *jobs.Client
	// seals is the sealing worker's delivery service and refunds, set by
	// worlds that sell (mustOrderWorld).
	seals    *lateSealer
	seq      atomic.Int64
	accounts *market.Accounts
	// pseudonyms is the platform pseudonymization key store of dataDir, as
	// cmd/shujiao wires it for the de-identification jobs.
	pseudonyms *pseudokey.Store
}

type marketOptions struct {
	maxUpload int64
	noRunner  bool
	// writeTimeout is the test server's http.Server WriteTimeout (serve's
	// default is 60 s); 0: none.
	writeTimeout time.Duration
}

func mustMarket(tb testing.TB, opt marketOptions) *mkt {
	tb.Helper()
	w := &mkt{t: tb, pool: pgtest.NewDB(tb), dataDir: tb.TempDir()}
	var err error
	if w.blobs, err = blob.Open(w.dataDir); err != nil {
		tb.Fatal(err)
	}
	if w.key, err = pgp.Generate("Shujiao test platform", "platform@shujiao.test"); err != nil {
		tb.Fatal(err)
	}
	w.pseudonyms = pseudokey.Open(w.dataDir)
	if _, err = w.pseudonyms.Rotate(anonymizer.MethodHMACSM3, time.Now()); err != nil {
		tb.Fatal(err)
	}
	accounts := market.NewAccounts(postgres.NewAccountStore(w.pool), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	w.svc = &ListingServices{Blobs: w.blobs, MaxUpload: opt.maxUpload}
	srv := New(Config{}, Deps{DB: w.pool, Services: Services{Accounts: accounts, Stores: postgres.NewStores(w.pool, w.key.Public()), Listings: w.svc}})
	w.srv = httptest.NewUnstartedServer(srv.Handler())
	w.srv.Config.WriteTimeout = opt.writeTimeout
	w.srv.Start()
	tb.Cleanup(w.srv.Close)
	w.accounts = accounts
	w.newJobs()
	if !opt.noRunner {
		w.startRunner()
	}
	return w
}

// startRunner runs River's workers (de-identification and sealing) until
// the test ends, as serve does; jobs queued before wait for it.
func (w *mkt) startRunner() *jobs.Client {
	w.t.Helper()
	if err := w.jobs.Start(context.Background()); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := w.jobs.Stop(ctx); err != nil {
			w.t.Errorf("stop jobs: %v", err)
		}
	})
	return w.jobs
}

// newJobs builds the River client of the world, queueing through the
// job routes; startRunner runs it.
func (w *mkt) newJobs() {
	w.t.Helper()
	w.seals = &lateSealer{}
	c, err := jobs.New(w.pool, jobs.Deps{
		Records:   postgres.NewJobStore(w.pool),
		RecordsTx: func(tx pgx.Tx) jobs.TxRecords { return postgres.NewJobStore(tx) },
		Processor: &jobs.Deidentifier{Blobs: w.blobs, Key: w.key, Pseudonyms: w.pseudonyms, Version: "test",
			Progress: postgres.NewJobProgressStore(w.pool)},
		Sealer:   w.seals,
		Refunder: w.seals,
		MarkSealing: func(ctx context.Context, tx pgx.Tx, id uuid.UUID) error {
			return postgres.MarkDelivery(ctx, tx, id, market.DeliverySealing, "")
		},
	}, jobs.Config{Workers: 2, Poll: 50 * time.Millisecond, RetryPolicy: retryAtOnce{}, StopGrace: 200 * time.Millisecond})
	if err != nil {
		w.t.Fatal(err)
	}
	w.jobs = c
	w.svc.Jobs = c
}

// retryAtOnce retries a failed job at once: tests wait for attempts, not
// for backoff.
type retryAtOnce struct{}

func (retryAtOnce) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

// lateSealer is the sealing worker's delivery service and order service,
// set once the world sells.
type lateSealer struct {
	mu       sync.Mutex
	sealer   jobs.Sealer
	refunder jobs.Refunder
}

func (l *lateSealer) set(s jobs.Sealer, r jobs.Refunder) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sealer, l.refunder = s, r
}

func (l *lateSealer) Seal(ctx context.Context, order uuid.UUID) error {
	l.mu.Lock()
	s := l.sealer
	l.mu.Unlock()
	if s == nil {
		return errors.New("this test world seals no deliveries")
	}
	return s.Seal(ctx, order)
}

func (l *lateSealer) RefundUndeliverable(ctx context.Context, order uuid.UUID, reason string) (*market.Order, error) {
	l.mu.Lock()
	r := l.refunder
	l.mu.Unlock()
	if r == nil {
		return nil, errors.New("this test world refunds no orders")
	}
	return r.RefundUndeliverable(ctx, order, reason)
}

// client is one user of one party, calling the API with a bearer token.
type client struct {
	w       *mkt
	token   string
	partyID market.PartyID
}

// mustParty registers a party of type typ with one user holding roles and
// returns a client with an API token.
func (w *mkt) mustParty(name string, typ market.PartyType, roles ...market.Role) *client {
	w.t.Helper()
	ctx := context.Background()
	n := w.seq.Add(1)
	email := fmt.Sprintf("user%d@%s.test", n, strings.ToLower(strings.ReplaceAll(name, " ", "")))
	body := fmt.Sprintf("9161013100%07d", n)
	p := market.Party{Kind: market.PartyOrganization, Type: typ, Name: name, Jurisdiction: "61",
		CreditCode: body + string(anonymizer.USCCCheckChar(body))}
	party, _, err := w.accounts.Seed(ctx, market.Registration{Party: p,
		User: market.NewUser{Email: email, Name: name + " user", Password: "correct horse battery staple"}, Roles: roles})
	if err != nil {
		w.t.Fatalf("seed %s: %v", name, err)
	}
	_, a, err := w.accounts.Login(ctx, email, "correct horse battery staple", party.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	_, secret, err := w.accounts.CreateToken(ctx, a, "test", time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	return &client{w: w, token: secret, partyID: party.ID}
}

// do calls the API with body as JSON (nil: no body) and returns the status
// and the response body.
func (c *client) do(method, path string, body any) (int, []byte) {
	c.w.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.w.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.w.srv.URL+path, r)
	if err != nil {
		c.w.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return c.send(req)
}

func (c *client) send(req *http.Request) (int, []byte) {
	c.w.t.Helper()
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.w.srv.Client().Do(req)
	if err != nil {
		c.w.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkContract(c.w.t, req, resp.StatusCode, resp.Header, b)
	if resp.StatusCode >= 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		c.w.t.Errorf("%s %s: %d with Content-Type %q, want application/problem+json", req.Method, req.URL.Path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, b
}

// mustDo is do that fails the test unless the status is want, and decodes
// the response into out (when not nil).
func (c *client) mustDo(want int, method, path string, body, out any) {
	c.w.t.Helper()
	got, b := c.do(method, path, body)
	if got != want {
		c.w.t.Fatalf("%s %s: status %d, want %d: %s", method, path, got, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.w.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
}

// upload posts data as the multipart part "file" named name.
func (c *client) upload(name string, data []byte) (int, []byte) {
	c.w.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		c.w.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.w.srv.URL+"/v1/datasets", &buf)
	if err != nil {
		c.w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.send(req)
}

// apiProblem is the part of a apiProblem+json body the tests look at.
type apiProblem struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Article string `json:"article"`
	Field   string `json:"field"`
	Detail  string `json:"detail"`
}

func mustAPIProblem(tb testing.TB, b []byte) apiProblem {
	tb.Helper()
	var p apiProblem
	if err := json.Unmarshal(b, &p); err != nil || p.Code == "" {
		tb.Fatalf("not a apiProblem with a code: %s", b)
	}
	return p
}

// count returns the number of rows of a query's result.
func (w *mkt) count(sql string, args ...any) int {
	w.t.Helper()
	var n int
	if err := w.pool.QueryRow(context.Background(), "SELECT count(*) FROM ("+sql+") q", args...).Scan(&n); err != nil {
		w.t.Fatalf("count %s: %v", sql, err)
	}
	return n
}

// mustJSONBody decodes b into v.
func mustJSONBody(tb testing.TB, b []byte, v any) {
	tb.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
}

// waitFor polls cond for up to 5 s.
func (w *mkt) waitFor(cond func() bool) {
	w.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			w.t.Fatal("condition not reached in 5 s")
		}
	}
}
