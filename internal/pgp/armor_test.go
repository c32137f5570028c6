package pgp

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
)

// referenceArmor is go-crypto's armor of data, as Encrypt wrote it before.
func referenceArmor(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := armor.Encode(&buf, "PGP MESSAGE", nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		tb.Fatal(err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// ourArmor is newArmor's armor of data written in pieces of the sizes
// chunk returns.
func ourArmor(tb testing.TB, data []byte, chunk func() int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := newArmor(&buf, "PGP MESSAGE")
	if err != nil {
		tb.Fatal(err)
	}
	for len(data) > 0 {
		n := min(max(chunk(), 0), len(data))
		if _, err := w.Write(data[:n]); err != nil {
			tb.Fatal(err)
		}
		data = data[n:]
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// The armor writes the bytes go-crypto's armor writes — lines, padding,
// checksum — whatever the length of the data and the sizes of the writes,
// and go-crypto's decoder (which checks the checksum) reads it back.
func TestArmor_SameBytesAsGoCryptoForEveryLengthAndWriteSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 200_000)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	lengths := []int{0, 1, 2, 3, 47, 48, 49, 95, 96, 97, 1000, 32 << 10, 200_000}
	writes := map[string]func() int{
		"one write":    func() int { return 1 << 30 },
		"byte by byte": func() int { return 1 },
		"odd pieces":   func() int { return 1 + rng.IntN(100) },
		"large pieces": func() int { return 30_000 + rng.IntN(40_000) },
	}
	for _, n := range lengths {
		want := referenceArmor(t, data[:n])
		for name, chunk := range writes {
			if n > 5000 && name == "byte by byte" {
				continue
			}
			got := ourArmor(t, data[:n], chunk)
			if !bytes.Equal(got, want) {
				t.Fatalf("%d bytes, %s: armor differs from go-crypto's:\n%q\nwant\n%q", n, name, got[max(0, len(got)-120):], want[max(0, len(want)-120):])
			}
		}
		block, err := armor.Decode(bytes.NewReader(ourArmor(t, data[:n], writes["odd pieces"])))
		if err != nil {
			t.Fatalf("%d bytes: go-crypto cannot decode the armor: %v", n, err)
		}
		var back bytes.Buffer
		if _, err := back.ReadFrom(block.Body); err != nil || !bytes.Equal(back.Bytes(), data[:n]) {
			t.Fatalf("%d bytes: decoded %d bytes (%v), want the data back", n, back.Len(), err)
		}
	}
}

// crc24Bitwise is RFC 4880 §6.1's CRC-24, one bit at a time.
func crc24Bitwise(crc uint32, p []byte) uint32 {
	for _, b := range p {
		crc ^= uint32(b) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= crc24Poly
			}
		}
	}
	return crc & 0xffffff
}

// The table-driven CRC-24 is RFC 4880's, for every length (the eight-byte
// steps and the bytes after them) and when resumed across writes.
func TestCRC24_TheRFCsChecksumForEveryLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 4096)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for n := range 100 {
		if got, want := crc24(crc24Init, data[:n]), crc24Bitwise(crc24Init, data[:n]); got != want {
			t.Fatalf("%d bytes: crc %06x, want %06x", n, got, want)
		}
	}
	split := crc24(crc24(crc24Init, data[:1001]), data[1001:])
	if want := crc24Bitwise(crc24Init, data); split != want {
		t.Fatalf("resumed crc %06x, want %06x", split, want)
	}
}

// Invariant: for any data and any split of it into two writes, the armor
// is go-crypto's.
func FuzzArmor(f *testing.F) {
	f.Add([]byte("行政区划,年龄,诊断\n"), 5)
	f.Add(bytes.Repeat([]byte{0xff}, 97), 48)
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		first := true
		chunk := func() int {
			if first {
				first = false
				return split
			}
			return 1 << 30
		}
		if got, want := ourArmor(t, data, chunk), referenceArmor(t, data); !bytes.Equal(got, want) {
			t.Fatalf("armor of %d bytes split at %d differs from go-crypto's", len(data), split)
		}
	})
}

func BenchmarkArmor(b *testing.B) {
	data := bytes.Repeat([]byte("610100,[20,30),哮喘,57000\n"), 40_000)
	b.SetBytes(int64(len(data)))
	for _, c := range []struct {
		name string
		run  func()
	}{
		{"go-crypto", func() { referenceArmor(b, data) }},
		{"table CRC", func() { ourArmor(b, data, func() int { return 32 << 10 }) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				c.run()
			}
		})
	}
}

func BenchmarkCRC24(b *testing.B) {
	data := bytes.Repeat([]byte("610100,[20,30),哮喘,57000\n"), 40_000)
	b.Run("bitwise", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			crc24Bitwise(crc24Init, data)
		}
	})
	b.Run("sliced", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			crc24(crc24Init, data)
		}
	})
}
