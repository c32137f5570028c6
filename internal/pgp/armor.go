package pgp

import (
	"encoding/base64"
	"io"
)

// The OpenPGP armor of a message (RFC 4880 §6.2), written with a
// table-driven CRC-24 and whole lines encoded at once. It writes the same
// bytes as go-crypto's armor.Encode with no headers (armor_test.go
// compares them), which computes the checksum bit by bit: for a delivery
// of megabytes that loop was a tenth of the seal's CPU.

const (
	armorLineChars = 64                     // base64 characters per line
	armorLineBytes = armorLineChars / 4 * 3 // the 48 bytes a line encodes
	crc24Init      = 0xb704ce
	crc24Poly      = 0x1864cfb
)

// crc24Table[b] is the CRC-24 of byte b shifted into an empty register.
var crc24Table = func() (t [256]uint32) {
	for i := range t {
		crc := uint32(i) << 16
		for range 8 {
			crc <<= 1
			if crc&0x1000000 != 0 {
				crc ^= crc24Poly
			}
		}
		t[i] = crc & 0xffffff
	}
	return t
}()

// crc24 updates the OpenPGP checksum crc (RFC 4880 §6.1) with p.
func crc24(crc uint32, p []byte) uint32 {
	for _, b := range p {
		crc = (crc<<8 ^ crc24Table[byte(crc>>16)^b]) & 0xffffff
	}
	return crc
}

// armorWriter encodes what is written to it as an armored block of
// blockType; Close writes the checksum and the end line (no final
// newline). It is not safe for concurrent use.
type armorWriter struct {
	w         io.Writer
	blockType string
	crc       uint32
	pend      [armorLineBytes]byte // bytes of the line not yet complete
	npend     int
	wrote     bool // a line was written (the next starts with '\n')
	out       []byte
}

// newArmor writes the armor's begin line and the empty line that ends its
// (absent) headers to w, and returns the writer of the block's body.
func newArmor(w io.Writer, blockType string) (*armorWriter, error) {
	if _, err := io.WriteString(w, "-----BEGIN "+blockType+"-----\n\n"); err != nil {
		return nil, err
	}
	return &armorWriter{w: w, blockType: blockType, crc: crc24Init, out: make([]byte, 0, 32<<10)}, nil
}

// line appends the armored line of in (at most armorLineBytes bytes) to out.
func (a *armorWriter) line(out, in []byte) []byte {
	if a.wrote {
		out = append(out, '\n')
	}
	a.wrote = true
	return base64.StdEncoding.AppendEncode(out, in)
}

func (a *armorWriter) Write(p []byte) (int, error) {
	n := len(p)
	a.crc = crc24(a.crc, p)
	out := a.out[:0]
	if a.npend > 0 {
		k := copy(a.pend[a.npend:], p)
		a.npend += k
		p = p[k:]
		if a.npend < armorLineBytes {
			return n, nil
		}
		out = a.line(out, a.pend[:])
		a.npend = 0
	}
	for len(p) >= armorLineBytes {
		out = a.line(out, p[:armorLineBytes])
		p = p[armorLineBytes:]
		if len(out) > cap(a.out)-armorLineChars-1 {
			if _, err := a.w.Write(out); err != nil {
				return 0, err
			}
			out = out[:0]
		}
	}
	a.npend = copy(a.pend[:], p)
	if len(out) > 0 {
		if _, err := a.w.Write(out); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// Close writes the last line, the checksum and the end line.
func (a *armorWriter) Close() error {
	out := a.out[:0]
	if a.npend > 0 {
		out = a.line(out, a.pend[:a.npend])
		a.npend = 0
	}
	out = append(out, "\n="...)
	out = base64.StdEncoding.AppendEncode(out, []byte{byte(a.crc >> 16), byte(a.crc >> 8), byte(a.crc)})
	out = append(out, "\n-----END "+a.blockType+"-----"...)
	_, err := a.w.Write(out)
	return err
}
