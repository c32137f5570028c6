package trace

import (
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// ManifestName is the name of the copy's record inside a delivery archive.
const ManifestName = "copy.json"

// Manifest is the copy's record delivered beside it (inside the archive the
// platform signs): the certificate covers the release, the manifest says
// this file is the order's fingerprinted copy of it, by both hashes.
type Manifest struct {
	OrderID       uuid.UUID `json:"order_id"`
	CertificateID uuid.UUID `json:"certificate_id"`
	ReleaseName   string    `json:"release_name"`
	ReleaseSHA256 string    `json:"release_sha256"`
	CopySHA256    string    `json:"copy_sha256"`
	CopySize      int64     `json:"copy_size"`
	Note          string    `json:"note"`
}

// NewManifest returns the manifest of a copy's record.
func NewManifest(rec market.DeliveryCopy) Manifest {
	return Manifest{OrderID: rec.OrderID, CertificateID: rec.CertificateID, ReleaseName: rec.ReleaseName,
		ReleaseSHA256: rec.ReleaseSHA256, CopySHA256: rec.CopySHA256, CopySize: rec.CopySize,
		Note: "This file is the order's copy of the certified release, marked with the order's fingerprint " +
			"(docs/fingerprint.md): quasi-identifiers and sensitive values are the release's, so the certificate's " +
			"guarantees hold on it. Its SHA-256 is recorded in the platform's ledger with the order."}
}
