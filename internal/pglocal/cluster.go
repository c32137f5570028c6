package pglocal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options tune a private cluster.
type Options struct {
	// Logger receives what the cluster does (initdb, start, stop). Nil: discard.
	Logger *slog.Logger
	// Ephemeral trades durability for speed (fsync off), for tests, and
	// removes the cluster's files on Stop.
	Ephemeral bool
	// MaxConnections is PostgreSQL's max_connections (default 200).
	MaxConnections int
	// BinDir overrides where the server binaries are looked for.
	BinDir string
	// Settings are extra server settings, each "name=value", passed as
	// -c options when the server starts (e.g. the load benchmark's
	// shared_preload_libraries=pg_stat_statements).
	Settings []string
}

// Cluster is a running private PostgreSQL server. Its methods are safe for
// concurrent use.
type Cluster struct {
	pgdata  string
	sockDir string
	port    int
	owned   bool // we started the server and must stop it
	opt     Options
	log     *slog.Logger
	bindir  string
	acct    *account

	mu       sync.Mutex // held by Stop and Restart
	cmd      *exec.Cmd
	exited   chan struct{}
	waitErr  error
	stopOnce sync.Once
	stopErr  error
}

const (
	port         = 5432 // names the socket file only: no TCP listener
	readyTimeout = 60 * time.Second
	stopTimeout  = 30 * time.Second
	maxSocketLen = 100 // sun_path holds 108 bytes with the terminating NUL
)

// Start starts (after initdb on first use) a PostgreSQL cluster whose files
// live under dataDir/postgres, listening on a Unix socket only, and waits
// until it accepts connections. When a server already runs on that
// directory (another shujiao process started it), Start attaches to it and
// Stop leaves it running.
//
// It returns ErrNoBinaries when the server binaries are not installed.
func Start(ctx context.Context, dataDir string, opt Options) (*Cluster, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.MaxConnections == 0 {
		opt.MaxConnections = 200
	}
	bindir := opt.BinDir
	if bindir == "" {
		var err error
		if bindir, err = FindBinaries(); err != nil {
			return nil, err
		}
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("data directory %s: %w", dataDir, err)
	}
	acct, err := serverAccount()
	if err != nil {
		return nil, err
	}
	base, err := reachableBase(acct, abs, log)
	if err != nil {
		return nil, err
	}
	c := &Cluster{pgdata: filepath.Join(base, "postgres"), port: port, opt: opt, log: log, bindir: bindir, acct: acct}
	c.sockDir = c.pgdata
	if len(c.sockDir)+len("/.s.PGSQL.5432") > maxSocketLen {
		c.sockDir = filepath.Join(os.TempDir(), "shujiao-pg-"+filepath.Base(relocated(abs)))
	}
	if err := mkdirOwned(base, 0o755, nil); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	if attached, err := c.attach(); err != nil || attached {
		return c, err
	}
	if err := c.initdb(ctx); err != nil {
		return nil, err
	}
	if err := c.start(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// URL returns a connection string for database on this cluster, as user postgres.
func (c *Cluster) URL(database string) string {
	q := url.Values{}
	q.Set("host", c.sockDir)
	q.Set("port", strconv.Itoa(c.port))
	q.Set("sslmode", "disable")
	return "postgres://postgres@/" + url.PathEscape(database) + "?" + q.Encode()
}

// SocketDir returns the directory of the server's Unix socket (for psql -h, pgbench -h).
func (c *Cluster) SocketDir() string { return c.sockDir }

// DataDir returns PGDATA.
func (c *Cluster) DataDir() string { return c.pgdata }

// BinDir returns the directory of the server binaries (for pgbench and friends).
func (c *Cluster) BinDir() string { return c.bindir }

// Owned reports whether this Cluster started the server (and Stop stops it).
func (c *Cluster) Owned() bool { return c.owned }

// attach reports whether a server already runs on pgdata and is ready.
func (c *Cluster) attach() (bool, error) {
	pid, status, ok := readPidFile(c.pgdata)
	if !ok || !isPostgres(pid) {
		return false, nil // none, or the file of a crashed server (start notes it)
	}
	if status != "ready" {
		return false, fmt.Errorf("a PostgreSQL server (pid %d) on %s is %q, not ready: wait for it or stop it", pid, c.pgdata, status)
	}
	if _, err := os.Stat(filepath.Join(c.sockDir, ".s.PGSQL."+strconv.Itoa(c.port))); err != nil {
		return false, nil
	}
	c.log.Info("postgres: attached to the running private cluster", "pid", pid, "dir", c.pgdata)
	return true, nil
}

func (c *Cluster) initdb(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.pgdata, "PG_VERSION")); err == nil {
		return nil
	}
	if err := mkdirOwned(c.pgdata, 0o700, c.acct); err != nil {
		return fmt.Errorf("create %s: %w", c.pgdata, err)
	}
	c.log.Info("postgres: initializing a private cluster", "dir", c.pgdata, "bindir", c.bindir)
	var lastErr error
	// C.UTF-8 classifies Chinese characters as letters (pg_trgm needs that);
	// plain C is the fallback on a libc without it.
	for _, locale := range []string{"C.UTF-8", "C"} {
		cmd := exec.CommandContext(ctx, filepath.Join(c.bindir, "initdb"), "-D", c.pgdata, "-U", "postgres",
			"-A", "trust", "-E", "UTF8", "--locale="+locale, "--no-instructions")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		cmd.SysProcAttr = c.procAttr()
		if err := cmd.Run(); err != nil {
			lastErr = fmt.Errorf("initdb: %w: %s", err, tail(out.String(), 3))
			_ = clearDir(c.pgdata)
			continue
		}
		return nil
	}
	return lastErr
}

func (c *Cluster) start(ctx context.Context) error {
	if err := mkdirOwned(c.sockDir, 0o700, c.acct); err != nil {
		return fmt.Errorf("create socket directory: %w", err)
	}
	logPath := filepath.Join(filepath.Dir(c.pgdata), "postgres.log")
	logFile, err := openServerLog(logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	c.noteStalePid()
	args := []string{"-D", c.pgdata, "-k", c.sockDir, "-p", strconv.Itoa(c.port),
		"-c", "listen_addresses=", "-c", "max_connections=" + strconv.Itoa(c.opt.MaxConnections)}
	if c.opt.Ephemeral {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	args = append(args, quietLogArgs...)
	for _, kv := range c.opt.Settings {
		args = append(args, "-c", kv)
	}
	// After kill -9 of a server its children (checkpointer, writers,
	// backends) stay attached to its shared memory until they notice their
	// parent is gone, and a new server refuses to start meanwhile: try
	// again until readyTimeout has passed.
	retryUntil := time.Now().Add(readyTimeout)
	for {
		err := c.launch(ctx, args, logFile, logPath)
		if !errors.Is(err, errShmInUse) || time.Now().After(retryUntil) {
			return err
		}
		c.log.Warn("postgres: processes of the previous server still hold its shared memory; starting again shortly", "dir", c.pgdata)
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// errShmInUse marks a start PostgreSQL refused because processes of an
// earlier server are still attached to its shared memory.
var errShmInUse = errors.New("the previous server's shared memory is still in use")

// shmInUse is what PostgreSQL logs in that case.
const shmInUse = "pre-existing shared memory block"

// launch starts postgres once and waits until it is ready.
func (c *Cluster) launch(ctx context.Context, args []string, logFile *os.File, logPath string) error {
	logStart := fileSize(logPath)
	cmd := exec.Command(filepath.Join(c.bindir, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = c.procAttr()
	// Its own process group, so a Ctrl-C on the terminal reaches us, not the
	// server: we drain requests first, then stop it.
	cmd.SysProcAttr.Setpgid = true
	// Should this process die without stopping the server, the kernel tells
	// the server to shut down (fast): no orphan postgres.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	c.cmd, c.owned, c.exited = cmd, true, make(chan struct{})
	go func() { c.waitErr = cmd.Wait(); close(c.exited) }()

	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		// The file of a crashed server says "ready" too: only our own pid counts.
		if pid, status, ok := readPidFile(c.pgdata); ok && status == "ready" && pid == cmd.Process.Pid {
			c.log.Info("postgres: private cluster started", "pid", cmd.Process.Pid, "dir", c.pgdata, "socket", c.sockDir)
			return nil
		}
		select {
		case <-c.exited:
			said := readFrom(logPath, logStart)
			if strings.Contains(said, shmInUse) {
				return fmt.Errorf("%w: postgres exited while starting (%v); its log %s says: %s", errShmInUse, c.waitErr, logPath, tail(said, 3))
			}
			return fmt.Errorf("postgres exited while starting (%v); its log %s says: %s", c.waitErr, logPath, tail(said, 3))
		case <-deadline.C:
			_ = c.stop()
			return fmt.Errorf("postgres not ready after %s; see %s", readyTimeout, logPath)
		case <-ctx.Done():
			_ = c.stop()
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Stop shuts the server down (fast shutdown: open sessions are ended) if
// this Cluster started it, and waits for it to exit. It is idempotent.
func (c *Cluster) Stop() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stop()
}

func (c *Cluster) stop() error {
	c.stopOnce.Do(func() {
		if !c.owned {
			return
		}
		_ = c.cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-c.exited:
		case <-time.After(stopTimeout):
			_ = c.cmd.Process.Signal(syscall.SIGQUIT)
			select {
			case <-c.exited:
			case <-time.After(5 * time.Second):
				_ = c.cmd.Process.Kill()
				<-c.exited
			}
			c.stopErr = errors.New("postgres did not stop in time and was killed")
		}
		c.log.Info("postgres: private cluster stopped", "dir", c.pgdata)
		if c.opt.Ephemeral {
			if err := os.RemoveAll(filepath.Dir(c.pgdata)); err != nil && c.stopErr == nil {
				c.stopErr = fmt.Errorf("remove ephemeral cluster: %w", err)
			}
			if c.sockDir != c.pgdata {
				_ = os.RemoveAll(c.sockDir)
			}
		}
	})
	return c.stopErr
}

func (c *Cluster) procAttr() *syscall.SysProcAttr {
	attr := &syscall.SysProcAttr{}
	if c.acct != nil {
		attr.Credential = &syscall.Credential{Uid: c.acct.uid, Gid: c.acct.gid, NoSetGroups: true}
	}
	return attr
}

// readPidFile reads postmaster.pid: the server's pid and its status line
// ("starting", "ready", "stopping").
func readPidFile(pgdata string) (pid int, status string, ok bool) {
	lines := strings.Split(readFile(filepath.Join(pgdata, "postmaster.pid")), "\n")
	if len(lines) < 8 {
		return 0, "", false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return 0, "", false
	}
	return pid, strings.TrimSpace(lines[7]), true
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

// readFrom returns the file at p from byte offset on (the whole file when
// it has become shorter).
func readFrom(p string, offset int64) string {
	b := readFile(p)
	if offset < 0 || offset > int64(len(b)) {
		return b
	}
	return b[offset:]
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}

func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

// tail returns the last n non-empty lines of s, joined by " | ".
func tail(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
