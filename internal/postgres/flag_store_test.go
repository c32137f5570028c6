package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

func mustRaise(tb testing.TB, db postgres.DB, f market.Flag) market.Flag {
	tb.Helper()
	ctx := context.Background()
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error { return postgres.RaiseFlag(ctx, tx, &f) })
	if err != nil {
		tb.Fatalf("raise flag %s: %v", f.Article, err)
	}
	return f
}

func TestRaiseFlag_ShaanxiArt37_StoresTheFlagAndItsLedgerEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	seller := market.PartyID(mustLedgerParty(t, db, "Seller A"))
	listing := market.NewID()
	f := mustRaise(t, db, market.Flag{
		Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference", PartyID: seller,
		ListingID: &listing, Summary: "price 12% above the group's reference",
		Evidence: json.RawMessage(`{"reference_price": "100.00", "trade_ids": ["t1", "t2"]}`),
	})
	got, err := postgres.GetFlag(ctx, db, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != market.FlagOpen || got.Rule != "shaanxi-37" || *got.ListingID != listing || got.PartyID != seller {
		t.Errorf("stored flag = %+v", got)
	}
	var ev struct {
		Evidence struct {
			ReferencePrice string `json:"reference_price"`
		} `json:"evidence"`
		Article string `json:"article"`
	}
	var payload []byte
	err = db.QueryRow(ctx, `SELECT e.payload FROM ledger_entries e JOIN flags f ON f.ledger_entry_id = e.id
WHERE f.id = $1 AND e.kind = 'flag.raised' AND e.subject_id = f.id AND e.party_id = $2`, f.ID, seller).Scan(&payload)
	if err != nil {
		t.Fatalf("flag.raised ledger event: %v", err)
	}
	if err := json.Unmarshal(payload, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Article != "Shaanxi Art. 37" || ev.Evidence.ReferencePrice != "100.00" {
		t.Errorf("ledger payload = %s", payload)
	}

	t.Run("a flag without an article is refused", func(t *testing.T) {
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			return postgres.RaiseFlag(ctx, tx, &market.Flag{Rule: "shaanxi-37", Kind: "price_difference", PartyID: seller, Summary: "x"})
		})
		var me *market.Error
		if !errors.As(err, &me) || me.Field != "article" {
			t.Errorf("err = %v, want ErrInvalid on article", err)
		}
	})
	t.Run("a flag rolled back with its transaction leaves no ledger event", func(t *testing.T) {
		var id uuid.UUID
		_ = pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			f := market.Flag{Rule: "shaanxi-36", Article: "Shaanxi Art. 36(1)", Kind: "blocked", PartyID: seller, Summary: "x"}
			if err := postgres.RaiseFlag(ctx, tx, &f); err != nil {
				t.Fatal(err)
			}
			id = f.ID
			return errors.New("roll back")
		})
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM ledger_entries WHERE subject_id = $1`, id).Scan(&n); err != nil || n != 0 {
			t.Errorf("ledger events of rolled-back flag = %d (%v), want 0", n, err)
		}
	})
}

func TestListFlags_FiltersByArticlePartyListingStatusAndDate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	a, b := market.PartyID(mustLedgerParty(t, db, "Seller A")), market.PartyID(mustLedgerParty(t, db, "Seller B"))
	l1, l2 := market.NewID(), market.NewID()
	day := func(d int) time.Time { return time.Date(2026, 10, d, 9, 0, 0, 0, time.UTC) }
	f1 := mustRaise(t, db, market.Flag{Rule: "shaanxi-36", Article: "Shaanxi Art. 36(1)", Kind: "repeated_submission", PartyID: a, ListingID: &l1, Summary: "s", CreatedAt: day(1)})
	f2 := mustRaise(t, db, market.Flag{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "habit_pattern", PartyID: a, ListingID: &l2, Summary: "s", CreatedAt: day(2)})
	f3 := mustRaise(t, db, market.Flag{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference", PartyID: b, ListingID: &l2, Summary: "s", CreatedAt: day(3)})
	f4 := mustRaise(t, db, market.Flag{Rule: "shaanxi-36", Article: "Shaanxi Art. 36(3)", Kind: "blocked", PartyID: b, Summary: "s", CreatedAt: day(4)})
	err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
		return postgres.SetFlagStatus(ctx, tx, f4.ID, market.FlagDismissed, market.PartyID(market.NewID()), "duplicate of an earlier flag")
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		filter market.FlagFilter
		want   []uuid.UUID
	}{
		{"no filter lists every flag, newest first", market.FlagFilter{}, []uuid.UUID{f4.ID, f3.ID, f2.ID, f1.ID}},
		{"Shaanxi Art. 36 matches its paragraphs", market.FlagFilter{Article: "Shaanxi Art. 36"}, []uuid.UUID{f4.ID, f1.ID}},
		{"Shaanxi Art. 36(1) matches only itself", market.FlagFilter{Article: "Shaanxi Art. 36(1)"}, []uuid.UUID{f1.ID}},
		{"a rule id", market.FlagFilter{Rule: "shaanxi-37"}, []uuid.UUID{f3.ID, f2.ID}},
		{"a party", market.FlagFilter{PartyID: a}, []uuid.UUID{f2.ID, f1.ID}},
		{"a listing", market.FlagFilter{ListingID: l2}, []uuid.UUID{f3.ID, f2.ID}},
		{"open flags only", market.FlagFilter{Status: market.FlagOpen}, []uuid.UUID{f3.ID, f2.ID, f1.ID}},
		{"dismissed flags only", market.FlagFilter{Status: market.FlagDismissed}, []uuid.UUID{f4.ID}},
		{"a date range includes From and excludes To", market.FlagFilter{From: day(2), To: day(4)}, []uuid.UUID{f3.ID, f2.ID}},
		{"a limit with an offset", market.FlagFilter{Limit: 2, Offset: 1}, []uuid.UUID{f3.ID, f2.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := postgres.ListFlags(ctx, db, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			var ids []uuid.UUID
			for _, f := range got {
				ids = append(ids, f.ID)
			}
			if len(ids) != len(tc.want) {
				t.Fatalf("got %d flags %v, want %v", len(ids), ids, tc.want)
			}
			for i := range ids {
				if ids[i] != tc.want[i] {
					t.Errorf("flag %d = %s, want %s", i, ids[i], tc.want[i])
				}
			}
		})
	}
	t.Run("setting the same status again is a conflict", func(t *testing.T) {
		err := pgx.BeginFunc(ctx, db, func(tx pgx.Tx) error {
			return postgres.SetFlagStatus(ctx, tx, f4.ID, market.FlagDismissed, market.PartyID(market.NewID()), "again")
		})
		if !errors.Is(err, market.ErrConflict) {
			t.Errorf("err = %v, want ErrConflict", err)
		}
	})
	t.Run("an unknown status is refused", func(t *testing.T) {
		if _, err := postgres.ListFlags(ctx, db, market.FlagFilter{Status: "closed"}); !errors.Is(err, market.ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	})
}
