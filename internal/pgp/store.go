package pgp

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/shujiao/shujiao/internal/durable"
)

// ErrKeyExists is returned by InitPlatformKey when the data directory
// already holds a platform key (it is never overwritten).
var ErrKeyExists = errors.New("pgp: platform key already exists")

// ErrNoPlatformKey is returned (wrapped) when the data directory holds no
// platform key; run `shujiao keys init`.
var ErrNoPlatformKey = errors.New("pgp: no platform key (run `shujiao keys init`)")

// PlatformKeyFiles returns the paths of the platform's private key
// (<data-dir>/keys/platform.key, mode 0600) and public key
// (<data-dir>/keys/platform.pub.asc).
func PlatformKeyFiles(dataDir string) (private, public string) {
	dir := filepath.Join(dataDir, "keys")
	return filepath.Join(dir, "platform.key"), filepath.Join(dir, "platform.pub.asc")
}

// InitPlatformKey generates the platform key for name <email> and writes
// both halves under <data-dir>/keys/. It returns ErrKeyExists when a
// platform key is already there, or the generation or I/O error.
func InitPlatformKey(dataDir, name, email string) (*Key, error) {
	priv, pub := PlatformKeyFiles(dataDir)
	if _, err := os.Stat(priv); err == nil {
		return nil, fmt.Errorf("%w: %s", ErrKeyExists, priv)
	}
	k, err := Generate(name, email)
	if err != nil {
		return nil, err
	}
	privBytes, err := k.ArmoredPrivate()
	if err != nil {
		return nil, err
	}
	pubBytes, err := k.ArmoredPublic()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(priv), 0o700); err != nil {
		return nil, fmt.Errorf("pgp: create key directory: %w", err)
	}
	// O_EXCL: two concurrent inits never overwrite each other's key.
	// Synced with its directory: heads, certificates and deliveries are
	// signed with it at once, and a power loss must not take it back (a
	// new key at the next start would disown them).
	if err := durable.CreateFile(priv, privBytes, 0o600); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%w: %s", ErrKeyExists, priv)
		}
		return nil, fmt.Errorf("pgp: write platform key %s: %w", priv, err)
	}
	if err := durable.ReplaceFile(pub, pubBytes, 0o644); err != nil {
		return nil, fmt.Errorf("pgp: write %s: %w", pub, err)
	}
	return k, nil
}

// LoadPlatformKey reads the platform key with its private part from
// <data-dir>/keys/. It returns an error wrapping ErrNoPlatformKey when there
// is none, or the read error.
func LoadPlatformKey(dataDir string) (*Key, error) {
	priv, _ := PlatformKeyFiles(dataDir)
	k, err := loadFile(priv)
	if err != nil {
		return nil, err
	}
	if !k.HasPrivate() {
		return nil, fmt.Errorf("pgp: %s: %w", priv, ErrNoPrivateKey)
	}
	return k, nil
}

// LoadPlatformPublicKey reads the platform's public key from <data-dir>/keys/.
// It returns an error wrapping ErrNoPlatformKey when there is none.
func LoadPlatformPublicKey(dataDir string) (*Key, error) {
	_, pub := PlatformKeyFiles(dataDir)
	return loadFile(pub)
}

// LoadKeyFile reads one armored key (public or private) from a file.
func LoadKeyFile(path string) (*Key, error) { return loadFile(path) }

func loadFile(path string) (*Key, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w", path, ErrNoPlatformKey)
		}
		return nil, fmt.Errorf("pgp: open key: %w", err)
	}
	defer f.Close()
	k, err := ReadKey(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// Identity of the platform key that serve, demo and the load benchmark
// create on first use (`shujiao keys init` may name it otherwise).
const (
	PlatformKeyName  = "Shujiao data exchange"
	PlatformKeyEmail = "platform@shujiao.local"
)

// OpenPlatformKey is the one loader of the platform key for the server:
// it reads the key with its private part from <data-dir>/keys/, creating
// it (PlatformKeyName, PlatformKeyEmail) when there is none yet, and
// reports created true then. Two processes starting at once get the same
// key: the loser of the race reads the winner's. It returns the
// generation or I/O error.
func OpenPlatformKey(dataDir string) (key *Key, created bool, err error) {
	key, err = LoadPlatformKey(dataDir)
	if !errors.Is(err, ErrNoPlatformKey) {
		return key, false, err
	}
	key, err = InitPlatformKey(dataDir, PlatformKeyName, PlatformKeyEmail)
	if errors.Is(err, ErrKeyExists) { // another process just made it
		key, err = LoadPlatformKey(dataDir)
		return key, false, err
	}
	return key, err == nil, err
}
