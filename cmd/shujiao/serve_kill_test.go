package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// helperServeEnv names the data directory the test binary serves when it
// runs as TestServe_Kill9OfServe's child process.
const helperServeEnv = "SHUJIAO_TEST_HELPER_SERVE"

// TestHelperServe is not a test: it is serve, run by the test binary as a
// child process that TestServe_Kill9OfServe kills.
func TestHelperServe(t *testing.T) {
	dir := os.Getenv(helperServeEnv)
	if dir == "" {
		t.Skip("the child process of TestServe_Kill9OfServe")
	}
	err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, nil, os.Stdout, os.Stderr)
	t.Fatalf("serve returned: %v", err)
}

// TestServe_Kill9OfServe: after kill -9 of serve, its private PostgreSQL
// goes too (no orphan holding the data directory) and the next serve on the
// same data directory starts and answers /readyz.
func TestServe_Kill9OfServe(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := filepath.Join(t.TempDir(), "var")
	child := exec.Command(os.Args[0], "-test.run=^TestHelperServe$")
	child.Env = append(os.Environ(), helperServeEnv+"="+dir)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "shujiao serving on ") {
		_ = child.Process.Kill()
		t.Fatalf("the child serve printed %q (%v)", line, err)
	}
	pidFile := filepath.Join(dir, "postgres", "postmaster.pid")
	if _, err := os.Stat(pidFile); err != nil {
		t.Fatalf("no running cluster under the data directory: %v", err)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(pidFile); os.IsNotExist(err) {
			break // PostgreSQL shut down with its parent
		}
		if time.Now().After(deadline) {
			t.Fatal("PostgreSQL still runs 30 s after kill -9 of serve")
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
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
	line, err = bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("the next serve printed no address: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	resp, err := http.Get(strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on ")) + "/readyz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz of the next serve: %v %v", resp, err)
	}
	resp.Body.Close()
}
