package blob

import (
	"bytes"
	"testing"
)

func TestDeriveKey_StableForOneStoreDistinctPerLabelAndPerStore(t *testing.T) {
	dir := t.TempDir()
	a, b := mustStore(t, dir), mustStore(t, dir)
	other := mustStore(t, t.TempDir())
	k := a.DeriveKey("fingerprint/v1")
	if len(k) != 32 || !bytes.Equal(k, b.DeriveKey("fingerprint/v1")) {
		t.Fatal("the same data directory derives another key on reopening")
	}
	if bytes.Equal(k, a.DeriveKey("other")) || bytes.Equal(k, other.DeriveKey("fingerprint/v1")) || bytes.Equal(k, a.key) {
		t.Fatal("a derived key repeats another label's, another store's or the store key itself")
	}
}
