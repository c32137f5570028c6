package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// The market use-case services (Listings, Quotes, Cases) run here against
// a real PostgreSQL through this adapter, as cmd/shujiao wires them; their
// rules live in market, the SQL here. (In this package, not in market, so
// that market's own tests need no database.)

// svcWorld is one database with the services over it and a few parties.
type svcWorld struct {
	ctx                     context.Context
	pool                    *pgxpool.Pool
	listings                *market.Listings
	quotes                  *market.Quotes
	cases                   *market.Cases
	now                     time.Time
	sellerA, sellerB, buyer market.Actor
	regulator               market.Actor
}

const testPassword = "correct horse battery staple"

func mustSvcWorld(t *testing.T) *svcWorld {
	t.Helper()
	w := &svcWorld{ctx: context.Background(), pool: pgtest.NewDB(t), now: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)}
	st := postgres.NewStores(w.pool, nil)
	w.listings, w.quotes, w.cases = market.NewListings(st.Listings), market.NewQuotes(st.Quotes), market.NewCases(st.Cases)
	acc := market.NewAccounts(postgres.NewAccountStore(w.pool), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	party := func(name, code17, email string, typ market.PartyType, roles ...market.Role) market.Actor {
		t.Helper()
		c, ok := market.CreditCodeCheckChar(code17)
		if !ok {
			t.Fatalf("no check character for %q", code17)
		}
		if _, _, err := acc.Seed(w.ctx, market.Registration{
			Party: market.Party{Kind: market.PartyOrganization, Type: typ, Name: name, CreditCode: code17 + string(c), Jurisdiction: "61"},
			User:  market.NewUser{Email: email, Name: name, Password: testPassword}, Roles: roles}); err != nil {
			t.Fatalf("seed %s: %v", name, err)
		}
		_, a, err := acc.Login(w.ctx, email, testPassword, market.PartyID{})
		if err != nil {
			t.Fatalf("login %s: %v", email, err)
		}
		return a
	}
	w.sellerA = party("甲数据公司", "91610131MA6U3R1X2", "a@example.cn", market.PartyParticipant, market.RoleSeller)
	w.sellerB = party("乙数据公司", "91120116MA05K7HW4", "b@example.cn", market.PartyParticipant, market.RoleSeller)
	w.buyer = party("丙采购公司", "91610000MA7BUYER1", "c@example.cn", market.PartyParticipant, market.RoleBuyer)
	w.regulator = party("陕西省市场监督管理局", "11610000MB2950531", "r@example.cn", market.PartyRegulator, market.RoleRegulator)
	return w
}

// weatherDeclaration is a listing the Shaanxi Art. 36 gate lists: open
// government data, public, without personal information.
func weatherDeclaration(t *testing.T) market.Listing {
	t.Helper()
	decl, err := market.ParseListing([]byte(`{"title": "陕西省逐日气象观测数据", "description": "逐日观测", "category": "weather",
	  "product_type": "dataset", "contains_personal_info": false, "contains_sensitive_personal_info": false,
	  "contains_minors_data": false, "classification": "general", "security_assessment_ref": null, "export_intended": false,
	  "state_secret": false, "sources": [{"origin": "government_open", "own_data": false, "disclosure": "public", "authorization": null,
	  "government": {"catalog_id": "SN-QX-2026-001", "open_class": "unconditional", "shared_for_duty": false, "approval_ref": null}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return decl
}

// mustListed creates the weather listing for seller and submits it.
func (w *svcWorld) mustListed(t *testing.T, seller market.Actor) *market.ListingRecord {
	t.Helper()
	price := market.MustMoney("800.00")
	l, err := w.listings.Create(w.ctx, seller, market.ListingInput{Declaration: weatherDeclaration(t), Price: &price}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	if l, err = w.listings.Submit(w.ctx, seller, l.ID, "", w.now); err != nil || l.State != market.StateListed {
		t.Fatalf("submit = %v, %v; want listed", l, err)
	}
	return l
}

// wantErr fails unless err is of kind with code.
func wantErr(t *testing.T, what string, err, kind error, code string) {
	t.Helper()
	var me *market.Error
	if !errors.Is(err, kind) || !errors.As(err, &me) || me.Code != code {
		t.Errorf("%s: error %v, want %v with code %s", what, err, kind, code)
	}
}

func TestListings_ShaanxiArt36_OnlyTheOwnersSellerSubmitsAndTheGateDecides(t *testing.T) {
	t.Parallel()
	w := mustSvcWorld(t)
	l, err := w.listings.Create(w.ctx, w.sellerA, market.ListingInput{Declaration: weatherDeclaration(t)}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.listings.Create(w.ctx, w.buyer, market.ListingInput{Declaration: weatherDeclaration(t)}, w.now)
	wantErr(t, "a buyer creating a listing", err, market.ErrForbidden, "forbidden_role")
	_, err = w.listings.Get(w.ctx, w.buyer, l.ID)
	wantErr(t, "a buyer reading another party's draft", err, market.ErrNotFound, "listing_not_found")
	_, err = w.listings.Submit(w.ctx, w.sellerB, l.ID, "", w.now)
	wantErr(t, "another party's seller submitting", err, market.ErrNotFound, "listing_not_found")

	got, err := w.listings.Submit(w.ctx, w.sellerA, l.ID, "ready", w.now)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != market.StateListed || got.Decision == nil || got.Submissions != 1 || got.ListedAt == nil {
		t.Fatalf("after the gate: state %s, decision %v, submissions %d, listed at %v; want listed once, with its decision",
			got.State, got.Decision, got.Submissions, got.ListedAt)
	}
	if n := len(got.Transitions); n != 2 || got.Transitions[0].To != market.StateSubmitted || got.Transitions[1].Role != market.RoleGate {
		t.Errorf("transitions = %+v, want the seller's submission and the gate's decision", got.Transitions)
	}
	if _, err := w.listings.Get(w.ctx, w.buyer, l.ID); err != nil {
		t.Errorf("a buyer reading a listed product: %v", err)
	}
	_, err = w.listings.Update(w.ctx, w.sellerA, l.ID, func(cur market.ListingInput) (market.ListingInput, error) { return cur, nil }, w.now)
	wantErr(t, "editing a listed product", err, market.ErrConflict, "listing_not_editable")
	_, err = w.listings.Transition(w.ctx, w.sellerB, l.ID, market.ActionDelist, "", w.now)
	wantErr(t, "another party's seller delisting", err, market.ErrForbidden, "forbidden_party")
	if got, err = w.listings.Transition(w.ctx, w.sellerA, l.ID, market.ActionDelist, "withdrawn", w.now); err != nil || got.State != market.StateDelisted {
		t.Errorf("the owner's seller delisting: %v, %v; want delisted", got, err)
	}
	mine, err := w.listings.List(w.ctx, w.sellerB, market.ListingFilter{})
	if err != nil || len(mine) != 0 {
		t.Errorf("seller B's listings = %d, %v; want none of A's", len(mine), err)
	}
}

func TestQuotes_ShaanxiArt37_TheBuyerQuotesTheSellerCountersOnlyWithinTolerance(t *testing.T) {
	t.Parallel()
	w := mustSvcWorld(t)
	l := w.mustListed(t, w.sellerA)
	var plan market.PricePlan
	if err := json.Unmarshal([]byte(`{"unit": "licence", "base_price": "100.00"}`), &plan); err != nil {
		t.Fatal(err)
	}
	_, err := w.quotes.PublishPlan(w.ctx, w.sellerB, l.ID, &plan, w.now)
	wantErr(t, "another party's seller setting the plan", err, market.ErrForbidden, "not_listing_seller")
	if _, err := w.quotes.PublishPlan(w.ctx, w.sellerA, l.ID, &plan, w.now); err != nil {
		t.Fatal(err)
	}
	var conds market.Conditions
	if err := json.Unmarshal([]byte(`{"security": {"delivery_mode": "encrypted_file", "certification_level": "L3"},
		"cost": {"volume": "1000", "channel": "standard"}, "stage": "direct", "duration_months": 12}`), &conds); err != nil {
		t.Fatal(err)
	}
	_, err = w.quotes.Create(w.ctx, w.sellerB, l.ID, conds, "api", w.now)
	wantErr(t, "a seller asking for a quote", err, market.ErrForbidden, "forbidden_role")
	q, err := w.quotes.Create(w.ctx, w.buyer, l.ID, conds, "api", w.now)
	if err != nil {
		t.Fatal(err)
	}
	if q.BuyerID != w.buyer.PartyID || q.SellerID != w.sellerA.PartyID || q.ListingID != l.ID || q.ID.IsZero() {
		t.Errorf("quote parties = buyer %s seller %s listing %s; want the buyer, seller A and the listing", q.BuyerID, q.SellerID, q.ListingID)
	}
	got, err := w.quotes.Get(w.ctx, w.sellerA, q.ID)
	if err != nil || got.ID != q.ID || !got.UnitPrice.Decimal().Equal(q.UnitPrice.Decimal()) {
		t.Errorf("the seller reading the quote: %v, %v", got, err)
	}
	_, err = w.quotes.Get(w.ctx, w.sellerB, q.ID)
	wantErr(t, "another seller reading the quote", err, market.ErrNotFound, "quote_not_found")

	far := market.MustMoney("1000.00")
	_, err = w.quotes.Counter(w.ctx, w.sellerA, q.ID, far, w.now.Add(time.Minute))
	var me *market.Error
	if !errors.Is(err, market.ErrRefused) || !errors.As(err, &me) || me.Code != "price_unexplained" || me.Article != market.ArticleShaanxi37 {
		t.Errorf("countering at %s: %v, want a Shaanxi Art. 37 refusal (price_unexplained)", far, err)
	}
	near := q.UnitPrice
	c, err := w.quotes.Counter(w.ctx, w.sellerA, q.ID, near, w.now.Add(time.Minute))
	if err != nil || c.CounterOf == nil || *c.CounterOf != q.ID || !c.Negotiated {
		t.Errorf("countering at the plan's price: %+v, %v; want a negotiated quote countering %s", c, err, q.ID)
	}
	_, err = w.quotes.Counter(w.ctx, w.sellerA, q.ID, near, q.ExpiresAt)
	wantErr(t, "countering an expired quote", err, market.ErrConflict, "quote_expired")
}

// mustFlag raises a Shaanxi Art. 37 flag against party.
func (w *svcWorld) mustFlag(t *testing.T, party market.PartyID) market.Flag {
	t.Helper()
	f := &market.Flag{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference", PartyID: party,
		Summary: "price 30% above the group's reference", Evidence: json.RawMessage(`{"trade_ids": ["t1"]}`), CreatedAt: w.now}
	if err := postgres.InTx(w.ctx, w.pool, func(tx pgx.Tx) error { return postgres.RaiseFlag(w.ctx, tx, f) }); err != nil {
		t.Fatal(err)
	}
	return *f
}

func TestCases_ShaanxiArt74_ARegulatorOpensACaseFromOpenFlagsOfOneParty(t *testing.T) {
	t.Parallel()
	w := mustSvcWorld(t)
	fa, fb := w.mustFlag(t, w.sellerA.PartyID), w.mustFlag(t, w.sellerB.PartyID)
	_, err := w.cases.Open(w.ctx, w.sellerA, market.OpenCaseRequest{FlagIDs: []uuid.UUID{fa.ID}}, w.now)
	wantErr(t, "a seller opening a case", err, market.ErrForbidden, "forbidden_role")
	_, err = w.cases.Open(w.ctx, w.regulator, market.OpenCaseRequest{FlagIDs: []uuid.UUID{fa.ID, fb.ID}}, w.now)
	wantErr(t, "a case over two parties' flags", err, market.ErrInvalid, "flags_of_several_parties")

	c, err := w.cases.Open(w.ctx, w.regulator, market.OpenCaseRequest{FlagIDs: []uuid.UUID{fa.ID}, Note: "立案"}, w.now)
	if err != nil {
		t.Fatal(err)
	}
	if c.PartyID != w.sellerA.PartyID || c.Status != market.CaseOpen || len(c.Flags) != 1 || c.Flags[0].Status != market.FlagInCase || len(c.Notes) != 1 {
		t.Errorf("case = party %s status %s flags %+v notes %d; want seller A's open case with its flag in_case and the note",
			c.PartyID, c.Status, c.Flags, len(c.Notes))
	}
	_, err = w.cases.Open(w.ctx, w.regulator, market.OpenCaseRequest{FlagIDs: []uuid.UUID{fa.ID}}, w.now)
	wantErr(t, "a second case from the same flag", err, market.ErrConflict, "flag_not_open")

	flags, err := w.cases.PartyFlags(w.ctx, w.sellerA, market.FlagFilter{PartyID: w.sellerB.PartyID})
	if err != nil || len(flags) != 1 || flags[0].ID != fa.ID {
		t.Errorf("seller A's flags (asking for B's) = %+v, %v; want only A's own", flags, err)
	}
	if c, err = w.cases.Decide(w.ctx, w.regulator, nil, c.ID, market.DecisionRequest{Action: market.DecisionDismiss, Reason: "查无实据"}, w.now); err != nil {
		t.Fatal(err)
	}
	if c.Status != market.CaseDismissed || c.Flags[0].Status != market.FlagDismissed || len(c.Decisions) != 1 {
		t.Errorf("after dismissal: case %s, flag %s, %d decisions; want dismissed both, one decision", c.Status, c.Flags[0].Status, len(c.Decisions))
	}
}
