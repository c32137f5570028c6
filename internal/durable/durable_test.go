package durable

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestCreateFile_WritesANewFileAndNeverOverwrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "key")
	if err := CreateFile(path, []byte("first\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := CreateFile(path, []byte("second\n"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("a second CreateFile: %v, want fs.ErrExist", err)
	}
	b, err := os.ReadFile(path)
	if err != nil || string(b) != "first\n" {
		t.Fatalf("content %q, %v: the first write must stay", b, err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", st.Mode().Perm(), err)
	}
	if err := CreateFile(filepath.Join(dir, "missing", "key"), []byte("x"), 0o600); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("CreateFile in a missing directory: %v, want fs.ErrNotExist", err)
	}
}

func TestReplaceFile_ReplacesAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "current")
	for _, body := range []string{"k1\n", "k2\n"} {
		if err := ReplaceFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != body {
			t.Fatalf("content %q, want %q", b, body)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Errorf("directory holds %v (%v), want only current", entries, err)
	}
	if err := SyncDir(filepath.Join(dir, "nope")); err == nil {
		t.Error("SyncDir of a missing directory succeeded")
	}
}
