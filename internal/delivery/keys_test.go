package delivery

import (
	"testing"

	"github.com/shujiao/shujiao/internal/pgp"
)

// TestKeyCache_parsesAKeyOnceAndRefusesABadOne: the same armored key is
// parsed once and shared; another key is another entry; a key that does
// not parse is an error, every time.
func TestKeyCache_parsesAKeyOnceAndRefusesABadOne(t *testing.T) {
	var c keyCache
	armored := func(name string) string {
		k, err := pgp.Generate(name, name+"@example.test")
		if err != nil {
			t.Fatal(err)
		}
		b, err := k.ArmoredPublic()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a, b := armored("买方甲"), armored("买方乙")
	k1, err := c.parse(a)
	if err != nil {
		t.Fatal(err)
	}
	k2, err := c.parse(a)
	if err != nil {
		t.Fatal(err)
	}
	if k1 != k2 {
		t.Error("the same key was parsed twice")
	}
	k3, err := c.parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if k3.Fingerprint() == k1.Fingerprint() {
		t.Error("two keys share a fingerprint")
	}
	for range 2 {
		if _, err := c.parse("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----\n"); err == nil {
			t.Fatal("a bad key parsed")
		}
	}
}
