package market

import (
	"time"

	"github.com/google/uuid"
)

// PartyKey is a party's registered OpenPGP public key, which deliveries
// are encrypted to.
type PartyKey struct {
	PartyID     PartyID   `json:"party_id"`
	Armored     string    `json:"armored"`
	Fingerprint string    `json:"fingerprint"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// DeliverySource is what a delivery is made from: the order, and its
// listing's certificate (signed body) and certified artifact (the blob).
type DeliverySource struct {
	Order         *Order
	CertificateID uuid.UUID
	Certificate   []byte
	Signature     string
	ArtifactName  string
	ArtifactSHA   string
	ArtifactSize  int64
}

// Delivery is an order's certified artifact encrypted to the buyer's key
// and signed by the platform key, stored in the blob store.
type Delivery struct {
	OrderID       uuid.UUID `json:"order_id"`
	BuyerID       PartyID   `json:"buyer_id"`
	CertificateID uuid.UUID `json:"certificate_id"`
	BlobSHA256    string    `json:"sha256"`
	SizeBytes     int64     `json:"size_bytes"`
	RecipientFpr  string    `json:"recipient_fingerprint"`
	SignerFpr     string    `json:"signer_fingerprint"`
	CreatedAt     time.Time `json:"created_at"`
}
