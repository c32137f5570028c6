package delivery

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// redeemStore is a Store that records the party and user a download is
// redeemed for and finds no delivery; the other methods are left to the
// embedded nil interface (calling one panics, failing the test).
type redeemStore struct {
	Store
	calls int
	buyer market.PartyID
	user  market.UserID
}

func (f *redeemStore) RedeemDownload(_ context.Context, buyer market.PartyID, user market.UserID, _ []byte, _ time.Time) (market.Delivery, error) {
	f.calls++
	f.buyer, f.user = buyer, user
	return market.Delivery{}, market.Errorf(market.ErrNotFound, "download_not_found", "no download behind this link for your party")
}

func TestOpen_OnlyABuyerRedeemsALinkAndOnlyForItsOwnParty(t *testing.T) {
	mustNotFound := func(t *testing.T, err error) {
		t.Helper()
		var me *market.Error
		if !errors.As(err, &me) || !errors.Is(err, market.ErrNotFound) || me.Code != "download_not_found" {
			t.Fatalf("error = %v, want not found with code download_not_found", err)
		}
	}
	t.Run("a seller or regulator is answered download_not_found without storage", func(t *testing.T) {
		for _, role := range []market.Role{market.RoleSeller, market.RoleRegulator, market.RoleOperator} {
			st := &redeemStore{}
			a := market.Actor{UserID: market.UserID(market.NewID()), PartyID: market.PartyID(market.NewID()), Roles: []market.Role{role}}
			_, _, err := New(st, nil, nil, 0, nil).Open(context.Background(), a, "sjd_token")
			mustNotFound(t, err)
			if st.calls != 0 {
				t.Fatalf("%s: the store was asked %d times", role, st.calls)
			}
		}
	})
	t.Run("a buyer's link is looked up for its own party and user", func(t *testing.T) {
		st := &redeemStore{}
		a := market.Actor{UserID: market.UserID(market.NewID()), PartyID: market.PartyID(market.NewID()), Roles: []market.Role{market.RoleBuyer}}
		_, _, err := New(st, nil, nil, 0, nil).Open(context.Background(), a, "sjd_token")
		mustNotFound(t, err)
		if st.calls != 1 || st.buyer != a.PartyID || st.user != a.UserID {
			t.Fatalf("store asked %d times for party %s user %s, want once for %s %s", st.calls, st.buyer, st.user, a.PartyID, a.UserID)
		}
	})
}
