package pglocal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// durableRoot is where a cluster lives when the server user cannot be let
// into the data directory (a file system without ACLs): a system directory
// nothing ages away, unlike /var/tmp, which systemd-tmpfiles empties of
// files unchanged for 30 days.
const durableRoot = "/var/lib/shujiao/pglocal"

// reachableBase returns the directory the cluster lives under: dataDir
// itself, after giving the server user search permission on the folders
// above it that keep it out (an ACL entry each, logged); else a directory
// under durableRoot named after dataDir. A cluster an earlier version
// placed under /var/tmp is kept where it is, with a warning to move it.
func reachableBase(acct *account, dataDir string, log *slog.Logger) (string, error) {
	if acct == nil || canReach(acct, dataDir) {
		return dataDir, nil
	}
	if old := relocated(dataDir); fileExists(filepath.Join(old, "postgres", "PG_VERSION")) && !fileExists(filepath.Join(dataDir, "postgres", "PG_VERSION")) {
		log.Warn("postgres: using the cluster an earlier version placed under /var/tmp, which systemd-tmpfiles may empty: stop shujiao and move it to the data directory",
			"dir", old, "move_to", filepath.Join(dataDir, "postgres"))
		return old, nil
	}
	granted, err := grantTraverse(acct, dataDir)
	if err == nil {
		log.Info("postgres: the cluster lives under the data directory; the server user was given search permission (ACL user:"+acct.name+":--x) on the folders above it",
			"dir", dataDir, "granted", strings.Join(granted, ","))
		return dataDir, nil
	}
	sum := sha256.Sum256([]byte(dataDir))
	base := filepath.Join(durableRoot, hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(durableRoot, 0o755); err != nil {
		return "", fmt.Errorf("data directory %s is not reachable by %s (%v), and %s cannot be made: %w", dataDir, acct.name, err, durableRoot, err)
	}
	log.Warn("postgres: the server user cannot enter the data directory and its file system keeps no ACLs; the cluster lives in a durable system directory instead",
		"requested", dataDir, "user", acct.name, "dir", base, "reason", err.Error())
	return base, nil
}

// isPostgres reports whether pid is a live PostgreSQL process (not a pid a
// crashed server left in postmaster.pid and the system gave to another
// program since).
func isPostgres(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil {
		return true // no /proc: trust the signal check
	}
	return strings.HasPrefix(strings.TrimSpace(string(comm)), "postgres")
}

// noteStalePid logs a postmaster.pid left by a server that is gone (killed,
// or the machine crashed): the new server replaces it and recovers.
func (c *Cluster) noteStalePid() {
	if pid, status, ok := readPidFile(c.pgdata); ok && !isPostgres(pid) {
		c.log.Warn("postgres: found the postmaster.pid of a server that is gone (crash); starting a new one, which recovers",
			"stale_pid", pid, "stale_status", status, "dir", c.pgdata)
	}
}

// quietLogArgs keep personal data out of the server's log at the default
// level: no failing statement's text (it carries values: e-mail
// addresses, names) and no DETAIL lines (a unique violation quotes the
// key's value).
var quietLogArgs = []string{"-c", "log_min_error_statement=panic", "-c", "log_error_verbosity=terse"}

// openServerLog opens the server's log for appending, readable by its
// owner only (an existing world-readable log is made private).
func openServerLog(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open server log: %w", err)
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return nil, fmt.Errorf("open server log: %w", err)
	}
	return f, nil
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// Exited returns a channel closed when the server this Cluster started
// exits, for whatever reason (nil for a cluster it attached to).
func (c *Cluster) Exited() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exited
}

// Restart starts the server again after it exited under us (killed, or
// crashed): PostgreSQL replaces the stale postmaster.pid and recovers from
// its write-ahead log. It returns an error when this Cluster did not start
// the server, when the server still runs, or when it does not come back.
func (c *Cluster) Restart(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.owned {
		return errors.New("postgres: restart: another process runs this cluster")
	}
	select {
	case <-c.exited:
	default:
		return errors.New("postgres: restart: the server still runs")
	}
	c.log.Warn("postgres: the private cluster exited; restarting it", "dir", c.pgdata, "exit", fmt.Sprint(c.waitErr))
	c.awaitOrphans(ctx, c.cmd.Process.Pid)
	c.stopOnce = sync.Once{}
	return c.start(ctx)
}

// orphanWait bounds how long Restart waits for the children of a server
// that died before it kills them.
const orphanWait = 10 * time.Second

// awaitOrphans waits until no process is left in the process group of the
// server that died (its pid: start makes it a group leader). Its children
// stay attached to its shared memory until they notice their parent is
// gone, and PostgreSQL refuses to start a new server meanwhile. Children
// still there after orphanWait are killed: without their postmaster they
// serve nobody, and their shared memory is what the new server recovers
// from the write-ahead log anyway.
func (c *Cluster) awaitOrphans(ctx context.Context, pgid int) {
	deadline := time.Now().Add(orphanWait)
	killed := false
	// A zombie (an orphan nobody reaps) answers the signal check too but
	// holds no memory: give up 5 s after the kill and let start retry.
	for syscall.Kill(-pgid, 0) == nil && time.Now().Before(deadline.Add(5*time.Second)) {
		if !killed && time.Now().After(deadline) {
			c.log.Warn("postgres: processes of the server that died are still running; killing them", "process_group", pgid)
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			killed = true
		}
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
			return
		}
	}
}
