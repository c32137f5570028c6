package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServe_Kill9OfPostgresIsRecovered: kill -9 of the private PostgreSQL
// under a running serve is noticed, the server restarted (it recovers from
// its log) and serve answers again within 30 s, /readyz included. Before,
// serve stayed up with /healthz 200 and a 500 on every database route for
// as long as nobody restarted it.
func TestServe_Kill9OfPostgresIsRecovered(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := filepath.Join(t.TempDir(), "var")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	serveCtx, stop := context.WithCancel(ctx)
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(serveCtx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, nil, outW, io.Discard)
		outW.Close()
	}()
	defer func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	base := strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on "))
	status := func(path string) int {
		resp, err := http.Get(base + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("/readyz"); got != http.StatusOK {
		t.Fatalf("/readyz = %d before the crash", got)
	}
	pidFile := filepath.Join(dir, "postgres", "postmaster.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	// Backends outlive their postmaster for a moment and may still answer:
	// recovered means a new server (another pid) and every probe answering.
	newPid := func() bool {
		b, _ := os.ReadFile(pidFile)
		now, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
		return now != 0 && now != pid
	}
	for {
		if time.Since(killed) > 30*time.Second {
			t.Fatalf("serve did not recover within 30 s: new server %v, /readyz %d, /v1/catalog %d", newPid(), status("/readyz"), status("/v1/catalog"))
		}
		if newPid() && status("/readyz") == http.StatusOK && status("/v1/catalog") == http.StatusOK {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("recovered %s after kill -9", time.Since(killed).Round(time.Millisecond))
}
