package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// LockListing returns listing id, whoever's it is (market.Orders checks
// who may see it), or an error wrapping ErrNotFound. Inside the caller's
// transaction (a store over a pgx.Tx) the row is read FOR SHARE, so it
// cannot change until the order commits.
func (s *ListingStore) LockListing(ctx context.Context, id uuid.UUID) (*market.ListingRecord, error) {
	l, err := scanListing(s.db.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1 FOR SHARE`, id))
	if err != nil {
		return nil, fmt.Errorf("lock listing %s: %w", id, err)
	}
	return l, nil
}

// RegateListing runs the Shaanxi Art. 36 gate again on listing l at now,
// under the current rule set and with the listing's certificate, without
// changing or recording anything: the check an order makes, since an
// authorization may have expired since listing.
func (s *ListingStore) RegateListing(ctx context.Context, l *market.ListingRecord, now time.Time) (market.GateResult, error) {
	res, err := gateListing(ctx, s.db, s.cert, l, now)
	if err != nil {
		return market.GateResult{}, fmt.Errorf("gate listing %s again: %w", l.ID, err)
	}
	return res, nil
}

// gateListing runs the gate on l under the current rule set, with its
// certificate's passed flag and level read from the signed record, whose
// signature cert (the platform's public key) verifies.
func gateListing(ctx context.Context, db DB, cert market.SignatureVerifier, l *market.ListingRecord, now time.Time) (market.GateResult, error) {
	// the rule set, the certificate and the content evidence in one
	// round trip (gate_reads.go)
	reads, err := readGate(ctx, db, l.PartyID, &l.Declaration)
	if err != nil {
		return market.GateResult{}, err
	}
	var proof *market.CertificateGate
	if l.Declaration.CertificateID != "" {
		if _, err := uuid.Parse(l.Declaration.CertificateID); err != nil {
			return market.GateResult{}, market.Invalid("certificate_id", "invalid_id", "certificate_id: %q is not an ID", l.Declaration.CertificateID)
		}
		if reads.cert != nil {
			// Tianjin Art. 29: the signature must verify with the platform
			// key and the signed body name the listed artifact; a
			// certificate that does not is refused with the reason.
			if proof, err = certificateProof(cert, reads.cert, reads.digest); err != nil {
				return market.GateResult{}, err
			}
		}
	}
	decl := l.Declaration
	decl.Certificate = nil
	if decl.GovRecords, err = govRecords(ctx, db, l.PartyID, &decl); err != nil { // govdata_gate.go
		return market.GateResult{}, err
	}
	if err := market.AttachEvidence(ctx, reads, l.PartyID, &decl); err != nil { // gate_evidence.go
		return market.GateResult{}, err
	}
	return market.Gate(&decl, proof, reads.rs, now), nil
}
