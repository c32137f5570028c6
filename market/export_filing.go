package market

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// FilingKind is the kind of a seller's export filing.
type FilingKind string

// Kinds of export filings.
const (
	// FilingStandardContract: a personal-information standard contract
	// filed with the provincial cyberspace administration (Standard
	// Contract Measures Art. 7).
	FilingStandardContract FilingKind = "standard_contract"
	// FilingCertification: a personal-information protection
	// certification (PIPL Art. 38(1)(2)).
	FilingCertification FilingKind = "certification"
	// FilingSecurityAssessment: a data export security assessment passed
	// (Assessment Measures Art. 4, 14).
	FilingSecurityAssessment FilingKind = "security_assessment"
)

// ExportFiling is the evidence of Shaanxi Art. 72, registered by the data
// handler — the seller — not typed by a buyer: the kind, the issuing
// authority, the number, the listings it covers and its validity.
type ExportFiling struct {
	ID           uuid.UUID   `json:"id"`
	SellerID     PartyID     `json:"seller_id"`
	Kind         FilingKind  `json:"kind"`
	Issuer       string      `json:"issuer"`
	Number       string      `json:"number"`
	ListingIDs   []uuid.UUID `json:"listing_ids"`
	ValidFrom    Date        `json:"valid_from"`
	ValidTo      Date        `json:"valid_to"`
	RegisteredAt time.Time   `json:"registered_at"`
}

// Validate checks a filing as a seller registers it: a known kind, an
// issuer and a number, at least one listing, and a validity whose end is
// not before its start. It returns an ErrInvalid *Error naming the field.
func (f *ExportFiling) Validate() error {
	f.Issuer, f.Number = strings.TrimSpace(f.Issuer), strings.TrimSpace(f.Number)
	switch {
	case f.Kind != FilingStandardContract && f.Kind != FilingCertification && f.Kind != FilingSecurityAssessment:
		return Invalid("kind", "invalid_enum", "kind: %q, want standard_contract, certification or security_assessment", f.Kind)
	case f.Issuer == "" || len(f.Issuer) > 200:
		return Invalid("issuer", "missing_field", "issuer: name the authority that accepted the filing or passed the assessment (1–200 characters)")
	case f.Number == "" || len(f.Number) > 200:
		return Invalid("number", "missing_field", "number: the filing or assessment number (1–200 characters)")
	case len(f.ListingIDs) == 0 || slices.Contains(f.ListingIDs, uuid.Nil):
		return Invalid("listing_ids", "missing_field", "listing_ids: name the listings the filing covers")
	case f.ValidFrom.IsZero() || f.ValidTo.IsZero():
		return Invalid("valid_to", "missing_field", "valid_from and valid_to: the validity of the filing (YYYY-MM-DD)")
	case f.ValidTo.Start().Before(f.ValidFrom.Start()):
		return Invalid("valid_to", "invalid_range", "valid_to: %s is before valid_from %s", f.ValidTo, f.ValidFrom)
	}
	return nil
}

// covers reports whether filing f is seller's, of a kind that answers
// class, names listing, and is in force at at.
func (f *ExportFiling) covers(class ExportClass, seller PartyID, listing uuid.UUID, at time.Time) bool {
	kindOK := f.Kind == FilingSecurityAssessment ||
		class == ExportStandardContract && (f.Kind == FilingStandardContract || f.Kind == FilingCertification)
	return kindOK && f.SellerID == seller && slices.Contains(f.ListingIDs, listing) &&
		!at.Before(f.ValidFrom.Start()) && at.Before(f.ValidTo.End())
}

// CheckFiling applies Shaanxi Art. 72 to an export of class d.Class: the
// seller's registered filings must hold one of the kind the class needs,
// covering the listing, in force at at. It returns the filing, or an
// ErrRefused *Error citing Art. 72 (code export_filing_required or
// export_assessment_required) that says what is missing. Pure.
func CheckFiling(d ExportDecision, filings []ExportFiling, seller PartyID, listing uuid.UUID, at time.Time) (*ExportFiling, error) {
	if !d.NeedsFiling() {
		return nil, nil
	}
	for i := range filings {
		if filings[i].covers(d.Class, seller, listing, at) {
			f := filings[i]
			return &f, nil
		}
	}
	code, need := "export_filing_required", "personal-information standard contract filing or certification"
	if d.Class == ExportSecurityAssessment {
		code, need = "export_assessment_required", "passed data-export security assessment"
	}
	e := Refused(ArticleShaanxi72, code,
		"%s, so the data leaves the mainland (%s); the seller has registered no %s covering listing %s and in force now. The seller registers it (POST /v1/export-filings); a reference from the buyer does not count",
		d.Why, d.Basis, need, listing)
	e.Details = d
	return nil, e
}

// ExportFilingStore is what ExportFilings needs of storage.
// internal/postgres implements it (postgres.ExportFilingStore).
type ExportFilingStore interface {
	// InsertFiling stores f; an ErrConflict *Error when the seller has
	// registered a filing of that kind and number already.
	InsertFiling(ctx context.Context, f *ExportFiling, by UserID) error
	// Filings returns seller's filings, newest first.
	Filings(ctx context.Context, seller PartyID) ([]ExportFiling, error)
	// ListingOwner returns the party of listing id, or ErrNotFound.
	ListingOwner(ctx context.Context, id uuid.UUID) (PartyID, error)
}

// ExportFilings is the use case of a seller registering its export
// filings and assessment results. Safe for concurrent use.
type ExportFilings struct {
	store ExportFilingStore
	now   func() time.Time
}

// NewExportFilings returns the service over store; now is the clock (nil: time.Now).
func NewExportFilings(store ExportFilingStore, now func() time.Time) *ExportFilings {
	if now == nil {
		now = time.Now
	}
	return &ExportFilings{store: store, now: now}
}

// Register records f as actor's party's filing. Only a seller may
// register, and only for its own listings. It returns ErrForbidden,
// ErrInvalid, ErrNotFound (a listing that is not the seller's),
// ErrConflict, or the wrapped storage error.
func (s *ExportFilings) Register(ctx context.Context, actor Actor, f ExportFiling) (*ExportFiling, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	for _, id := range f.ListingIDs {
		owner, err := s.store.ListingOwner(ctx, id)
		if IsNotFound(err) || err == nil && owner != actor.PartyID {
			return nil, Errorf(ErrNotFound, "listing_not_found", "no listing %s of yours: a filing covers only the seller's own listings", id)
		}
		if err != nil {
			return nil, fmt.Errorf("register export filing: %w", err)
		}
	}
	f.ID, f.SellerID, f.RegisteredAt = NewID(), actor.PartyID, s.now().UTC().Truncate(time.Microsecond)
	if err := s.store.InsertFiling(ctx, &f, actor.UserID); err != nil {
		return nil, fmt.Errorf("register export filing: %w", err)
	}
	return &f, nil
}

// List returns actor's party's filings (sellers only).
func (s *ExportFilings) List(ctx context.Context, actor Actor) ([]ExportFiling, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	fs, err := s.store.Filings(ctx, actor.PartyID)
	if err != nil {
		return nil, fmt.Errorf("list export filings: %w", err)
	}
	return fs, nil
}
