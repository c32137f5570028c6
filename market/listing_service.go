package market

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Listings is the use case of selling: a seller's listing from draft
// through the Shaanxi Art. 36 gate to the catalog, and the moves
// regulators, operators and sellers make on it afterwards, each recorded
// with who, when and why and appended to the ledger in the same
// transaction. The HTTP API, the web pages and the CLI call it alike. It
// is safe for concurrent use.
type Listings struct {
	store ListingStore
}

// NewListings returns the listing service over store.
func NewListings(store ListingStore) *Listings { return &Listings{store: store} }

// ReadableBy reports whether actor may read l: the owner's members,
// regulators and operators read any listing; everybody reads a listed one
// (it is in the catalog).
func (l *ListingRecord) ReadableBy(actor Actor) bool {
	return actor.CanReadParty(l.PartyID) || actor.Can(RoleOperator) || l.State == StateListed
}

// listingNotFound is the error of a listing actor may not see.
func listingNotFound(id uuid.UUID) error {
	return Errorf(ErrNotFound, "listing_not_found", "no listing %s", id)
}

// Get returns listing id with its transitions, as actor may see it. It
// returns ErrNotFound when there is none or actor may not read it.
func (s *Listings) Get(ctx context.Context, actor Actor, id uuid.UUID) (*ListingRecord, error) {
	l, err := s.store.Listing(ctx, id)
	if err == nil && !l.ReadableBy(actor) {
		err = listingNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", id, err)
	}
	return l, nil
}

// List returns the listings actor may manage, newest first: its own
// party's; every party's for a regulator or an operator (narrowed by
// f.PartyID). A seller asking for another party gets ErrForbidden.
func (s *Listings) List(ctx context.Context, actor Actor, f ListingFilter) ([]*ListingRecord, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	party := f.PartyID
	if !actor.CanAny(RoleRegulator, RoleOperator) {
		if party != nil && *party != actor.PartyID {
			return nil, actor.RequireReadParty(*party)
		}
		party = &actor.PartyID
	}
	ls, err := s.store.Listings(ctx, party, f)
	if err != nil {
		return nil, fmt.Errorf("listings: %w", err)
	}
	return ls, nil
}

// Create stores a new draft listing of actor's party (actor must be a
// seller) and appends "listing.created" to the ledger. It returns the
// stored listing, or ErrForbidden, or an ErrInvalid *Error naming the
// field (see checkReferences).
func (s *Listings) Create(ctx context.Context, actor Actor, in ListingInput, now time.Time) (*ListingRecord, error) {
	if err := actor.RequireRole(RoleSeller); err != nil {
		return nil, err
	}
	if err := in.Declaration.Validate(); err != nil {
		return nil, err
	}
	l := &ListingRecord{ID: NewID(), PartyID: actor.PartyID, CreatedBy: actor.UserID, State: StateDraft,
		Declaration: in.Declaration, Price: in.Price, CreatedAt: now, UpdatedAt: now}
	err := s.store.InTx(ctx, func(tx ListingTx) error {
		if err := checkReferences(ctx, tx, actor.PartyID, &l.Declaration); err != nil {
			return err
		}
		if err := tx.InsertListing(ctx, l); err != nil {
			return err
		}
		d := &l.Declaration
		return appendListingEvent(ctx, tx, l, "listing.created", now,
			map[string]any{"title": d.Title, "category": d.Category, "by": actor.UserID, "price": in.Price})
	})
	if err != nil {
		return nil, fmt.Errorf("create listing: %w", err)
	}
	return s.Get(ctx, actor, l.ID)
}

// Update replaces the declaration and price of listing id with what change
// returns from the current ones. Only the owner's sellers may, and only
// while the listing is editable (draft, or blocked before it is submitted
// again): otherwise ErrForbidden, or an ErrConflict *Error with code
// listing_not_editable. change may return an ErrInvalid *Error.
func (s *Listings) Update(ctx context.Context, actor Actor, id uuid.UUID,
	change func(cur ListingInput) (ListingInput, error), now time.Time) (*ListingRecord, error) {
	err := s.store.InListingTx(ctx, id, func(tx ListingTx, cur *ListingRecord) error {
		if !cur.ReadableBy(actor) {
			return listingNotFound(id)
		}
		if err := actor.RequireOwnParty(cur.PartyID); err != nil {
			return err
		}
		if err := actor.RequireRole(RoleSeller); err != nil {
			return err
		}
		if !Editable(cur.State) {
			return Errorf(ErrConflict, "listing_not_editable",
				"listing %s is %s; only a draft (or a blocked listing before it is submitted again) can be changed", id, cur.State)
		}
		in, err := change(ListingInput{Declaration: cur.Declaration, Price: cur.Price})
		if err != nil {
			return err
		}
		if err := in.Declaration.Validate(); err != nil {
			return err
		}
		if err := checkReferences(ctx, tx, cur.PartyID, &in.Declaration); err != nil {
			return err
		}
		cur.Declaration, cur.Price, cur.UpdatedAt = in.Declaration, in.Price, now
		if err := tx.UpdateListing(ctx, cur); err != nil {
			return err
		}
		return appendListingEvent(ctx, tx, cur, "listing.updated", now,
			map[string]any{"by": actor.UserID, "state": cur.State, "price": in.Price})
	})
	if err != nil {
		return nil, fmt.Errorf("update listing %s: %w", id, err)
	}
	return s.Get(ctx, actor, id)
}

// checkReferences checks that the declaration's dataset and certificate
// are party's own, that the certificate is of that dataset, and that the
// declaration carries no inline certificate result (the API reads the
// signed certificate instead). It returns an ErrInvalid *Error naming the
// field.
func checkReferences(ctx context.Context, tx ListingTx, party PartyID, l *Listing) error {
	if l.Certificate != nil {
		return Invalid("certificate", "inline_certificate",
			"certificate: the API reads the signed certificate named by certificate_id; an inline certificate result is accepted only offline")
	}
	var datasetID uuid.UUID
	if l.DatasetID != "" {
		id, err := uuid.Parse(l.DatasetID)
		if err != nil {
			return Invalid("dataset_id", "invalid_id", "dataset_id: %q is not an ID", l.DatasetID)
		}
		ok, err := tx.DatasetOwned(ctx, party, id)
		if err != nil {
			return err
		}
		if !ok {
			return Invalid("dataset_id", "unknown_dataset", "dataset_id: no dataset %s of yours", id)
		}
		datasetID = id
	}
	if l.CertificateID != "" {
		id, err := uuid.Parse(l.CertificateID)
		if err != nil {
			return Invalid("certificate_id", "invalid_id", "certificate_id: %q is not an ID", l.CertificateID)
		}
		c, err := tx.Certificate(ctx, party, id)
		if IsNotFound(err) {
			return Invalid("certificate_id", "unknown_certificate", "certificate_id: no certificate %s of yours", id)
		}
		if err != nil {
			return err
		}
		if datasetID != uuid.Nil && c.DatasetID != datasetID {
			return Invalid("certificate_id", "certificate_dataset_mismatch",
				"certificate_id: certificate %s is of dataset %s, not of dataset_id %s", id, c.DatasetID, datasetID)
		}
	}
	return nil
}
