package market

import (
	"context"
	"fmt"

	"github.com/google/uuid"
)

// DatasetReader is the storage the Datasets service reads through
// (implemented by internal/postgres). Each method returns ErrNotFound
// when there is no such row; none checks who asks.
type DatasetReader interface {
	// Dataset returns uploaded dataset id.
	Dataset(ctx context.Context, id uuid.UUID) (*Dataset, error)
	// Artifact returns released artifact id.
	Artifact(ctx context.Context, id uuid.UUID) (*Artifact, error)
	// Certificate returns de-identification certificate id.
	Certificate(ctx context.Context, id uuid.UUID) (*Certificate, error)
	// CertificateListed reports whether certificate id is the certificate
	// of a product listed in the catalog.
	CertificateListed(ctx context.Context, id uuid.UUID) (bool, error)
}

// Datasets is the use case of reading a party's uploaded datasets, their
// released artifacts and de-identification certificates: each is visible
// to its own party and to regulators; a certificate also to anyone when
// it is the certificate of a listed product (a buyer checks the
// certificate of what it buys). Another party is answered ErrNotFound,
// never ErrForbidden, so that it does not learn the thing exists. It is
// safe for concurrent use.
type Datasets struct {
	store DatasetReader
}

// NewDatasets returns the dataset service over store.
func NewDatasets(store DatasetReader) *Datasets { return &Datasets{store: store} }

// hidden is the ErrNotFound *Error for a thing the actor may not see.
func hidden(what string, id uuid.UUID) error {
	return Errorf(ErrNotFound, what+"_not_found", "no %s %s", what, id)
}

// Get returns dataset id as actor may see it. Errors: ErrNotFound when
// there is none, ErrNotFound with code dataset_not_found when it is
// another party's and actor is not a regulator; the storage's error
// otherwise.
func (s *Datasets) Get(ctx context.Context, actor Actor, id uuid.UUID) (*Dataset, error) {
	d, err := s.store.Dataset(ctx, id)
	if err == nil && !actor.CanReadParty(d.PartyID) {
		err = hidden("dataset", id)
	}
	if err != nil {
		return nil, fmt.Errorf("dataset %s: %w", id, err)
	}
	return d, nil
}

// Artifact returns released artifact id as actor may see it. Errors:
// ErrNotFound when there is none, ErrNotFound with code
// artifact_not_found when it is another party's and actor is not a
// regulator; the storage's error otherwise.
func (s *Datasets) Artifact(ctx context.Context, actor Actor, id uuid.UUID) (*Artifact, error) {
	a, err := s.store.Artifact(ctx, id)
	if err == nil && !actor.CanReadParty(a.PartyID) {
		err = hidden("artifact", id)
	}
	if err != nil {
		return nil, fmt.Errorf("artifact %s: %w", id, err)
	}
	return a, nil
}

// Certificate returns de-identification certificate id with its signed
// body and detached signature, as actor may see it: its own party's,
// every one for a regulator, and the certificate of any listed product.
// Errors: ErrNotFound when there is none, ErrNotFound with code
// certificate_not_found when actor may not see it; the storage's error
// otherwise.
func (s *Datasets) Certificate(ctx context.Context, actor Actor, id uuid.UUID) (*Certificate, error) {
	c, err := s.store.Certificate(ctx, id)
	if err == nil && !actor.CanReadParty(c.PartyID) {
		var listed bool
		if listed, err = s.store.CertificateListed(ctx, id); err == nil && !listed {
			err = hidden("certificate", id)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("certificate %s: %w", id, err)
	}
	return c, nil
}
