package pseudokey

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
)

func TestStore_RotationKeepsOldKeys(t *testing.T) {
	s := Open(t.TempDir())
	if _, err := s.Current(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("empty store: %v, want ErrNoKey", err)
	}
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	k1, err := s.Rotate("hmac-sm3", now)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := s.Rotate("hmac-sha256", now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.Current()
	if err != nil || cur.ID != k2.ID || cur.Method != anonymizer.MethodHMACSHA256 {
		t.Fatalf("current %v %v, want %s", cur, err, k2.ID)
	}
	all, err := s.All()
	if err != nil || len(all) != 2 || all[0].ID != k1.ID || string(all[0].Secret) != string(k1.Secret) {
		t.Fatalf("all %v %v, want both keys, oldest first", all, err)
	}
	if k1.ID == k2.ID || !strings.HasPrefix(k1.ID, "pk-") || strings.Contains(k1.ID, string(k1.Secret)) {
		t.Fatalf("key ids %s %s", k1.ID, k2.ID)
	}
	fi, err := os.Stat(filepath.Join(s.Dir(), k1.ID+".json"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v %v, want 0600", fi, err)
	}
	if KeyID(k1.Secret) != k1.ID {
		t.Fatal("key id is not derived from the secret")
	}
}

func TestStore_TamperedKeyIsRefused(t *testing.T) {
	s := Open(t.TempDir())
	k, err := s.Rotate("", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(s.Dir(), k.ID+".json")
	b, _ := os.ReadFile(path)
	// flip one hex digit of the secret: the id no longer matches
	i := strings.Index(string(b), `"secret_hex": "`) + len(`"secret_hex": "`)
	b[i] = map[bool]byte{true: '1', false: '0'}[b[i] == '0']
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Current(); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("tampered key: %v, want a mismatch error", err)
	}
}

func TestStore_KeyStringHidesSecret(t *testing.T) {
	k, err := Open(t.TempDir()).Rotate("hmac-sm3", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if s := k.String(); strings.Contains(s, string(k.Secret)) || !strings.Contains(s, k.ID) {
		t.Fatalf("key prints as %q", s)
	}
}
