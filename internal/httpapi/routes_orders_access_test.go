package httpapi

import (
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/market"
)

func TestOrders_CrossParty_BuyersSeeOnlyTheirOrdersSellersOnlyOrdersOnTheirListings(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	buyer1 := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	buyer2 := w.mustParty("上海另一买方", market.PartyParticipant, market.RoleBuyer)
	otherSeller := w.mustParty("天津其他数据公司", market.PartyParticipant, market.RoleSeller)
	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)
	listing := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	w.mustPlan(listing, simplePlan("100.00"))
	buyer1.mustDeposit("1000.00")
	buyer2.mustDeposit("1000.00")
	q1 := buyer1.mustQuote(listing, "1")
	o1 := buyer1.mustOrder("same-key", orderRequest(q1.ID))
	o2 := buyer2.mustOrder("same-key", orderRequest(buyer2.mustQuote(listing, "1").ID))
	if o1.ID == o2.ID {
		t.Fatal("two buyers' orders under the same Idempotency-Key are one order: keys must be per buyer party")
	}
	order := "/v1/orders/" + o1.ID.String()

	reads := []struct {
		name   string
		c      *client
		status int
	}{
		{"the buyer reads its order", buyer1, http.StatusOK},
		{"the listing's seller reads the order", w.seller, http.StatusOK},
		{"a regulator reads the order", regulator, http.StatusOK},
		{"another buyer cannot see it", buyer2, http.StatusNotFound},
		{"another seller cannot see it", otherSeller, http.StatusNotFound},
	}
	for _, tt := range reads {
		t.Run(tt.name, func(t *testing.T) {
			st, b := tt.c.do(http.MethodGet, order, nil)
			if st != tt.status {
				t.Fatalf("%d %s, want %d", st, b, tt.status)
			}
			st, _ = tt.c.do(http.MethodGet, "/v1/quotes/"+q1.ID, nil)
			if st != tt.status {
				t.Errorf("the order's quote: %d, want %d", st, tt.status)
			}
		})
	}
	lists := []struct {
		name string
		c    *client
		want int
	}{
		{"a buyer lists only its own orders", buyer2, 1},
		{"the seller lists the orders on its listings", w.seller, 2},
		{"another seller lists none", otherSeller, 0},
		{"a regulator lists all", regulator, 2},
	}
	for _, tt := range lists {
		t.Run(tt.name, func(t *testing.T) {
			var l orderList
			tt.c.mustDo(http.StatusOK, http.MethodGet, "/v1/orders", nil, &l)
			if len(l.Orders) != tt.want {
				t.Fatalf("%d orders, want %d", len(l.Orders), tt.want)
			}
			for _, o := range l.Orders {
				if tt.c == buyer2 && o.BuyerID != buyer2.partyID {
					t.Errorf("buyer 2 sees order %s of buyer %s", o.ID, o.BuyerID)
				}
			}
		})
	}
	moves := []struct {
		name   string
		c      *client
		action string
		status int
	}{
		{"another buyer cannot accept the order", buyer2, "accept", http.StatusNotFound},
		{"another buyer cannot cancel the order", buyer2, "cancel", http.StatusNotFound},
		{"another seller cannot refund the order", otherSeller, "refund", http.StatusNotFound},
		{"the seller cannot accept the buyer's delivery", w.seller, "accept", http.StatusForbidden},
		{"a regulator cannot cancel the order", regulator, "cancel", http.StatusForbidden},
	}
	for _, tt := range moves {
		t.Run(tt.name, func(t *testing.T) {
			if st, b := tt.c.do(http.MethodPost, order+"/"+tt.action, nil); st != tt.status {
				t.Fatalf("%d %s, want %d", st, b, tt.status)
			}
		})
	}
	t.Run("another buyer cannot order from the first buyer's quote", func(t *testing.T) {
		q := buyer1.mustQuote(listing, "1")
		if st, b := buyer2.order("steal", orderRequest(q.ID)); st != http.StatusNotFound {
			t.Fatalf("%d %s, want 404", st, b)
		}
	})
	t.Run("a seller cannot quote or order", func(t *testing.T) {
		if st, _ := otherSeller.do(http.MethodPost, "/v1/listings/"+listing+"/quotes", standardConditions("1")); st != http.StatusForbidden {
			t.Fatalf("a seller asking for a quote: %d, want 403", st)
		}
	})
}
