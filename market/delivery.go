package market

import (
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
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
	// Unit is the unit of the price plan version the order was quoted
	// under; with Order.Quantity it says what is delivered (ScopeOf).
	Unit PriceUnit
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
	// Content is what was delivered: the unit and quantity paid for, the
	// selection rule, the rows delivered (nil for the whole release) and
	// the SHA-256 of the delivered data file (the release itself for the
	// whole release).
	Content DeliveredContent `json:"content"`
	// SessionPacket, when set, is the buyer's session key packet to the
	// shared body in BlobSHA256 (SharedSeal): the buyer's message is the
	// packet followed by the body. Empty: BlobSHA256 is the whole message.
	SessionPacket []byte `json:"-"`
}

// DeliveredContent records what a delivery delivered (issue 16).
type DeliveredContent struct {
	Unit          PriceUnit       `json:"unit"`
	Quantity      decimal.Decimal `json:"quantity"`
	Selection     Selection       `json:"selection"`
	RowsDelivered *int64          `json:"rows_delivered"`
	File          string          `json:"file"`
	SHA256        string          `json:"content_sha256"`
	// ReleaseSHA256 is the SHA-256 of the certified release the content
	// was chosen from (the one the certificate names).
	ReleaseSHA256 string `json:"release_sha256"`
}
