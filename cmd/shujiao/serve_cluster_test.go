package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// helperMultiServeEnv holds the arguments (separated by \x1f) of the shujiao
// command the test binary runs as a child process (TestHelperMultiServe): a real
// process, with main's signal handling, that a test can SIGTERM.
const helperMultiServeEnv = "SHUJIAO_TEST_HELPER_MULTI_SERVE"

// TestHelperMultiServe is not a test: it is main, run by the test binary as a
// child process (msStartServe).
func TestHelperMultiServe(t *testing.T) {
	args := os.Getenv(helperMultiServeEnv)
	if args == "" {
		t.Skip("the child process of the multi-server tests")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, strings.Split(args, "\x1f"), nil, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// msServe is one `shujiao serve` child process.
type msServe struct {
	name   string
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	exited chan struct{}
	code   int
}

// msStartServe starts serve on a loopback port over data directory
// dir with env (DATABASE_URL…) and waits for its address.
func msStartServe(t *testing.T, name, dir string, env ...string) *msServe {
	t.Helper()
	p := &msServe{name: name, stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], "-test.run=^TestHelperMultiServe$")
	p.cmd.Env = append(os.Environ(), append(env, helperMultiServeEnv+"="+strings.Join([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, "\x1f"))...)
	p.cmd.Stderr = p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		p.code = p.cmd.ProcessState.ExitCode()
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(time.Minute):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
		if t.Failed() {
			t.Logf("stderr of %s:\n%s", p.name, p.stderr.String())
		}
	})
	lines := bufio.NewReader(out)
	for {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("%s printed no address: %v\n%s", name, err, p.stderr.String())
		}
		if strings.HasPrefix(line, "shujiao serving on ") {
			p.base = strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on "))
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, lines) }()
	return p
}

// stop sends SIGTERM and waits for the process to exit; it returns the
// exit code.
func (p *msServe) stop(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.code // already stopped
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("SIGTERM %s: %v", p.name, err)
	}
	select {
	case <-p.exited:
	case <-time.After(2 * time.Minute):
		t.Fatalf("%s still runs 2 minutes after SIGTERM\n%s", p.name, p.stderr.String())
	}
	return p.code
}

// waitLog waits up to 30 s for the process's log to contain s.
func (p *msServe) waitLog(t *testing.T, s string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(p.stderr.String(), s); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s did not log %q in 30 s:\n%s", p.name, s, p.stderr.String())
		}
	}
}

// msReply is one HTTP answer.
type msReply struct {
	status int
	header http.Header
	body   []byte
}

// msHTTP talks to the servers, each request for at most two minutes.
var msHTTP = &http.Client{Timeout: 2 * time.Minute}

// msSend sends one request to base; body is JSON unless it is a *bytes.Buffer
// with a content type in header. A transport error (the server is gone) is
// returned as is.
func msSend(ctx context.Context, base, method, path, token string, body any, header ...string) (msReply, error) {
	var r io.Reader
	if b, ok := body.(*bytes.Buffer); ok {
		r = b
	} else if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, r)
	if err != nil {
		return msReply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := msHTTP.Do(req)
	if err != nil {
		return msReply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return msReply{status: resp.StatusCode, header: resp.Header, body: b}, err
}

// msMust is msSend that fails the test on a transport error or a status
// other than want, and decodes the body into out.
func msMust(t *testing.T, ctx context.Context, want int, base, method, path, token string, body, out any, header ...string) msReply {
	t.Helper()
	r, err := msSend(ctx, base, method, path, token, body, header...)
	if err != nil {
		t.Fatalf("%s %s%s: %v", method, base, path, err)
	}
	if r.status != want {
		t.Fatalf("%s %s%s: %d, want %d: %s", method, base, path, r.status, want, r.body)
	}
	if out != nil {
		if err := json.Unmarshal(r.body, out); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, r.body)
		}
	}
	return r
}

// msStartCluster starts an ephemeral PostgreSQL of the test's own (the
// "PostgreSQL server of your own" of docs/deployment.md).
func msStartCluster(t *testing.T, ctx context.Context) *pglocal.Cluster {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cluster, err := pglocal.Start(ctx, dir, pglocal.Options{Ephemeral: true, MaxConnections: 300})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	return cluster
}

// msDataDir is the data directory the servers share (platform key,
// stored files, heads file): one directory on this machine, a shared volume
// in a deployment.
func msDataDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

const msPassword = "two servers, one database"

// msSeedUser registers an organization with one user holding role; it
// returns the user's email and an API token.
func msSeedUser(t *testing.T, ctx context.Context, acc *market.Accounts, n int, role market.Role) (string, string) {
	t.Helper()
	body := fmt.Sprintf("9161013100%07d", n)
	email := fmt.Sprintf("user%d@cluster.test", n)
	p := market.Party{Kind: market.PartyOrganization, Type: market.PartyParticipant, Name: fmt.Sprintf("集群测试公司 %d", n),
		Jurisdiction: "61", CreditCode: body + string(anonymizer.USCCCheckChar(body))}
	party, _, err := acc.Seed(ctx, market.Registration{Party: p,
		User: market.NewUser{Email: email, Name: p.Name, Password: msPassword}, Roles: []market.Role{role}})
	if err != nil {
		t.Fatal(err)
	}
	_, a, err := acc.Login(ctx, email, msPassword, party.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := acc.CreateToken(ctx, a, "cluster test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	return email, token
}

// msJob is the part of a de-identification job the test reads.
type msJob struct {
	ID       string
	Status   string
	Attempts int
	Error    string
	Result   *struct {
		CertificateID string `json:"certificate_id"`
	}
}

// TestServe_TwoServersOneDatabase: two serve processes with one
// DATABASE_URL and one shared data directory work as one platform. The
// ledger sequencer runs in one of them (leader election) and moves to the
// other when the leader is stopped with SIGTERM in the middle of a burst of
// concurrent orders placed through both, with every Idempotency-Key
// replayed on the other server; jobs submitted through both run once each;
// a session and the login limiter hold across the servers; the read-only
// catalog routes of the second server read a replica URL whose role cannot
// write; then verify-ledger passes, every buyer's balance is the deposit
// less the orders, and /readyz fails (503) once the database is gone.
func TestServe_TwoServersOneDatabase(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	cluster := msStartCluster(t, ctx)
	url := cluster.URL("postgres")
	dir := msDataDir(t)
	// The first server migrates; the replica role needs the tables.
	a := msStartServe(t, "server A", dir, "DATABASE_URL="+url, replicaEnv+"=")
	owner, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer owner.Close()
	for _, q := range []string{`CREATE ROLE shujiao_reader LOGIN`, `ALTER ROLE shujiao_reader SET default_transaction_read_only = on`,
		`GRANT USAGE ON SCHEMA public TO shujiao_reader`, `GRANT SELECT ON ALL TABLES IN SCHEMA public TO shujiao_reader`} {
		if _, err := owner.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	replicaURL := strings.Replace(url, "postgres://postgres@", "postgres://shujiao_reader@", 1)
	b := msStartServe(t, "server B", dir, "DATABASE_URL="+url, replicaEnv+"="+replicaURL)
	servers := []*msServe{a, b}

	t.Run("the replica role cannot write", func(t *testing.T) {
		conn, err := pgx.Connect(ctx, replicaURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `CREATE TABLE written_through_the_replica (x int)`); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("a write through the replica URL: %v, want a read-only transaction error", err)
		}
	})

	// One sequencer: A started first and leads; B waits.
	a.waitLog(t, "leader: this server now runs it")
	if strings.Contains(b.stderr.String(), "leader: this server now runs it") {
		t.Fatalf("both servers run the ledger sequencer:\n%s", b.stderr.String())
	}

	acc := market.NewAccounts(postgres.NewAccountStore(owner), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	_, seller := msSeedUser(t, ctx, acc, 1, market.RoleSeller)

	// Jobs submitted through both servers run once each.
	var csv bytes.Buffer
	if err := anonymizer.Synthesize(&csv, 400, 7, anonymizer.FormatCSV); err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "people.csv")
	fw.Write(csv.Bytes())
	mw.Close()
	var ds struct{ ID string }
	msMust(t, ctx, http.StatusCreated, a.base, http.MethodPost, "/v1/datasets", seller, &form, &ds, "Content-Type", mw.FormDataContentType())
	policy := map[string]any{"columns": map[string]any{
		"身份证号": map[string]any{"role": "identifying", "action": "drop"}, "姓名": map[string]any{"role": "identifying", "action": "drop"},
		"手机号": map[string]any{"role": "identifying", "action": "drop"}, "出生日期": map[string]any{"role": "quasi", "hierarchy": "date"},
		"性别": map[string]any{"role": "quasi"}, "行政区划": map[string]any{"role": "quasi", "hierarchy": "division"},
		"职业": map[string]any{"role": "insensitive"}, "学历": map[string]any{"role": "insensitive"}, "收入": map[string]any{"role": "insensitive"},
		"诊断": map[string]any{"role": "sensitive"}}, "k": 20, "l": "distinct:2", "suppression": 0.05}
	var jobs []msJob
	for i := range 4 {
		var j msJob
		msMust(t, ctx, http.StatusAccepted, servers[i%2].base, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", seller,
			map[string]any{"policy": policy, "mode": "public"}, &j)
		jobs = append(jobs, j)
	}
	certs := map[string]bool{}
	for i := range jobs {
		j := &jobs[i]
		for deadline := time.Now().Add(3 * time.Minute); j.Status == "queued" || j.Status == "running"; time.Sleep(100 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("job %s still %s after 3 minutes", j.ID, j.Status)
			}
			msMust(t, ctx, http.StatusOK, servers[(i+1)%2].base, http.MethodGet, "/v1/jobs/"+j.ID, seller, nil, j)
		}
		if j.Status != "succeeded" || j.Attempts != 1 || j.Result == nil || j.Result.CertificateID == "" {
			t.Fatalf("job %d: %+v, want succeeded in one attempt with a certificate", i, *j)
		}
		if certs[j.Result.CertificateID] {
			t.Fatalf("job %d made the certificate of another job: ran twice?", i)
		}
		certs[j.Result.CertificateID] = true
	}

	// A certified listing at 10.00 a licence.
	decl := map[string]any{"title": "集群测试数据集", "description": "two servers", "category": "transport", "product_type": "dataset",
		"dataset_id": ds.ID, "certificate_id": jobs[0].Result.CertificateID, "contains_personal_info": true, "contains_sensitive_personal_info": true,
		"contains_minors_data": false, "classification": "general", "security_assessment_ref": nil, "export_intended": false,
		"state_secret": false, "price": "10.00", "sources": []any{map[string]any{"origin": "self_collected", "own_data": true,
			"disclosure": "non_public", "authorization": nil, "government": nil,
			"collection": map[string]any{"basis": "consent_record", "reference": "出行服务用户同意记录", "notice_ref": "隐私政策 2026 版"}}}}
	var listing struct{ ID, State string }
	msMust(t, ctx, http.StatusCreated, b.base, http.MethodPost, "/v1/listings", seller, decl, &listing)
	msMust(t, ctx, http.StatusOK, a.base, http.MethodPost, "/v1/listings/"+listing.ID+"/submit", seller, nil, &listing)
	if listing.State != "listed" {
		t.Fatalf("listing state %q", listing.State)
	}
	msMust(t, ctx, http.StatusCreated, b.base, http.MethodPut, "/v1/listings/"+listing.ID+"/price-plan", seller,
		map[string]any{"unit": "licence", "base_price": "10.00"}, nil)

	t.Run("the read-only catalog routes read the replica", func(t *testing.T) {
		var page struct{ Items []struct{ ID string } }
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/v1/catalog", "", nil, &page)
		if len(page.Items) != 1 || page.Items[0].ID != listing.ID {
			t.Fatalf("catalog on the replica: %+v, want the listing", page.Items)
		}
		for _, path := range []string{"/v1/gov/catalog", "/v1/gov/catalog/dcat", "/api/3/action/package_list", "/api/3/action/organization_list"} {
			msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, path, "", nil, nil)
		}
		var ready struct{ Status, Replica string }
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/readyz", "", nil, &ready)
		if ready.Replica != "ok" {
			t.Fatalf("/readyz of B: %+v, want replica ok", ready)
		}
		// Take the replica away: B's catalog fails, its other routes and
		// A's catalog do not; so B's catalog reads the replica.
		for _, q := range []string{`ALTER ROLE shujiao_reader NOLOGIN`,
			`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'shujiao_reader'`} {
			if _, err := owner.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if r, err := msSend(ctx, b.base, http.MethodGet, "/v1/catalog", "", nil); err != nil || r.status < 500 {
			t.Fatalf("B's catalog with the replica gone: %d %v, want a server error", r.status, err)
		}
		msMust(t, ctx, http.StatusOK, a.base, http.MethodGet, "/v1/catalog", "", nil, nil)
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/v1/me", seller, nil, nil)
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/readyz", "", nil, &ready)
		if ready.Replica != "down" {
			t.Fatalf("/readyz of B with the replica gone: %+v, want replica down", ready)
		}
		if _, err := owner.Exec(ctx, `ALTER ROLE shujiao_reader LOGIN`); err != nil {
			t.Fatal(err)
		}
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/v1/catalog", "", nil, nil)
	})

	// Buyers, funded through alternate servers, with a key each.
	key, err := pgp.Generate("集群买方", "buyer@cluster.test")
	if err != nil {
		t.Fatal(err)
	}
	armored, _ := key.ArmoredPublic()
	const buyers, perBuyer = 4, 10
	deposit := decimal.RequireFromString("1000.00")
	type buyer struct{ email, token, party string }
	var bs []buyer
	for i := range buyers {
		email, tok := msSeedUser(t, ctx, acc, 100+i, market.RoleBuyer)
		srv := servers[i%2]
		var me struct{ Party struct{ ID string } }
		msMust(t, ctx, http.StatusOK, srv.base, http.MethodGet, "/v1/me", tok, nil, &me)
		msMust(t, ctx, http.StatusCreated, srv.base, http.MethodPost, "/v1/accounts/deposits", tok,
			map[string]any{"amount": deposit.StringFixed(2), "reference": "CLUSTER-" + uuid.NewString()}, nil)
		msMust(t, ctx, http.StatusOK, servers[(i+1)%2].base, http.MethodPut, "/v1/parties/"+me.Party.ID+"/pgp-key", tok,
			map[string]any{"armored": string(armored)}, nil)
		bs = append(bs, buyer{email, tok, me.Party.ID})
	}

	t.Run("a session made on one server is used and ended on the other", func(t *testing.T) {
		r := msMust(t, ctx, http.StatusCreated, a.base, http.MethodPost, "/v1/sessions", "",
			map[string]string{"email": bs[0].email, "password": msPassword}, nil)
		var created struct {
			CSRF string `json:"csrf_token"`
		}
		json.Unmarshal(r.body, &created)
		var cookies []string
		for _, c := range (&http.Response{Header: r.header}).Cookies() {
			cookies = append(cookies, c.Name+"="+c.Value)
		}
		cookie := strings.Join(cookies, "; ")
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/v1/me", "", nil, nil, "Cookie", cookie)
		r, err := msSend(ctx, b.base, http.MethodDelete, "/v1/sessions/current", "", nil, "Cookie", cookie, "X-CSRF-Token", created.CSRF)
		if err != nil || r.status >= 300 {
			t.Fatalf("logout on B: %d %v %s", r.status, err, r.body)
		}
		msMust(t, ctx, http.StatusUnauthorized, a.base, http.MethodGet, "/v1/me", "", nil, nil, "Cookie", cookie)
	})

	t.Run("the login limiter counts the failures of both servers", func(t *testing.T) {
		email, _ := msSeedUser(t, ctx, acc, 50, market.RoleBuyer)
		for i := range 10 {
			msMust(t, ctx, http.StatusUnauthorized, servers[i%2].base, http.MethodPost, "/v1/sessions", "",
				map[string]string{"email": email, "password": "not the password"}, nil)
		}
		for _, srv := range servers {
			r := msMust(t, ctx, http.StatusTooManyRequests, srv.base, http.MethodPost, "/v1/sessions", "",
				map[string]string{"email": email, "password": msPassword}, nil)
			if !bytes.Contains(r.body, []byte(`"too_many_attempts"`)) {
				t.Fatalf("%s: %s", srv.name, r.body)
			}
		}
	})

	// Concurrent orders through both servers, every Idempotency-Key sent
	// again to the other server; A (the leader) is stopped with SIGTERM
	// when half are placed, and the buyers go on through B (a request A
	// no longer answers is sent to B, as a load balancer does).
	var aGone atomic.Bool
	do := func(prefer int, method, path, token string, body any, header ...string) (msReply, *msServe, error) {
		srv := servers[prefer]
		if srv == a && aGone.Load() {
			srv = b
		}
		r, err := msSend(ctx, srv.base, method, path, token, body, header...)
		var op *net.OpError
		if err != nil && srv == a && (errors.As(err, &op) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)) {
			srv = b
			r, err = msSend(ctx, srv.base, method, path, token, body, header...)
		}
		return r, srv, err
	}
	type placed struct {
		id     string
		amount decimal.Decimal
	}
	var (
		mu        sync.Mutex
		orders    = map[int][]placed{}
		failures  []string
		done      atomic.Int32
		crossed   atomic.Int32
		stopOnce  sync.Once
		stoppedAt = make(chan int32, 1)
		stopping  atomic.Bool
		aExited   = make(chan struct{})
		afterStop atomic.Int32 // orders placed after A exited
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		failures = append(failures, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	conds := map[string]any{"security": map[string]any{"delivery_mode": "encrypted_file", "certification_level": "L3"},
		"cost": map[string]any{"volume": "1", "channel": "standard"}, "stage": "direct", "duration_months": 12}
	var wg sync.WaitGroup
	for i, by := range bs {
		wg.Go(func() {
			for k := range perBuyer {
				if stopping.Load() {
					select { // the orders in flight drain on A; the next go on after it is gone
					case <-aExited:
					case <-ctx.Done():
						fail("A did not exit after SIGTERM")
						return
					}
				}
				first := (i + k) % 2
				r, _, err := do(first, http.MethodPost, "/v1/listings/"+listing.ID+"/quotes", by.token, conds)
				if err != nil || r.status != http.StatusCreated {
					fail("quote: %d %v %s", r.status, err, r.body)
					return
				}
				var q struct{ ID string }
				json.Unmarshal(r.body, &q)
				idem := uuid.NewString()
				order := map[string]any{"quote_id": q.ID, "usage_purpose": "two servers",
					"licence": map[string]any{"accepted": true, "terms": "Shujiao standard data licence v1", "scope": []string{"internal_analysis"}}}
				r, srv, err := do(first, http.MethodPost, "/v1/orders", by.token, order, "Idempotency-Key", idem)
				if err != nil || (r.status != http.StatusCreated && r.status != http.StatusOK) {
					fail("order: %d %v %s", r.status, err, r.body)
					return
				}
				var o struct {
					ID, State string
					Amount    decimal.Decimal
				}
				json.Unmarshal(r.body, &o)
				// The same key on the other server answers the same order.
				other := 1 - first
				if srv == b {
					other = 0
				}
				r2, srv2, err := do(other, http.MethodPost, "/v1/orders", by.token, order, "Idempotency-Key", idem)
				var o2 struct{ ID string }
				json.Unmarshal(r2.body, &o2)
				if err != nil || r2.status != http.StatusOK || o2.ID != o.ID {
					fail("replayed order: %d %v %s, want 200 with order %s", r2.status, err, r2.body, o.ID)
					return
				}
				if srv2 != srv {
					crossed.Add(1)
				}
				mu.Lock()
				orders[i] = append(orders[i], placed{o.ID, o.Amount})
				mu.Unlock()
				if aGone.Load() {
					afterStop.Add(1)
				}
				if n := done.Add(1); n == buyers*perBuyer/2 {
					stopping.Store(true)
					stopOnce.Do(func() {
						go func() {
							_ = a.cmd.Process.Signal(syscall.SIGTERM)
							stoppedAt <- n
						}()
					})
				}
			}
		})
	}
	// Stop A mid-way; mark it gone once it exits (its draining requests
	// still answer until then).
	go func() {
		select {
		case <-stoppedAt:
		case <-ctx.Done():
			return
		}
		<-a.exited
		aGone.Store(true)
		close(aExited)
	}()
	wg.Wait()
	if len(failures) > 0 {
		t.Fatalf("%d requests failed; first: %s", len(failures), failures[0])
	}
	if code := a.stop(t); code != 0 {
		t.Fatalf("server A exited %d after SIGTERM:\n%s", code, a.stderr.String())
	}
	if n := afterStop.Load(); n < buyers*perBuyer/2-buyers {
		t.Fatalf("%d orders placed on B after A exited, want at least %d", n, buyers*perBuyer/2-buyers)
	}
	t.Logf("%d orders; %d keys replayed on the other server; %d orders placed on B after A exited", done.Load(), crossed.Load(), afterStop.Load())
	if crossed.Load() == 0 {
		t.Fatal("no Idempotency-Key was replayed on the other server")
	}
	ids := map[string]bool{}
	for _, placedByBuyer := range orders {
		for _, o := range placedByBuyer {
			ids[o.id] = true
		}
	}
	if len(ids) != buyers*perBuyer {
		t.Fatalf("%d distinct orders, want %d", len(ids), buyers*perBuyer)
	}

	// Leadership moved to B, whose sequencer integrates what A left.
	b.waitLog(t, "leader: this server now runs it")
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		var pending int
		if err := owner.QueryRow(ctx, `SELECT count(*) FROM ledger_entries e
			WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l WHERE l.entry_id = e.id)`).Scan(&pending); err != nil {
			t.Fatal(err)
		}
		if pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d ledger entries still outside the tree a minute after A stopped: B does not run the sequencer", pending)
		}
	}

	// The books: each buyer's funds are the deposit less its orders.
	for i, by := range bs {
		var accts struct {
			Accounts []struct {
				Kind    string
				Balance decimal.Decimal
			}
		}
		msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/v1/accounts", by.token, nil, &accts)
		spent := decimal.Zero
		for _, o := range orders[i] {
			spent = spent.Add(o.amount)
		}
		var funds *decimal.Decimal
		for _, ac := range accts.Accounts {
			if ac.Kind == string(market.AccountBuyerFunds) {
				funds = &ac.Balance
			}
		}
		if funds == nil || !funds.Equal(deposit.Sub(spent)) || !spent.IsPositive() {
			t.Fatalf("buyer %d: funds %v, want %s − %s", i, funds, deposit, spent)
		}
	}
	t.Setenv("DATABASE_URL", url)
	var vout, verr bytes.Buffer
	if err := run(ctx, []string{"verify-ledger", "--data-dir", dir}, nil, &vout, &verr); err != nil {
		t.Fatalf("verify-ledger: %v\n%s%s", err, vout.String(), verr.String())
	}

	// The database goes: B says it is not ready (503 problem+json), while
	// the process itself is up.
	msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/readyz", "", nil, nil)
	if err := cluster.Stop(); err != nil {
		t.Fatal(err)
	}
	r := msMust(t, ctx, http.StatusServiceUnavailable, b.base, http.MethodGet, "/readyz", "", nil, nil)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") || !bytes.Contains(r.body, []byte(`"code":"not_ready"`)) {
		t.Fatalf("/readyz without a database: %s %s", ct, r.body)
	}
	msMust(t, ctx, http.StatusOK, b.base, http.MethodGet, "/healthz", "", nil, nil)
	// A route that needs the database answers 503, not 500.
	r = msMust(t, ctx, http.StatusServiceUnavailable, b.base, http.MethodGet, "/v1/me", seller, nil, nil)
	if !bytes.Contains(r.body, []byte(`"code":"database_unavailable"`)) || r.header.Get("Retry-After") == "" {
		t.Fatalf("/v1/me without a database: %s", r.body)
	}
	b.waitLog(t, "database does not answer")
	b.stop(t)
}

// TestServe_PrivatePostgreSQLIsOneServer: serve without DATABASE_URL owns
// the private PostgreSQL it starts and is one server. A second such serve
// on the same data directory is refused (exit 2, saying why); a serve given
// the private cluster's URL as DATABASE_URL can stop without taking the
// database away; when the owner stops, its PostgreSQL stops with it, both
// say so in their logs, and the other's /readyz answers 503.
func TestServe_PrivatePostgreSQLIsOneServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := msDataDir(t)
	if err := os.Chmod(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	owner := msStartServe(t, "the owner", dir, "DATABASE_URL=")
	owner.waitLog(t, "this serve owns the private PostgreSQL")

	var errb bytes.Buffer
	t.Setenv("DATABASE_URL", "")
	err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, nil, io.Discard, &errb)
	if code := exitCode(err, &errb); code != 2 || !strings.Contains(errb.String(), "serve without DATABASE_URL is one server") {
		t.Fatalf("a second serve on the private PostgreSQL: exit %d: %s", code, errb.String())
	}

	joined, err := pglocal.Start(ctx, dir, pglocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if joined.Owned() {
		t.Fatal("the test started the private PostgreSQL: the owner's is not running")
	}
	url := joined.URL("postgres")
	guest := msStartServe(t, "a guest", dir, "DATABASE_URL="+url)
	if code := guest.stop(t); code != 0 {
		t.Fatalf("the guest exited %d", code)
	}
	msMust(t, ctx, http.StatusOK, owner.base, http.MethodGet, "/readyz", "", nil, nil)

	guest = msStartServe(t, "a guest", dir, "DATABASE_URL="+url)
	msMust(t, ctx, http.StatusOK, guest.base, http.MethodGet, "/readyz", "", nil, nil)
	if code := owner.stop(t); code != 0 {
		t.Fatalf("the owner exited %d", code)
	}
	if !strings.Contains(owner.stderr.String(), "stopping the private PostgreSQL this process started; any other process still connected to it loses its database now") {
		t.Fatalf("the owner did not say that its PostgreSQL goes with it:\n%s", owner.stderr.String())
	}
	r := msMust(t, ctx, http.StatusServiceUnavailable, guest.base, http.MethodGet, "/readyz", "", nil, nil)
	if !bytes.Contains(r.body, []byte(`"code":"not_ready"`)) {
		t.Fatalf("/readyz of the guest: %s", r.body)
	}
	guest.waitLog(t, "that serve stopped, and its PostgreSQL with it")
	guest.stop(t)
}
