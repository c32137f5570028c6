package postgres_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// TestPipeTx_HeldLedgerAppendsKeepTheirOrderAndProve: the appends a
// pipelined transaction holds (order placement's) go as one INSERT; each
// entry keeps its ID, fields and place in the transaction's order, and every
// one is proved against the signed head.
func TestPipeTx_HeldLedgerAppendsKeepTheirOrderAndProve(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	party := mustLedgerParty(t, db, "Buyer")
	subject := market.NewID()
	at := time.Date(2026, 12, 5, 1, 0, 0, 0, time.UTC)
	kinds := []string{"test.first", "test.second", "test.third", "test.fourth"}
	var ids []uuid.UUID
	err := pipeTxFunc(ctx, db, func(p pgx.Tx) error {
		for i, k := range kinds {
			ev := market.LedgerEvent{Kind: k, SubjectID: subject, At: at.Add(time.Duration(i) * time.Second),
				Payload: json.RawMessage(fmt.Sprintf(`{"n": %d}`, i))}
			if i%2 == 0 {
				ev.PartyID = market.PartyID(party)
			}
			id, err := postgres.AppendLedger(ctx, p, ev)
			if err != nil {
				return err
			}
			ids = append(ids, id)
			if i == 1 { // a read between: the first two go with it
				var n int
				if err := p.QueryRow(ctx, `SELECT count(*) FROM ledger_entries WHERE subject_id = $1`, subject).Scan(&n); err != nil {
					return err
				}
				if n != 2 {
					t.Errorf("a read after two held appends saw %d entries, want 2", n)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(ctx, `SELECT id, kind, party_id, payload->>'n', at FROM ledger_entries WHERE subject_id = $1 ORDER BY seq`, subject)
	if err != nil {
		t.Fatal(err)
	}
	var i int
	for rows.Next() {
		var id uuid.UUID
		var kind, n string
		var p *uuid.UUID
		var got time.Time
		if err := rows.Scan(&id, &kind, &p, &n, &got); err != nil {
			t.Fatal(err)
		}
		if i >= len(ids) {
			t.Fatalf("more entries than appended: %s", kind)
		}
		if id != ids[i] || kind != kinds[i] || n != fmt.Sprint(i) || !got.Equal(at.Add(time.Duration(i)*time.Second)) {
			t.Errorf("entry %d = %s %s n=%s at %s, want %s %s n=%d", i, id, kind, n, got, ids[i], kinds[i], i)
		}
		if (p != nil) != (i%2 == 0) || (p != nil && *p != party) {
			t.Errorf("entry %d party = %v, want it set on even entries only", i, p)
		}
		i++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != len(kinds) {
		t.Fatalf("%d entries stored, want %d", i, len(kinds))
	}
	seq := postgres.NewSequencer(db, testPlatformKey, nil)
	for _, id := range ids {
		p, err := seq.Proof(ctx, id)
		if err != nil {
			t.Fatalf("proof of %s: %v", id, err)
		}
		if err := ledger.VerifyInclusion(p.LeafIndex, p.TreeSize, p.LeafHash, p.Hashes, p.Head.Root); err != nil {
			t.Errorf("inclusion proof of %s: %v", id, err)
		}
	}
}

// TestPipeTx_AMalformedHeldAppendRollsBackTheTransaction: an append the
// database refuses among held ones fails the transaction, and none of them
// is stored.
func TestPipeTx_AMalformedHeldAppendRollsBackTheTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	subject := market.NewID()
	err := pipeTxFunc(ctx, db, func(p pgx.Tx) error {
		if _, err := postgres.AppendLedger(ctx, p, market.LedgerEvent{Kind: "test.first", SubjectID: subject}); err != nil {
			return err
		}
		// Not JSON: AppendLedger's checks pass it through (the payload is
		// the caller's), the database refuses it.
		if _, err := p.Exec(ctx, postgres.InsertLedgerEntry, market.NewID(), "test.second", (*uuid.UUID)(nil), &subject, "{not json", time.Now()); err != nil {
			return err
		}
		return nil
	})
	if err == nil {
		t.Fatal("a transaction with a malformed payload committed")
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM ledger_entries WHERE subject_id = $1`, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d entries stored after the failed transaction, want 0", n)
	}
}

// pipeTxFunc runs fn in a pipelined transaction and commits it (sending
// what it held) unless fn fails.
func pipeTxFunc(ctx context.Context, db postgres.DB, fn func(pgx.Tx) error) error {
	tx, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	p := postgres.PipeTx(tx)
	defer p.Rollback(ctx)
	if err := fn(p); err != nil {
		return err
	}
	return p.Commit(ctx)
}

// TestPipeTx_AnAppendHeldAcrossAPaymentKeepsItsPlace: the order's first
// event is held while the payment's accounts are opened and locked (a read
// that runs ahead of it), then goes with the payment's and the next event;
// the three keep their order, the posting points at its own event and the
// books add up.
func TestPipeTx_AnAppendHeldAcrossAPaymentKeepsItsPlace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	buyer := mustLedgerParty(t, db, "Buyer")
	if err := inTx(t, db, func(ctx context.Context, tx pgx.Tx) error {
		_, _, err := postgres.Deposit(ctx, tx, buyer, market.MustMoney("10.00"), "REF")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	order := market.NewID()
	pay := market.PaymentPosting(buyer, order, market.MustMoney("3.00"))
	err := pipeTxFunc(ctx, db, func(p pgx.Tx) error {
		if _, err := postgres.AppendLedger(ctx, p, market.LedgerEvent{Kind: "order.created", SubjectID: order}); err != nil {
			return err
		}
		if err := postgres.TransferFresh(ctx, p, &pay); err != nil {
			return err
		}
		_, err := postgres.AppendLedger(ctx, p, market.LedgerEvent{Kind: "order.paid", SubjectID: order})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(ctx, `SELECT id, kind FROM ledger_entries WHERE subject_id = $1 ORDER BY seq`, order)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for rows.Next() {
		var id uuid.UUID
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			t.Fatal(err)
		}
		if kind == "money.payment" && id != pay.LedgerEntryID {
			t.Errorf("the payment's event is %s, its posting names %s", id, pay.LedgerEntryID)
		}
		kinds = append(kinds, kind)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(kinds), "[order.created money.payment order.paid]"; got != want {
		t.Errorf("events in order %s, want %s", got, want)
	}
	mustBalance(t, db, market.Escrow(order), "3.00")
	mustBalance(t, db, market.BuyerFunds(buyer), "7.00")
	if err := postgres.CheckBooks(ctx, db); err != nil {
		t.Error(err)
	}
}
