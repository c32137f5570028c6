package pglocal

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestFindBinaries_NoneInstalledSaysWhatToInstall(t *testing.T) {
	_, err := findBinaries(t.TempDir(), filepath.Join(t.TempDir(), "nothing", "*", "bin"))
	if !errors.Is(err, ErrNoBinaries) {
		t.Fatalf("err = %v, want ErrNoBinaries", err)
	}
	if got := err.Error(); !strings.Contains(got, "apt-get install postgresql") {
		t.Errorf("message %q does not name the package to install", got)
	}
}

func TestStart_ServesQueriesAndStopLeavesNoProcess(t *testing.T) {
	ctx := context.Background()
	// A mode-0700 temporary folder: the server user cannot enter it when we are root.
	dir := t.TempDir()
	c, err := Start(ctx, dir, Options{Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	if !c.Owned() {
		t.Fatal("a fresh cluster should be owned by the process that started it")
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	var enc string
	if err := conn.QueryRow(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		t.Fatal(err)
	}
	if enc != "UTF8" {
		t.Errorf("server_encoding = %s, want UTF8", enc)
	}
	var listen string
	if err := conn.QueryRow(ctx, "SHOW listen_addresses").Scan(&listen); err != nil {
		t.Fatal(err)
	}
	if listen != "" {
		t.Errorf("listen_addresses = %q, want no TCP listener", listen)
	}
	conn.Close(ctx)

	// A second Start on the same directory attaches instead of failing.
	again, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatalf("second Start: %v", err)
	}
	if again.Owned() {
		t.Error("a second Start on a running cluster should attach, not own it")
	}
	if err := again.Stop(); err != nil {
		t.Fatal(err)
	}
	if pid, _, ok := readPidFile(c.DataDir()); !ok || syscall.Kill(pid, 0) != nil {
		t.Fatal("stopping an attached cluster must leave the server running")
	}

	pid := c.cmd.Process.Pid
	if err := c.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("postgres pid %d still running after Stop", pid)
	}
	if _, err := os.Stat(c.DataDir()); !os.IsNotExist(err) {
		t.Errorf("ephemeral cluster files remain at %s", c.DataDir())
	}
}

func TestStart_RestartsOnExistingData(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "var")
	for i := 0; i < 2; i++ {
		c, err := Start(ctx, dir, Options{})
		if err != nil {
			t.Fatalf("start %d: %v", i+1, err)
		}
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		conn, err := pgx.Connect(cctx, c.URL("postgres"))
		if err != nil {
			cancel()
			t.Fatalf("start %d: connect: %v", i+1, err)
		}
		if i == 0 {
			_, err = conn.Exec(cctx, "CREATE TABLE kept (x int)")
		} else {
			_, err = conn.Exec(cctx, "SELECT * FROM kept")
		}
		conn.Close(cctx)
		cancel()
		if err != nil {
			t.Fatalf("start %d: %v", i+1, err)
		}
		if err := c.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if os.Geteuid() == 0 {
			abs, _ := filepath.Abs(dir)
			os.RemoveAll(relocated(abs))
		}
	})
}
