package blob

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStore_RemovesStaleTempAndCollectsUnreferencedBlobs: a temporary file a
// killed Put left behind and a blob no record references (a release whose
// job was interrupted before recording it) are removed once their grace
// period is over; fresh files and referenced blobs stay. Before, both kinds
// stayed forever (113 MB each in the issue).
func TestStore_RemovesStaleTempAndCollectsUnreferencedBlobs(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := s.Put(bytes.NewReader([]byte("referenced release")))
	if err != nil {
		t.Fatal(err)
	}
	orphan, err := s.Put(bytes.NewReader([]byte("interrupted release")))
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "blobs", "tmp", "put-123")
	fresh := filepath.Join(dir, "blobs", "tmp", "put-456")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("half a release"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Now()
	old := now.Add(-2 * time.Hour)
	for _, p := range []string{stale, s.path(kept.SHA256), s.path(orphan.SHA256)} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}

	sw, err := s.RemoveStaleTemp(time.Hour, now)
	if err != nil || sw.Files != 1 {
		t.Fatalf("RemoveStaleTemp = %+v, %v; want the one stale file", sw, err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the stale temporary file remains")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a fresh temporary file (a Put in progress) was removed")
	}

	referenced := func(sum string) bool { return sum == kept.SHA256 }
	if sw, err := s.Collect(referenced, 3*time.Hour, now); err != nil || sw.Files != 0 {
		t.Fatalf("within the grace period: %+v, %v; want nothing removed", sw, err)
	}
	sw, err = s.Collect(referenced, time.Hour, now)
	if err != nil || sw.Files != 1 || sw.Names[0] != orphan.SHA256 {
		t.Fatalf("Collect = %+v, %v; want the orphan only", sw, err)
	}
	if !s.Exists(kept.SHA256) || s.Exists(orphan.SHA256) {
		t.Errorf("after Collect: referenced kept %v, orphan kept %v", s.Exists(kept.SHA256), s.Exists(orphan.SHA256))
	}
}
