package pgp

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// SealShared encrypts plaintext once for any number of recipients: it
// writes to data the encrypted, integrity-protected and signed body of an
// OpenPGP message (its SEIPD packet) and returns the session key packet
// (PKESK) that opens it for holder — the platform key, which keeps the
// session key so that Rewrap can give it to each recipient later. A
// recipient's message is their own session key packet followed by data
// (OpenPGP's message to many recipients, RFC 4880 §5.1; ArmorMessage).
// name is the file name carried in the message. It streams plaintext. It
// returns ErrNoPrivateKey when signer has no private part, or the error.
func SealShared(data io.Writer, plaintext io.Reader, name string, holder, signer *Key) ([]byte, error) {
	if signer == nil || !signer.HasPrivate() {
		return nil, ErrNoPrivateKey
	}
	var keyPacket bytes.Buffer
	hints := &openpgp.FileHints{IsBinary: true, FileName: name}
	pw, err := openpgp.EncryptSplit(&keyPacket, data, []*openpgp.Entity{holder.entity}, signer.entity, hints, config())
	if err != nil {
		return nil, fmt.Errorf("pgp: seal shared: %w", err)
	}
	if _, err := io.Copy(pw, plaintext); err != nil {
		return nil, fmt.Errorf("pgp: seal shared: %w", err)
	}
	if err := pw.Close(); err != nil {
		return nil, fmt.Errorf("pgp: seal shared: %w", err)
	}
	return keyPacket.Bytes(), nil
}

// Rewrap returns a session key packet for recipient holding the session
// key of holderPacket, which holder's private key opens (SealShared's
// packet). It returns ErrNoPrivateKey when holder is public only, or an
// error when the packet is not holder's or recipient has no encryption key.
func Rewrap(holderPacket []byte, holder, recipient *Key) ([]byte, error) {
	if !holder.HasPrivate() {
		return nil, ErrNoPrivateKey
	}
	p, err := packet.Read(bytes.NewReader(holderPacket))
	if err != nil {
		return nil, fmt.Errorf("pgp: read session key packet: %w", err)
	}
	ek, ok := p.(*packet.EncryptedKey)
	if !ok {
		return nil, errors.New("pgp: not a session key packet")
	}
	var opened bool
	for _, k := range (openpgp.EntityList{holder.entity}).KeysByIdUsage(ek.KeyId, packet.KeyFlagEncryptCommunications|packet.KeyFlagEncryptStorage) {
		if k.PrivateKey != nil && ek.Decrypt(k.PrivateKey, config()) == nil {
			opened = true
			break
		}
	}
	if !opened {
		return nil, fmt.Errorf("pgp: the session key packet is not for key %s", holder.KeyID())
	}
	enc, ok := recipient.entity.EncryptionKey(time.Now())
	if !ok {
		return nil, fmt.Errorf("pgp: key %s has no usable encryption key", recipient.KeyID())
	}
	var out bytes.Buffer
	if err := packet.SerializeEncryptedKeyAEAD(&out, enc.PublicKey, ek.CipherFunc, ek.Version == 6, ek.Key, config()); err != nil {
		return nil, fmt.Errorf("pgp: session key packet for %s: %w", recipient.KeyID(), err)
	}
	return out.Bytes(), nil
}

// ArmorMessage writes to w the armored OpenPGP message made of a
// recipient's session key packet and the shared body data (SealShared),
// streaming data, and returns the number of bytes written.
func ArmorMessage(w io.Writer, sessionPacket []byte, data io.Reader) (int64, error) {
	cw := &countingWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	aw, err := newArmor(bw, "PGP MESSAGE")
	if err != nil {
		return cw.n, fmt.Errorf("pgp: armor message: %w", err)
	}
	if _, err := aw.Write(sessionPacket); err != nil {
		return cw.n, err
	}
	if _, err := io.Copy(aw, data); err != nil {
		return cw.n, err
	}
	if err := aw.Close(); err != nil {
		return cw.n, fmt.Errorf("pgp: armor message: %w", err)
	}
	if err := bw.WriteByte('\n'); err != nil {
		return cw.n, err
	}
	err = bw.Flush()
	return cw.n, err
}

// ArmoredSize is the number of bytes ArmorMessage writes for n binary
// bytes (packet and body together): the armor's header and footer (62
// bytes with the checksum and the final newline), the base64 text and a
// newline between its 64-character lines. It lets a delivery's size be
// known without reading the shared body.
func ArmoredSize(n int64) int64 {
	b64 := 4 * ((n + 2) / 3)
	lines := (b64 + 63) / 64
	return 62 + b64 + max(lines-1, 0)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
