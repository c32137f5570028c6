package pgp

import (
	"encoding/base64"
	"io"
)

// The OpenPGP armor of a message (RFC 4880 §6.2), written with a
// table-driven CRC-24 (eight bytes at a time) and whole lines encoded at
// once. It writes the same
// bytes as go-crypto's armor.Encode with no headers (armor_test.go
// compares them), which computes the checksum bit by bit: for a delivery
// of megabytes that loop was a tenth of the seal's CPU.

const (
	armorLineChars = 64                     // base64 characters per line
	armorLineBytes = armorLineChars / 4 * 3 // the 48 bytes a line encodes
	crc24Init      = 0xb704ce
	crc24Poly      = 0x1864cfb
)

// crc24Tables are the tables of a CRC-24 computed eight bytes at a time
// ("slicing by 8"): the register is kept in the top 24 bits of a uint32,
// crc24Tables[0][b] is byte b shifted through an empty register and
// crc24Tables[k][b] the same followed by k zero bytes.
var crc24Tables = func() (t [8][256]uint32) {
	for i := range t[0] {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ (crc24Poly&0xffffff)<<8
			} else {
				r <<= 1
			}
		}
		t[0][i] = r
	}
	for k := 1; k < 8; k++ {
		for i := range t[k] {
			prev := t[k-1][i]
			t[k][i] = prev<<8 ^ t[0][prev>>24]
		}
	}
	return t
}()

// crc24 updates the OpenPGP checksum crc (RFC 4880 §6.1) with p.
func crc24(crc uint32, p []byte) uint32 {
	t := &crc24Tables
	r := crc << 8
	for len(p) >= 8 {
		a := r ^ (uint32(p[0])<<24 | uint32(p[1])<<16 | uint32(p[2])<<8 | uint32(p[3]))
		b := uint32(p[4])<<24 | uint32(p[5])<<16 | uint32(p[6])<<8 | uint32(p[7])
		r = t[7][a>>24] ^ t[6][a>>16&0xff] ^ t[5][a>>8&0xff] ^ t[4][a&0xff] ^
			t[3][b>>24] ^ t[2][b>>16&0xff] ^ t[1][b>>8&0xff] ^ t[0][b&0xff]
		p = p[8:]
	}
	for _, c := range p {
		r = r<<8 ^ t[0][byte(r>>24)^c]
	}
	return r >> 8
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
