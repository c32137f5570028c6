package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServe_EndToEnd runs the binary's run in-process, as main does: demo
// seeds a private PostgreSQL (no DATABASE_URL), serve answers on port :0, a
// user logs in and asks who it is, a seller is refused another party's data
// and a regulator is not, and cancelling (what SIGTERM does) drains the
// server and leaves no postgres process behind.
func TestServe_EndToEnd(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	// Let the server user (postgres, when the tests run as root) reach the
	// directory, so that the cluster lives inside it and goes with it.
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	var demoOut, demoErr bytes.Buffer
	if err := run(ctx, []string{"demo", "--data-dir", dir, "--json"}, nil, &demoOut, &demoErr); err != nil {
		t.Fatalf("demo: %v\n%s", err, demoErr.String())
	}
	if kids := postgresChildren(t); len(kids) != 0 {
		t.Fatalf("demo left postgres processes %v", kids)
	}
	var demo struct {
		Password string
		Accounts []struct {
			Key, Email, Token string
			Party             struct{ ID string }
		}
	}
	if err := json.Unmarshal(demoOut.Bytes(), &demo); err != nil {
		t.Fatalf("demo --json: %v: %s", err, demoOut.String())
	}
	acct := map[string]int{}
	for i, a := range demo.Accounts {
		acct[a.Key] = i
	}
	sellerA, sellerB, regulator := demo.Accounts[acct["seller-a"]], demo.Accounts[acct["seller-b"]], demo.Accounts[acct["regulator"]]

	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	outR, outW := io.Pipe()
	var serveErr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(serveCtx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, nil, outW, &serveErr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v\n%s", err, serveErr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	base := strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on "))
	if !strings.Contains(serveErr.String(), "started a private PostgreSQL") {
		t.Errorf("serve did not log that it started the private PostgreSQL:\n%s", serveErr.String())
	}
	if len(postgresChildren(t)) == 0 {
		t.Fatalf("serve runs no private postgres")
	}

	t.Run("a demo user logs in and asks who it is", func(t *testing.T) {
		body := `{"email":"` + sellerA.Email + `","password":"` + demo.Password + `"}`
		resp := mustDo(t, "POST", base+"/v1/sessions", body, "", nil, http.StatusCreated)
		var me struct {
			Party      struct{ ID string }
			Roles      []string
			Credential string
		}
		mustDecode(t, mustDo(t, "GET", base+"/v1/me", "", "", resp.Cookies(), 200), &me)
		if me.Party.ID != sellerA.Party.ID || me.Credential != "session" || len(me.Roles) != 1 || me.Roles[0] != "seller" {
			t.Fatalf("me = %+v, want seller of %s by session", me, sellerA.Party.ID)
		}
	})
	t.Run("seller A cannot read seller B's party", func(t *testing.T) {
		resp := mustDo(t, "GET", base+"/v1/parties/"+sellerB.Party.ID, "", sellerA.Token, nil, http.StatusForbidden)
		var p struct{ Code string }
		mustDecode(t, resp, &p)
		if p.Code != "forbidden_party" || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("problem code %q, type %q", p.Code, resp.Header.Get("Content-Type"))
		}
	})
	t.Run("the regulator reads seller B's party", func(t *testing.T) {
		mustDo(t, "GET", base+"/v1/parties/"+sellerB.Party.ID, "", regulator.Token, nil, http.StatusOK).Body.Close()
	})
	t.Run("readyz sees the database", func(t *testing.T) {
		mustDo(t, "GET", base+"/readyz", "", "", nil, http.StatusOK).Body.Close()
	})

	stop() // what SIGINT/SIGTERM do through main's signal context
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after cancel\n%s", err, serveErr.String())
		}
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not stop within 60 s of cancel")
	}
	if kids := postgresChildren(t); len(kids) != 0 {
		t.Fatalf("serve left postgres processes %v behind", kids)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Fatal("the server still answers after cancel")
	}
}

func mustDo(t *testing.T, method, url, body, token string, cookies []*http.Cookie, status int) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != status {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("%s %s: status %d, want %d: %s", method, url, resp.StatusCode, status, b)
	}
	return resp
}

func mustDecode(t *testing.T, resp *http.Response, v any) {
	t.Helper()
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// postgresChildren lists the postgres processes whose parent is this test
// process: the private clusters it started and has not stopped.
func postgresChildren(t *testing.T) []int {
	t.Helper()
	me := os.Getpid()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var pids []int
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid …; comm may hold spaces, so split after ')'
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 || !strings.Contains(s[:i], "(postgres") {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(me) {
			pid, _ := strconv.Atoi(strings.Fields(s)[0])
			pids = append(pids, pid)
		}
	}
	return pids
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
