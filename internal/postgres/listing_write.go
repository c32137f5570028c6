package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// checkReferences checks that the declaration's dataset and certificate
// are the party's own, that the certificate is of that dataset, and that
// the declaration carries no inline certificate result (the API reads the
// signed certificate instead). It returns an ErrInvalid *Error naming the
// field.
func checkReferences(ctx context.Context, db DB, party market.PartyID, l *market.Listing) error {
	if l.Certificate != nil {
		return market.Invalid("certificate", "inline_certificate",
			"certificate: the API reads the signed certificate named by certificate_id; an inline certificate result is accepted only offline")
	}
	var datasetID uuid.UUID
	if l.DatasetID != "" {
		id, err := uuid.Parse(l.DatasetID)
		if err != nil {
			return market.Invalid("dataset_id", "invalid_id", "dataset_id: %q is not an ID", l.DatasetID)
		}
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM datasets WHERE id = $1 AND party_id = $2`, id, party).Scan(&n); err != nil {
			return translate(err)
		}
		if n == 0 {
			return market.Invalid("dataset_id", "unknown_dataset", "dataset_id: no dataset %s of yours", id)
		}
		datasetID = id
	}
	if l.CertificateID != "" {
		id, err := uuid.Parse(l.CertificateID)
		if err != nil {
			return market.Invalid("certificate_id", "invalid_id", "certificate_id: %q is not an ID", l.CertificateID)
		}
		c, err := certificateOf(ctx, db, party, id)
		if isNotFound(err) {
			return market.Invalid("certificate_id", "unknown_certificate", "certificate_id: no certificate %s of yours", id)
		}
		if err != nil {
			return err
		}
		if datasetID != uuid.Nil && c.DatasetID != datasetID {
			return market.Invalid("certificate_id", "certificate_dataset_mismatch",
				"certificate_id: certificate %s is of dataset %s, not of dataset_id %s", id, c.DatasetID, datasetID)
		}
	}
	return nil
}

const insertListing = `
INSERT INTO listings (id, party_id, created_by, state, declaration, title, description, category, product_type,
                      price, dataset_id, certificate_id, created_at, updated_at)
VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`

// CreateListing stores a new draft listing of actor's party (actor must be
// a seller) and appends "listing.created" to the ledger. It returns the
// stored listing, or ErrForbidden, or an ErrInvalid *Error naming the field.
func (s *ListingStore) CreateListing(ctx context.Context, actor market.Actor, in market.ListingInput, now time.Time) (*market.ListingRecord, error) {
	if err := actor.RequireRole(market.RoleSeller); err != nil {
		return nil, err
	}
	if err := in.Declaration.Validate(); err != nil {
		return nil, err
	}
	id := market.NewID()
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := checkReferences(ctx, tx, actor.PartyID, &in.Declaration); err != nil {
			return err
		}
		d := &in.Declaration
		decl, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, insertListing, id, actor.PartyID, actor.UserID, decl, d.Title, d.Description,
			d.Category, d.ProductType, moneyArg(in.Price), nullUUID(d.DatasetID), nullUUID(d.CertificateID), now); err != nil {
			return translate(err)
		}
		payload, _ := json.Marshal(map[string]any{"title": d.Title, "category": d.Category, "by": actor.UserID, "price": in.Price})
		return appendEvent(ctx, tx, market.LedgerEvent{Kind: "listing.created", PartyID: uuidOf(actor.PartyID),
			SubjectID: id, Payload: payload, At: now})
	})
	if err != nil {
		return nil, fmt.Errorf("create listing: %w", err)
	}
	return s.Listing(ctx, actor, id)
}

const updateListing = `
UPDATE listings SET declaration = $2, title = $3, description = $4, category = $5, product_type = $6,
       price = $7, dataset_id = $8, certificate_id = $9, updated_at = $10
WHERE id = $1`

// UpdateListing replaces the declaration and price of listing id with what
// change returns from the current ones. Only the owner's sellers may, and
// only while the listing is editable (draft, or blocked before it is
// submitted again): otherwise ErrForbidden, or an ErrConflict *Error with
// code listing_not_editable. change may return an ErrInvalid *Error.
func (s *ListingStore) UpdateListing(ctx context.Context, actor market.Actor, id uuid.UUID,
	change func(cur market.ListingInput) (market.ListingInput, error), now time.Time) (*market.ListingRecord, error) {
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := lockListing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if err := actor.RequireOwnParty(cur.PartyID); err != nil {
			return err
		}
		if err := actor.RequireRole(market.RoleSeller); err != nil {
			return err
		}
		if !market.Editable(cur.State) {
			return market.Errorf(market.ErrConflict, "listing_not_editable",
				"listing %s is %s; only a draft (or a blocked listing before it is submitted again) can be changed", id, cur.State)
		}
		in, err := change(market.ListingInput{Declaration: cur.Declaration, Price: cur.Price})
		if err != nil {
			return err
		}
		if err := in.Declaration.Validate(); err != nil {
			return err
		}
		if err := checkReferences(ctx, tx, cur.PartyID, &in.Declaration); err != nil {
			return err
		}
		d := &in.Declaration
		decl, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, updateListing, id, decl, d.Title, d.Description, d.Category, d.ProductType,
			moneyArg(in.Price), nullUUID(d.DatasetID), nullUUID(d.CertificateID), now); err != nil {
			return translate(err)
		}
		payload, _ := json.Marshal(map[string]any{"by": actor.UserID, "state": cur.State, "price": in.Price})
		return appendEvent(ctx, tx, market.LedgerEvent{Kind: "listing.updated", PartyID: uuidOf(cur.PartyID),
			SubjectID: id, Payload: payload, At: now})
	})
	if err != nil {
		return nil, fmt.Errorf("update listing %s: %w", id, err)
	}
	return s.Listing(ctx, actor, id)
}

// lockListing reads listing id FOR UPDATE; ErrNotFound when actor may not
// see it.
func lockListing(ctx context.Context, tx pgx.Tx, actor market.Actor, id uuid.UUID) (*market.ListingRecord, error) {
	l, err := scanListing(tx.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1 FOR UPDATE`, id))
	if err == nil && !canReadListing(actor, l) {
		err = notFound("listing", id)
	}
	return l, err
}

// moneyArg passes an optional amount as numeric.
func moneyArg(m *market.Money) any {
	if m == nil {
		return nil
	}
	return m.Decimal()
}

// nullUUID passes an optional ID string (already validated) as uuid.
func nullUUID(s string) any {
	if s == "" {
		return nil
	}
	return s
}
