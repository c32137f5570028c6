package pglocal

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
)

// account is the unprivileged system user the server runs as when the
// process is root; nil when the process is not root.
type account struct {
	name     string
	uid, gid uint32
}

// serverAccount returns the account to run PostgreSQL as: nil when not root,
// else the `postgres` user, else `nobody`.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
		gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
		if err1 != nil || err2 != nil || uid == 0 {
			continue
		}
		return &account{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
	}
	return nil, fmt.Errorf("running as root, and no unprivileged user (postgres, nobody) to run PostgreSQL as: create one with `useradd postgres`")
}

// canReach reports whether acct may traverse every directory from / down to
// dir (which need not exist yet: its nearest existing ancestor is checked).
func canReach(acct *account, dir string) bool {
	for p := dir; ; p = filepath.Dir(p) {
		if st, err := os.Stat(p); err == nil && !traversable(acct, p, st) {
			return false
		}
		if p == filepath.Dir(p) {
			return true
		}
	}
}

// relocated returns a directory acct can reach that stands for dir: the same
// path for every run, derived from dir's absolute path.
func relocated(dir string) string {
	sum := sha256.Sum256([]byte(dir))
	return filepath.Join("/var/tmp/shujiao-pglocal", hex.EncodeToString(sum[:8]))
}

// mkdirOwned creates dir (and parents) and, when acct is set, gives it to acct.
func mkdirOwned(dir string, mode os.FileMode, acct *account) error {
	if err := os.MkdirAll(dir, mode); err != nil {
		return err
	}
	if acct == nil {
		return nil
	}
	if err := os.Chmod(dir, mode); err != nil {
		return err
	}
	return os.Chown(dir, int(acct.uid), int(acct.gid))
}
