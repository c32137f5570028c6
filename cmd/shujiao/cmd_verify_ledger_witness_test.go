package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// TestVerifyLedger_WitnessedHeads: serve's sequencer writes every signed
// head to <data-dir>/ledger/heads.jsonl; verify-ledger then fails, with a
// one-line reason, when the latest head is deleted from the database (no
// --head: the heads file) and when the ledger is wiped (--head: a head an
// auditor saved). Before, both printed "ledger OK".
func TestVerifyLedger_WitnessedHeads(t *testing.T) {
	ctx := context.Background()
	dataDir := filepath.Join(t.TempDir(), "var")
	cluster, err := pglocal.Start(ctx, dataDir, pglocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	pool, err := postgres.Open(ctx, cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	key, err := pgp.InitPlatformKey(dataDir, "Shujiao test", "")
	if err != nil {
		t.Fatal(err)
	}
	seq := postgres.NewSequencer(pool, key, nil)
	seq.WitnessHeads(ledger.NewHeadFile(headsFilePath(func(string) string { return "" }, dataDir)))
	var latest ledger.Head
	for _, n := range []int{4, 2} {
		for range n {
			err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
				_, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "order.paid", Payload: json.RawMessage(`{"n":1}`)})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if latest, err = seq.SignHead(ctx); err != nil {
			t.Fatal(err)
		}
	}
	saved := filepath.Join(t.TempDir(), "sth.json")
	b, _ := json.Marshal(latest) // as GET /v1/ledger/sth answers
	if err := os.WriteFile(saved, b, 0o644); err != nil {
		t.Fatal(err)
	}
	verify := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		env := &cliEnv{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
		err := runVerifyLedger(ctx, env, append([]string{"--data-dir", dataDir}, args...))
		return out.String(), err
	}
	tamper := func(sql string) {
		t.Helper()
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, sql)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	wantFail := func(out string, err error, reason string) {
		t.Helper()
		var ce *cliError
		if !errors.As(err, &ce) || ce.code != 1 {
			t.Fatalf("err = %v, want exit code 1; output %q", err, out)
		}
		first, _, _ := strings.Cut(out, "\n")
		if !strings.Contains(first, reason) {
			t.Errorf("first line %q does not say %q", first, reason)
		}
	}

	if out, err := verify(); err != nil || !strings.Contains(out, "2 witnessed heads held") {
		t.Fatalf("untouched ledger: err %v, output %q", err, out)
	}
	if out, err := verify("--head", saved); err != nil || !strings.Contains(out, "1 witnessed heads held") {
		t.Fatalf("untouched ledger, --head: err %v, output %q", err, out)
	}
	tamper(`DELETE FROM ledger_heads WHERE tree_size = 6`)
	out, err := verify()
	wantFail(out, err, "the head over 6 entries signed at "+latest.Time.UTC().Format(ledger.TimeFormat)+" is missing from the database")

	tamper(`TRUNCATE ledger_heads, ledger_nodes, ledger_leaves, ledger_entries CASCADE`)
	out, err = verify("--head", saved)
	wantFail(out, err, "entries 0–5 are missing")
	t.Run("a --head file that is not a head is bad input", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "x.json")
		_ = os.WriteFile(bad, []byte(`{"tree_size":"six"}`), 0o644)
		_, err := verify("--head", bad)
		var ce *cliError
		if !errors.As(err, &ce) || ce.code != 2 {
			t.Errorf("err = %v, want exit code 2", err)
		}
	})
}
