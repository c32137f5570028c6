package pglocal

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

// POSIX ACL extended attribute (linux/posix_acl_xattr.h).
const (
	aclXattr     = "system.posix_acl_access"
	aclVersion   = 2
	aclUserObj   = 0x01
	aclUser      = 0x02
	aclGroupObj  = 0x04
	aclGroup     = 0x08
	aclMask      = 0x10
	aclOther     = 0x20
	aclNoID      = 0xFFFFFFFF
	aclExecute   = 0x1
	aclEntrySize = 8
)

type aclEntry struct {
	tag, perm uint16
	id        uint32
}

// grantTraverse lets acct pass through dir and every ancestor it could not
// (search permission only, x), by adding a user:<acct>:--x POSIX ACL entry
// to each: the mode bits and the other users' access stay as they were.
// It returns the directories it granted, or an error when the file system
// keeps no ACLs (the caller then uses a durable directory of its own).
func grantTraverse(acct *account, dir string) ([]string, error) {
	var granted []string
	for p := dir; ; p = filepath.Dir(p) {
		if st, err := os.Stat(p); err == nil && !traversable(acct, p, st) {
			if err := addUserExecute(p, acct.uid); err != nil {
				return granted, fmt.Errorf("grant %s search permission on %s: %w", acct.name, p, err)
			}
			granted = append(granted, p)
		}
		if p == filepath.Dir(p) {
			return granted, nil
		}
	}
}

// traversable reports whether acct may search directory p, by its mode
// bits or by an ACL entry of its own (within the mask).
func traversable(acct *account, p string, st os.FileInfo) bool {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return false
	}
	var bit os.FileMode = 0o001
	switch {
	case sys.Uid == acct.uid:
		bit = 0o100
	case sys.Gid == acct.gid:
		bit = 0o010
	}
	if st.Mode().Perm()&bit != 0 {
		return true
	}
	entries, err := readACL(p, "")
	if err != nil {
		return false
	}
	user, mask := false, uint16(aclExecute)
	for _, e := range entries {
		switch {
		case e.tag == aclUser && e.id == acct.uid:
			user = e.perm&aclExecute != 0
		case e.tag == aclMask:
			mask = e.perm
		}
	}
	return user && mask&aclExecute != 0
}

// addUserExecute adds (or widens) the ACL entry user:uid:--x on path.
func addUserExecute(path string, uid uint32) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	entries, err := readACL(path, "")
	if err != nil {
		return err
	}
	if len(entries) == 0 { // no ACL yet: the mode bits are its minimal form
		m := uint16(st.Mode().Perm())
		entries = []aclEntry{{aclUserObj, m >> 6 & 7, aclNoID}, {aclGroupObj, m >> 3 & 7, aclNoID}, {aclOther, m & 7, aclNoID}}
	}
	found := false
	for i, e := range entries {
		if e.tag == aclUser && e.id == uid {
			entries[i].perm |= aclExecute
			found = true
		}
	}
	if !found {
		entries = append(entries, aclEntry{aclUser, aclExecute, uid})
	}
	// The mask bounds the group class (named users, groups, the owning
	// group): their union, so that nobody's access shrinks.
	var mask uint16
	kept := entries[:0]
	for _, e := range entries {
		switch e.tag {
		case aclMask:
			continue
		case aclUser, aclGroup, aclGroupObj:
			mask |= e.perm
		}
		kept = append(kept, e)
	}
	entries = append(kept, aclEntry{aclMask, mask, aclNoID})
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].tag != entries[j].tag {
			return entries[i].tag < entries[j].tag
		}
		return entries[i].id < entries[j].id
	})
	buf := make([]byte, 4+aclEntrySize*len(entries))
	binary.LittleEndian.PutUint32(buf, aclVersion)
	for i, e := range entries {
		o := 4 + i*aclEntrySize
		binary.LittleEndian.PutUint16(buf[o:], e.tag)
		binary.LittleEndian.PutUint16(buf[o+2:], e.perm)
		binary.LittleEndian.PutUint32(buf[o+4:], e.id)
	}
	return syscall.Setxattr(path, aclXattr, buf, 0)
}

// readACL returns path's access ACL entries (none when it has only its
// mode bits).
func readACL(path, _ string) ([]aclEntry, error) {
	buf := make([]byte, 4+aclEntrySize*64)
	n, err := syscall.Getxattr(path, aclXattr, buf)
	if errors.Is(err, syscall.ENODATA) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if n < 4 || binary.LittleEndian.Uint32(buf) != aclVersion || (n-4)%aclEntrySize != 0 {
		return nil, fmt.Errorf("%s: unreadable ACL", path)
	}
	var entries []aclEntry
	for o := 4; o < n; o += aclEntrySize {
		entries = append(entries, aclEntry{binary.LittleEndian.Uint16(buf[o:]), binary.LittleEndian.Uint16(buf[o+2:]), binary.LittleEndian.Uint32(buf[o+4:])})
	}
	return entries, nil
}
