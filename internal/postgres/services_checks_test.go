package postgres_test

import (
	"strings"
	"testing"

	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// The Datasets, PartyKeys, RuleSets and Calendars services over this
// adapter and a real PostgreSQL: a wrong role or party is refused by the
// service and nothing is written.

func TestDatasets_AnotherSellersDatasetIsNotFound(t *testing.T) {
	w := mustSvcWorld(t)
	st := postgres.NewStores(w.pool, nil)
	d := &market.Dataset{ID: market.NewID(), PartyID: w.sellerA.PartyID, UploadedBy: w.sellerA.UserID, Name: "stations.csv",
		Format: "csv", SHA256: strings.Repeat("ab", 32), SizeBytes: 10, Rows: 1, Columns: []string{"station"},
		Detection: []byte(`{}`), CreatedAt: w.now}
	if err := st.Datasets.CreateDataset(w.ctx, d); err != nil {
		t.Fatal(err)
	}
	ds := market.NewDatasets(st.Datasets)
	if got, err := ds.Get(w.ctx, w.sellerA, d.ID); err != nil || got.Name != d.Name {
		t.Fatalf("the owner reads its dataset: %v, %v", got, err)
	}
	if _, err := ds.Get(w.ctx, w.regulator, d.ID); err != nil {
		t.Fatalf("a regulator reads it: %v", err)
	}
	_, err := ds.Get(w.ctx, w.sellerB, d.ID)
	wantErr(t, "another seller reads it", err, market.ErrNotFound, "dataset_not_found")
}

func TestPartyKeys_ARegulatorOrAnotherPartyCannotReplaceABuyersKey(t *testing.T) {
	w := mustSvcWorld(t)
	st := postgres.NewStores(w.pool, nil)
	buyerKey, otherKey := mustArmoredKey(t, "c@example.cn"), mustArmoredKey(t, "a@example.cn")
	keys := market.NewPartyKeys(st.Keys)
	if _, err := keys.Put(w.ctx, w.buyer, w.buyer.PartyID, buyerKey.armored, buyerKey.fingerprint, w.now); err != nil {
		t.Fatal(err)
	}
	for _, a := range []market.Actor{w.sellerA, w.regulator} {
		_, err := keys.Put(w.ctx, a, w.buyer.PartyID, otherKey.armored, otherKey.fingerprint, w.now)
		wantErr(t, "another party replaces the buyer's key", err, market.ErrForbidden, "forbidden_party")
	}
	k, err := st.Keys.PartyKey(w.ctx, w.buyer.PartyID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := k.Fingerprint, buyerKey.fingerprint; got != want {
		t.Fatalf("the buyer's key fingerprint = %s, want %s", got, want)
	}
}

func TestRuleSets_ShaanxiArt36_ASellerOrRegulatorCannotEditTheRuleSet(t *testing.T) {
	w := mustSvcWorld(t)
	st := postgres.NewStores(w.pool, nil)
	cur, err := st.RuleSets.CurrentRuleSet(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := *cur
	next.Version = cur.Version + 1
	for _, a := range []market.Actor{w.sellerA, w.regulator} {
		err := market.NewRuleSets(st.RuleSets).Put(w.ctx, a, &next, w.now)
		wantErr(t, "a non-operator edits the rule set", err, market.ErrForbidden, "forbidden_role")
	}
	after, err := st.RuleSets.CurrentRuleSet(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := after.Version, cur.Version; got != want {
		t.Fatalf("rule-set version after refused edits = %d, want %d", got, want)
	}
}

func TestCalendars_ANonOperatorCannotSetAYear(t *testing.T) {
	w := mustSvcWorld(t)
	st := postgres.NewStores(w.pool, nil)
	for _, a := range []market.Actor{w.sellerA, w.regulator} {
		_, err := market.NewCalendars(st.Calendar).PutYear(w.ctx, a, 2031,
			[]byte(`{"source": "x", "holidays": {"元旦": ["2031-01-01"]}, "workdays": []}`), w.now)
		wantErr(t, "a non-operator sets 2031", err, market.ErrForbidden, "forbidden_role")
	}
	_, err := st.Calendar.CalendarYear(w.ctx, 2031)
	wantErr(t, "2031 after refused edits", err, market.ErrNotFound, market.CodeCalendarYearNotCovered)
}

type armoredKey struct{ armored, fingerprint string }

// mustArmoredKey generates an OpenPGP key for email and returns its
// armored public part and fingerprint.
func mustArmoredKey(t testing.TB, email string) armoredKey {
	t.Helper()
	k, err := pgp.Generate("test", email)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := k.ArmoredPublic()
	if err != nil {
		t.Fatal(err)
	}
	return armoredKey{armored: string(pub), fingerprint: k.Fingerprint()}
}
