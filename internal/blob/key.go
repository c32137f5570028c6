package blob

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/shujiao/shujiao/internal/durable"
)

// KeyFile returns the path of the store key: <data-dir>/keys/blob.key.
func KeyFile(dataDir string) string { return filepath.Join(dataDir, "keys", "blob.key") }

// loadOrCreateKey reads the 32-byte store key (64 hex digits) from path,
// creating it with mode 0600 when there is none. Two processes creating it
// at once agree on one key: the file is created with O_EXCL and the loser
// reads the winner's.
func loadOrCreateKey(path string) ([]byte, error) {
	if k, err := readKey(path); err == nil || !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("blob: create key directory: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("blob: generate key: %w", err)
	}
	// synced with its directory before any blob is sealed under it: blobs
	// are synced, and a key lost to a power loss would lose them all
	err := durable.CreateFile(path, []byte(hex.EncodeToString(key)+"\n"), 0o600)
	if errors.Is(err, fs.ErrExist) {
		return readKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("blob: write key %s: %w", path, err)
	}
	return key, nil
}

func readKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("blob: read key: %w", err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("blob: key %s is not 64 hex digits", path)
	}
	return key, nil
}
