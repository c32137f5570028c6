package pglocal

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// mustQuery runs sql on a fresh connection to c.
func mustQuery(t *testing.T, c *Cluster, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// kill9 kills the cluster's postmaster as `kill -9` would and waits for it.
func kill9(t *testing.T, c *Cluster) {
	t.Helper()
	if err := syscall.Kill(c.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.Exited():
	case <-time.After(30 * time.Second):
		t.Fatal("postgres did not exit after SIGKILL")
	}
}

// TestStart_AfterKill9TheStalePidFileIsNotTakenForReady: after kill -9 of
// postgres, postmaster.pid still says "ready"; a new Start must start a
// server (which recovers) and return only once that server is ready. It
// returned at once before, reading the dead server's file, and the first
// query failed (serve, migrate and verify-ledger failed 4 times out of 4).
func TestStart_AfterKill9TheStalePidFileIsNotTakenForReady(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "var")
	c, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustQuery(t, c, "CREATE TABLE kept (x int); INSERT INTO kept VALUES (1)")
	kill9(t, c)
	if _, status, ok := readPidFile(c.DataDir()); !ok || status != "ready" {
		t.Fatalf("the killed server left no stale pid file (status %q): the test proves nothing", status)
	}
	again, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatalf("start after kill -9: %v", err)
	}
	t.Cleanup(func() { _ = again.Stop() })
	if !again.Owned() {
		t.Fatal("Start attached to the dead server's pid file instead of starting one")
	}
	mustQuery(t, again, "SELECT x FROM kept")
}

// TestRestart_BringsAKilledServerBack: when postgres dies under a running
// process, Restart starts it again on the same data.
func TestRestart_BringsAKilledServerBack(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "var")
	c, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	mustQuery(t, c, "CREATE TABLE kept (x int)")
	if err := c.Restart(ctx); err == nil {
		t.Fatal("Restart of a running server succeeded")
	}
	kill9(t, c)
	if err := c.Restart(ctx); err != nil {
		t.Fatalf("restart after kill -9: %v", err)
	}
	mustQuery(t, c, "SELECT * FROM kept")
}

// TestStart_TheClusterStaysUnderTheDataDirectoryWithAPrivateLog: as root,
// with a data directory the postgres user cannot enter (mode 0700
// parents), the cluster lives under it (an ACL lets the server user pass),
// never under /var/tmp, which systemd ages away; the server's log is not
// world-readable. Before, the cluster moved to /var/tmp/shujiao-pglocal
// and the log was mode 0644.
func TestStart_TheClusterStaysUnderTheDataDirectoryWithAPrivateLog(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the server user differs from ours only when tests run as root")
	}
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "var") // t.TempDir is mode 0700
	c, err := Start(ctx, dir, Options{Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	if got, want := c.DataDir(), filepath.Join(dir, "postgres"); got != want || strings.HasPrefix(got, "/var/tmp") {
		t.Errorf("cluster at %s, want %s", got, want)
	}
	st, err := os.Stat(filepath.Join(dir, "postgres.log"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		t.Errorf("postgres.log mode %v, want no access for others", st.Mode().Perm())
	}
	mustQuery(t, c, "SELECT 1")
}

// stopAChild stops (SIGSTOP) one child process of the cluster's server, so
// that it stays attached to the server's shared memory after the server is
// killed, and returns its pid. It is continued after d.
func stopAChild(t *testing.T, c *Cluster, d time.Duration) int {
	t.Helper()
	parent := c.cmd.Process.Pid
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skip("no /proc")
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat := readFile(filepath.Join("/proc", e.Name(), "stat"))
		// pid (comm) state ppid ...: comm may hold spaces, so split after ')'.
		i := strings.LastIndexByte(stat, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(stat[i+1:])
		if len(f) < 2 || f[1] != strconv.Itoa(parent) {
			continue
		}
		if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(d, func() { _ = syscall.Kill(pid, syscall.SIGCONT) })
		// Should the test end first (it failed), the child must not stay
		// stopped: an orphan nobody continues lives on.
		t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGCONT) })
		return pid
	}
	t.Fatal("the server has no child process")
	return 0
}

// TestRestart_WaitsForTheKilledServersChildren: after kill -9 of the
// server its children hold its shared memory until they notice, and a new
// server refuses to start meanwhile ("pre-existing shared memory block is
// still in use"). CI saw Restart fail so once; here a child is held
// stopped for a second after the kill, and Restart must still bring the
// server back.
func TestRestart_WaitsForTheKilledServersChildren(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "var")
	c, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Stop() })
	mustQuery(t, c, "CREATE TABLE kept (x int)")
	child := stopAChild(t, c, time.Second)
	kill9(t, c)
	if syscall.Kill(child, 0) != nil {
		t.Fatal("the stopped child is gone already: the test proves nothing")
	}
	if err := c.Restart(ctx); err != nil {
		t.Fatalf("restart while the killed server's child still runs: %v", err)
	}
	mustQuery(t, c, "SELECT * FROM kept")
}

// TestStart_RetriesWhileTheKilledServersChildrenHoldItsMemory: the same
// for a new process starting the cluster after another one's server was
// killed (serve started again after a crash): Start tries again until the
// children are gone.
func TestStart_RetriesWhileTheKilledServersChildrenHoldItsMemory(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "var")
	c, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mustQuery(t, c, "CREATE TABLE kept (x int)")
	stopAChild(t, c, time.Second)
	kill9(t, c)
	again, err := Start(ctx, dir, Options{})
	if err != nil {
		t.Fatalf("start while the killed server's child still runs: %v", err)
	}
	t.Cleanup(func() { _ = again.Stop() })
	mustQuery(t, again, "SELECT * FROM kept")
	if !strings.Contains(readFile(filepath.Join(dir, "postgres.log")), shmInUse) {
		t.Error("the first start was not refused for the shared memory: the retry was not exercised")
	}
}
