package pseudokey

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/durable"
)

// ErrNoKey is returned (wrapped) when the store holds no pseudonymization
// key; run `shujiao keys init` or `shujiao keys rotate-pseudonym`.
var ErrNoKey = errors.New("pseudokey: no platform pseudonymization key (run `shujiao keys rotate-pseudonym`)")

// Store is the key store under one data directory. Its methods are safe
// for concurrent use by readers; Rotate is meant for one operator at a time
// (two concurrent rotations each add a key; the last names the current one).
type Store struct {
	dir string
}

// Open returns the store of dataDir (it need not exist yet).
func Open(dataDir string) *Store {
	return &Store{dir: filepath.Join(dataDir, "keys", "pseudonym")}
}

// Dir is the directory holding the keys.
func (s *Store) Dir() string { return s.dir }

// file is a key on disk.
type file struct {
	ID        string    `json:"id"`
	Method    string    `json:"method"`
	Secret    string    `json:"secret_hex"`
	CreatedAt time.Time `json:"created_at"`
}

// KeyID derives a key's public name from its secret: "pk-" and 16 hex digits
// of SHA-256 over a label and the secret (one-way: it reveals nothing of it).
func KeyID(secret []byte) string {
	h := sha256.New()
	h.Write([]byte("shujiao pseudonym key id\x00"))
	h.Write(secret)
	return "pk-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// Rotate creates a new 256-bit key for method (hmac-sm3 or hmac-sha256)
// and makes it current; earlier keys stay in the store. It returns the new
// key, or an error for an unknown method or when the files cannot be
// written.
func (s *Store) Rotate(method string, now time.Time) (anonymizer.PseudonymKey, error) {
	m, err := anonymizer.ParsePseudonymMethod(method)
	if err != nil {
		return anonymizer.PseudonymKey{}, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: random key: %w", err)
	}
	k := anonymizer.PseudonymKey{ID: KeyID(secret), Method: m, Secret: secret}
	body, err := json.MarshalIndent(file{ID: k.ID, Method: m, Secret: hex.EncodeToString(secret), CreatedAt: now.UTC().Truncate(time.Second)}, "", "  ")
	if err != nil {
		return anonymizer.PseudonymKey{}, err
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: create %s: %w", s.dir, err)
	}
	// Both files are synced with their directory: releases are
	// pseudonymized under the key the moment it is current, and a power
	// loss must not take the key (or which one is current) back.
	if err := durable.CreateFile(filepath.Join(s.dir, k.ID+".json"), append(body, '\n'), 0o600); err != nil {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: write key: %w", err)
	}
	if err := durable.ReplaceFile(filepath.Join(s.dir, "current"), []byte(k.ID+"\n"), 0o600); err != nil {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: write current: %w", err)
	}
	return k, nil
}

// Current returns the key new pseudonyms use. It returns an error wrapping
// ErrNoKey when there is none.
func (s *Store) Current() (anonymizer.PseudonymKey, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "current"))
	if errors.Is(err, fs.ErrNotExist) {
		return anonymizer.PseudonymKey{}, fmt.Errorf("%w: %s", ErrNoKey, s.dir)
	}
	if err != nil {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: %w", err)
	}
	return s.load(strings.TrimSpace(string(b)))
}

// All returns every key of the store, current and rotated, oldest first
// (none when the store is empty or absent).
func (s *Store) All() ([]anonymizer.PseudonymKey, error) {
	names, err := filepath.Glob(filepath.Join(s.dir, "pk-*.json"))
	if err != nil {
		return nil, err
	}
	type dated struct {
		k anonymizer.PseudonymKey
		t time.Time
	}
	var ds []dated
	for _, n := range names {
		f, err := readFile(n)
		if err != nil {
			return nil, err
		}
		k, err := f.key()
		if err != nil {
			return nil, fmt.Errorf("pseudokey: %s: %w", n, err)
		}
		ds = append(ds, dated{k, f.CreatedAt})
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].t.Before(ds[j].t) })
	out := make([]anonymizer.PseudonymKey, len(ds))
	for i, d := range ds {
		out[i] = d.k
	}
	return out, nil
}

func (s *Store) load(id string) (anonymizer.PseudonymKey, error) {
	if !strings.HasPrefix(id, "pk-") || strings.ContainsAny(id, `/\.`) {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: bad key id %q in %s", id, s.dir)
	}
	f, err := readFile(filepath.Join(s.dir, id+".json"))
	if err != nil {
		return anonymizer.PseudonymKey{}, err
	}
	k, err := f.key()
	if err != nil {
		return anonymizer.PseudonymKey{}, fmt.Errorf("pseudokey: key %s: %w", id, err)
	}
	return k, nil
}

func readFile(path string) (file, error) {
	var f file
	b, err := os.ReadFile(path)
	if err != nil {
		return f, fmt.Errorf("pseudokey: %w", err)
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return f, fmt.Errorf("pseudokey: %s: %w", path, err)
	}
	return f, nil
}

// key checks a key file: its secret must give its ID.
func (f file) key() (anonymizer.PseudonymKey, error) {
	secret, err := hex.DecodeString(f.Secret)
	if err != nil || len(secret) < 16 {
		return anonymizer.PseudonymKey{}, errors.New("secret_hex is not a key of 16 bytes or more")
	}
	if KeyID(secret) != f.ID {
		return anonymizer.PseudonymKey{}, fmt.Errorf("id %s does not match its secret", f.ID)
	}
	m, err := anonymizer.ParsePseudonymMethod(f.Method)
	if err != nil {
		return anonymizer.PseudonymKey{}, err
	}
	return anonymizer.PseudonymKey{ID: f.ID, Method: m, Secret: secret}, nil
}
