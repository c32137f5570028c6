package ledger

import (
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Head is a signed tree head: the root hash of the first Size leaves,
// signed at Time by the platform key.
type Head struct {
	Size uint64    `json:"tree_size"`
	Root []byte    `json:"root_hash"` // 32 bytes; base64 in JSON
	Time time.Time `json:"signed_at"`
	// KeyFingerprint names the signing key (upper-case hex).
	KeyFingerprint string `json:"key_fingerprint"`
	// Signature is the armored OpenPGP detached signature over Message().
	Signature string `json:"signature"`
}

// Message returns the exact text the signature covers:
//
//	shujiao ledger tree head v1
//	tree_size: 42
//	root_hash: <base64 of the 32-byte root>
//	signed_at: 2026-11-23T18:00:00.000000Z
func (h Head) Message() []byte {
	return fmt.Appendf(nil, "shujiao ledger tree head v1\ntree_size: %d\nroot_hash: %s\nsigned_at: %s\n",
		h.Size, base64.StdEncoding.EncodeToString(h.Root), h.Time.UTC().Truncate(time.Microsecond).Format(TimeFormat))
}

// Signer signs bytes with the platform's private key (*pgp.Key does).
type Signer interface {
	SignBytes(data []byte) ([]byte, error)
	Fingerprint() string
}

// SignatureVerifier checks a detached signature by the platform's public
// key (*pgp.Key does); it returns an error when the signature is bad.
type SignatureVerifier interface {
	VerifyBytes(data, signature []byte) error
	Fingerprint() string
}

// SignHead returns a head for (size, root) at t signed by s. It returns the
// signer's error.
func SignHead(s Signer, size uint64, root []byte, t time.Time) (Head, error) {
	h := Head{Size: size, Root: root, Time: t.UTC().Truncate(time.Microsecond), KeyFingerprint: s.Fingerprint()}
	sig, err := s.SignBytes(h.Message())
	if err != nil {
		return Head{}, fmt.Errorf("sign tree head %d: %w", size, err)
	}
	h.Signature = string(sig)
	return h, nil
}

// ErrHeadSignature is returned (wrapped) by VerifyHead when a head's
// signature does not verify with the platform key.
var ErrHeadSignature = errors.New("tree head signature does not verify")

// VerifyHead checks h's signature with v. It returns an error wrapping
// ErrHeadSignature when the signature is bad or made by another key.
func VerifyHead(v SignatureVerifier, h Head) error {
	if err := v.VerifyBytes(h.Message(), []byte(h.Signature)); err != nil {
		return fmt.Errorf("%w: tree head %d: %w", ErrHeadSignature, h.Size, err)
	}
	return nil
}
