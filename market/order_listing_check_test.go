package market

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The listing check of Orders.Place over a fake store: the listing the
// quote names is read and locked by storage, and Orders decides whether
// the buyer may see it before the Shaanxi Art. 36 gate runs again.

// fakePlaceTx is an OrderTx with one quote and one listing; the methods
// Place does not reach before the listing check are left to the embedded
// nil interface (calling one panics, failing the test).
type fakePlaceTx struct {
	OrderTx
	quote   QuoteRecord
	listing *ListingRecord
	regated int
}

func (f *fakePlaceTx) OrderByKey(context.Context, PartyID, string) (*Order, string, error) {
	return nil, "", nil
}

func (f *fakePlaceTx) Quote(_ context.Context, id QuoteID) (QuoteRecord, error) {
	if id != f.quote.ID {
		return QuoteRecord{}, Errorf(ErrNotFound, "quote_not_found", "no quote %s", id)
	}
	return f.quote, nil
}

func (f *fakePlaceTx) QuoteOrdered(context.Context, QuoteID) (bool, error) { return false, nil }

func (f *fakePlaceTx) LockListing(_ context.Context, id uuid.UUID) (*ListingRecord, error) {
	if id != f.listing.ID {
		return nil, Errorf(ErrNotFound, "listing_not_found", "no listing %s", id)
	}
	l := *f.listing
	return &l, nil
}

func (f *fakePlaceTx) RegateListing(context.Context, *ListingRecord, time.Time) (GateResult, error) {
	f.regated++
	return GateResult{Decision: DecisionListable}, nil
}

type fakePlaceStore struct {
	OrderStore
	tx *fakePlaceTx
}

func (f fakePlaceStore) InPlaceTx(_ context.Context, _ PartyID, _ string, _ QuoteID, fn func(OrderTx) error) error {
	return fn(f.tx)
}

func TestOrdersPlace_AnotherPartysListingNoLongerListedIsNotFoundBeforeTheArt36Gate(t *testing.T) {
	seller := Actor{UserID: UserID(NewID()), PartyID: PartyID(NewID()), Roles: []Role{RoleSeller, RoleBuyer}}
	buyer := Actor{UserID: UserID(NewID()), PartyID: PartyID(NewID()), Roles: []Role{RoleBuyer}}
	for _, tc := range []struct {
		name  string
		buyer Actor
		kind  error
		code  string
	}{
		{"another party's buyer: listing_not_found", buyer, ErrNotFound, "listing_not_found"},
		{"a buyer of the seller's own party: listing_not_listed", seller, ErrConflict, "listing_not_listed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Now().UTC()
			l := &ListingRecord{ID: NewID(), PartyID: seller.PartyID, State: StateDelisted}
			q := QuoteRecord{Quote: Quote{ID: QuoteID(NewID()), SellerID: seller.PartyID, ListingID: l.ID,
				BuyerID: tc.buyer.PartyID, ExpiresAt: now.Add(time.Hour)}}
			tx := &fakePlaceTx{quote: q, listing: l}
			svc := NewOrders(fakePlaceStore{tx: tx}, OrderConfig{}, func() time.Time { return now })
			_, _, err := svc.Place(context.Background(), tc.buyer, "key-1", OrderRequest{QuoteID: q.ID, UsagePurpose: "research",
				Licence: LicenceTerms{Accepted: true, Terms: "Shujiao standard data licence v1", Scope: []string{"internal_analysis"}}})
			mustCode(t, err, tc.kind, tc.code)
			if tc.kind == ErrNotFound && tx.regated != 0 {
				t.Fatalf("the Art. 36 gate ran %d times on a listing the buyer may not see", tx.regated)
			}
		})
	}
}
