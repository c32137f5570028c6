package market

import (
	"time"

	"github.com/google/uuid"
)

// SharedSeal is a certified release sealed once for every buyer who
// receives it unchanged: the shared body of an OpenPGP message in the
// blob store, and its session key as a packet to the platform key, from
// which each buyer's own session key packet is made.
type SharedSeal struct {
	CertificateID uuid.UUID
	ReleaseSHA256 string
	SignerFpr     string
	BlobSHA256    string
	SizeBytes     int64
	SessionPacket []byte
	CreatedAt     time.Time
}
