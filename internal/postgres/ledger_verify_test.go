package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// tamperedLedger is a ledger of 16 entries, one per transaction, with
// signed heads over the first 12 and over all 16.
func tamperedLedger(t *testing.T) (*pgxpool.Pool, []uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	seq := postgres.NewSequencer(db, testPlatformKey, nil)
	ids := mustAppend(t, db, 12)
	if _, err := seq.SignHead(ctx); err != nil {
		t.Fatal(err)
	}
	ids = append(ids, mustAppend(t, db, 4)...)
	if _, err := seq.SignHead(ctx); err != nil {
		t.Fatal(err)
	}
	return db, ids
}

// mustVerify runs the library call behind `shujiao verify-ledger`.
func mustVerify(t *testing.T, db *pgxpool.Pool) ledger.Report {
	t.Helper()
	r, err := postgres.VerifyLedger(context.Background(), db, testPlatformKey.Public())
	if err != nil {
		t.Fatalf("verify ledger: %v", err)
	}
	return r
}

// wantFirstBad checks that verification failed and named leaf at and entry id.
func wantFirstBad(t *testing.T, r ledger.Report, kind string, at int64, id uuid.UUID) {
	t.Helper()
	if r.OK || r.FirstBad == nil {
		t.Fatalf("verify passed a tampered ledger: %+v", r)
	}
	fb := r.FirstBad
	if fb.Kind != kind || fb.LeafIndex != at || (id != uuid.Nil && fb.EntryID != id) {
		t.Errorf("first bad = %s at leaf %d entry %s (%s)\nwant %s at leaf %d entry %s\nall: %+v",
			fb.Kind, fb.LeafIndex, fb.EntryID, fb.Message, kind, at, id, r.Problems)
	}
}

func TestVerifyLedger_AnUntouchedLedgerVerifies(t *testing.T) {
	t.Parallel()
	db, _ := tamperedLedger(t)
	mustAppend(t, db, 3) // integrated by nobody yet: pending entries are not faults
	r := mustVerify(t, db)
	if !r.OK || r.TreeSize != 16 || r.HeadsChecked != 2 || r.LatestHead != 16 {
		t.Errorf("report = %+v, want OK over 16 leaves and 2 heads", r)
	}
	t.Run("another key's signature fails every head", func(t *testing.T) {
		other, err := pgpGenerate()
		if err != nil {
			t.Fatal(err)
		}
		r, err := postgres.VerifyLedger(context.Background(), db, other)
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.FirstBad.Kind != ledger.ProblemSignature {
			t.Errorf("report with another key = %+v, want a signature problem", r)
		}
	})
}

func TestVerifyLedger_NamesAnUpdatedEntry(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, sql string
		at        int
	}{
		{"an amount changed in the payload", `UPDATE ledger_entries SET payload = '{"n": 5, "amount": "1.00"}' WHERE id = $1`, 5},
		{"the time moved back a day", `UPDATE ledger_entries SET at = at - interval '1 day' WHERE id = $1`, 3},
		{"the party changed", `UPDATE ledger_entries SET party_id = gen_random_uuid() WHERE id = $1`, 0},
		{"the kind changed in the last signed entry", `UPDATE ledger_entries SET kind = 'order.refunded' WHERE id = $1`, 15},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db, ids := tamperedLedger(t)
			mustSuperExec(t, db, tc.sql, ids[tc.at])
			wantFirstBad(t, mustVerify(t, db), ledger.ProblemChanged, int64(tc.at), ids[tc.at])
		})
	}
}

func TestVerifyLedger_NamesADeletedEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("the entry row deleted", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		mustSuperExec(t, db, `DELETE FROM ledger_entries WHERE id = $1`, ids[7])
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemDeleted, 7, ids[7])
	})
	t.Run("the entry and its leaf deleted and later leaves renumbered", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		mustSuperExec(t, db, `DELETE FROM ledger_leaves WHERE entry_id = $1`, ids[7])
		mustSuperExec(t, db, `DELETE FROM ledger_entries WHERE id = $1`, ids[7])
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index + 1000000 WHERE leaf_index > 7`)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index - 1000001 WHERE leaf_index > 1000000`)
		r := mustVerify(t, db)
		wantFirstBad(t, r, ledger.ProblemDeleted, 7, ids[8])
		if r.TreeSize != 15 {
			t.Errorf("tree size = %d, want 15", r.TreeSize)
		}
	})
	t.Run("the leaf deleted and later leaves renumbered, the entry kept", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		waitHorizonPast(t, db, ids[7])
		mustSuperExec(t, db, `DELETE FROM ledger_leaves WHERE entry_id = $1`, ids[7])
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index + 1000000 WHERE leaf_index > 7`)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index - 1000001 WHERE leaf_index > 1000000`)
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemNotInTree, 7, ids[7])
	})
	t.Run("the last leaves deleted", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		mustSuperExec(t, db, `DELETE FROM ledger_leaves WHERE leaf_index >= 14`)
		mustSuperExec(t, db, `DELETE FROM ledger_entries WHERE id = ANY($1)`, ids[14:])
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemDeleted, 14, uuid.Nil)
	})
	_ = ctx
}

func TestVerifyLedger_NamesAnInsertedEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	forge := func(t *testing.T, db *pgxpool.Pool, like uuid.UUID) uuid.UUID {
		t.Helper()
		id := market.NewID()
		mustSuperExec(t, db, `INSERT INTO ledger_entries (id, seq, txid, kind, payload, at)
OVERRIDING SYSTEM VALUE
SELECT $1, seq + 100000, txid, 'order.paid', '{"amount": "999.00"}', at FROM ledger_entries WHERE id = $2`, id, like)
		return id
	}
	t.Run("a backdated entry row among recorded ones", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		waitHorizonPast(t, db, ids[4])
		forged := forge(t, db, ids[4])
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemNotInTree, 5, forged)
	})
	t.Run("an entry with a well-formed leaf spliced into the tree", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		waitHorizonPast(t, db, ids[4])
		forged := forge(t, db, ids[4])
		var e ledger.Entry
		err := db.QueryRow(ctx, `SELECT id, seq, kind, payload, at FROM ledger_entries WHERE id = $1`, forged).
			Scan(&e.ID, &e.Seq, &e.Kind, &e.Payload, &e.At)
		if err != nil {
			t.Fatal(err)
		}
		h, err := ledger.LeafHash(e, 5)
		if err != nil {
			t.Fatal(err)
		}
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index + 1000001 WHERE leaf_index >= 5`)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index - 1000000 WHERE leaf_index > 1000000`)
		mustSuperExec(t, db, `INSERT INTO ledger_leaves (leaf_index, entry_id, leaf_hash, horizon)
SELECT 5, $1, $2, horizon FROM ledger_leaves WHERE leaf_index = 4`, forged, h)
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemInserted, 5, forged)
	})
}

func TestVerifyLedger_NamesReorderedEntries(t *testing.T) {
	t.Parallel()
	t.Run("two leaves swapped with their hashes", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = CASE leaf_index WHEN 3 THEN 1000009 ELSE 1000003 END
WHERE leaf_index IN (3, 9)`)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_index = leaf_index - 1000000 WHERE leaf_index > 1000000`)
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemReordered, 3, ids[9])
	})
	t.Run("two entries swapped between leaves", func(t *testing.T) {
		t.Parallel()
		db, ids := tamperedLedger(t)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET entry_id = gen_random_uuid() WHERE leaf_index = 2`)
		mustSuperExec(t, db, `UPDATE ledger_leaves SET entry_id = $1 WHERE leaf_index = 6`, ids[2])
		mustSuperExec(t, db, `UPDATE ledger_leaves SET entry_id = $1 WHERE leaf_index = 2`, ids[6])
		wantFirstBad(t, mustVerify(t, db), ledger.ProblemReordered, 2, ids[6])
	})
}

func TestVerifyLedger_CatchesARewriteThatRecomputedTheLeafHashes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, ids := tamperedLedger(t)
	mustSuperExec(t, db, `UPDATE ledger_entries SET payload = '{"amount": "0.01"}' WHERE id = $1`, ids[6])
	var e ledger.Entry
	err := db.QueryRow(ctx, `SELECT id, seq, kind, payload, at FROM ledger_entries WHERE id = $1`, ids[6]).
		Scan(&e.ID, &e.Seq, &e.Kind, &e.Payload, &e.At)
	if err != nil {
		t.Fatal(err)
	}
	h, err := ledger.LeafHash(e, 6)
	if err != nil {
		t.Fatal(err)
	}
	mustSuperExec(t, db, `UPDATE ledger_leaves SET leaf_hash = $2 WHERE entry_id = $1`, ids[6], h)
	r := mustVerify(t, db)
	if r.OK {
		t.Fatal("verify passed a consistently rewritten leaf")
	}
	var node, root bool
	for _, p := range r.Problems {
		node = node || p.Kind == ledger.ProblemNode && p.LeafIndex == 6
		root = root || p.Kind == ledger.ProblemRoot
	}
	if !node || !root {
		t.Errorf("want the node over leaf 6 and the signed roots to disagree; problems: %+v", r.Problems)
	}
}

// waitHorizonPast appends and integrates entries until the tree's last
// horizon passes the transaction of entry id. The horizon is the oldest
// transaction still running in the whole cluster, which tests running in
// parallel hold back; until it passes, the tree cannot tell a late entry
// of that age from an inserted one.
func waitHorizonPast(t *testing.T, db *pgxpool.Pool, id uuid.UUID) {
	t.Helper()
	ctx := context.Background()
	seq := postgres.NewSequencer(db, testPlatformKey, nil)
	for range 500 {
		var past bool
		err := db.QueryRow(ctx, `SELECT (SELECT horizon FROM ledger_leaves ORDER BY leaf_index DESC LIMIT 1) >
(SELECT txid FROM ledger_entries WHERE id = $1)`, id).Scan(&past)
		if err != nil {
			t.Fatal(err)
		}
		if past {
			return
		}
		time.Sleep(10 * time.Millisecond)
		mustAppend(t, db, 1)
		if _, err := seq.Integrate(ctx); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("the ledger horizon never passed entry %s", id)
}
