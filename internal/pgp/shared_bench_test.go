package pgp

import (
	"bytes"
	"io"
	"testing"
)

// benchPlain is an 8 MiB CSV-like release.
func benchPlain() []byte {
	return bytes.Repeat([]byte("610100,[20,30),哮喘,2026-01-01,西安市雁塔区\n"), 8<<20/50)
}

// BenchmarkEncrypt_PerBuyer is sealing a delivery for one buyer alone:
// the whole release encrypted and signed again for each.
func BenchmarkEncrypt_PerBuyer(b *testing.B) {
	p, buyer, _ := mustKeys(b)
	plain := benchPlain()
	b.SetBytes(int64(len(plain)))
	b.ResetTimer()
	for b.Loop() {
		if err := Encrypt(io.Discard, bytes.NewReader(plain), "order.tar", buyer.Public(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSealShared_Once is the one encryption of a release shared by
// all its buyers.
func BenchmarkSealShared_Once(b *testing.B) {
	p, _, _ := mustKeys(b)
	plain := benchPlain()
	b.SetBytes(int64(len(plain)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := SealShared(io.Discard, bytes.NewReader(plain), "release.tar", p.Public(), p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRewrap_PerBuyer is what each further buyer of a shared release
// costs: a session key packet of their own.
func BenchmarkRewrap_PerBuyer(b *testing.B) {
	p, buyer, _ := mustKeys(b)
	holder, err := SealShared(io.Discard, bytes.NewReader([]byte("x")), "release.tar", p.Public(), p)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Rewrap(holder, p, buyer.Public()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArmorMessage_PerDownload is what each download of a shared
// delivery costs: the buyer's packet and the shared body, armored as they
// stream.
func BenchmarkArmorMessage_PerDownload(b *testing.B) {
	p, buyer, _ := mustKeys(b)
	var body bytes.Buffer
	holder, err := SealShared(&body, bytes.NewReader(benchPlain()), "release.tar", p.Public(), p)
	if err != nil {
		b.Fatal(err)
	}
	packet, err := Rewrap(holder, p, buyer.Public())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(body.Len()))
	b.ResetTimer()
	for b.Loop() {
		if _, err := ArmorMessage(io.Discard, packet, bytes.NewReader(body.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
