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

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// TestVerifyLedger_CLI runs `shujiao verify-ledger` against the private
// cluster of a data directory: it passes on an untouched ledger and, after
// an entry is changed in SQL, exits 1 naming that entry.
func TestVerifyLedger_CLI(t *testing.T) {
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
	var ids []uuid.UUID
	for i := range 6 {
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			id, err := postgres.AppendLedger(ctx, tx, market.LedgerEvent{Kind: "order.paid", Payload: json.RawMessage(`{"n":` + string(rune('0'+i)) + `}`)})
			ids = append(ids, id)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := postgres.NewSequencer(pool, key, nil).SignHead(ctx); err != nil {
		t.Fatal(err)
	}
	verify := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		env := &cliEnv{stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
		err := runVerifyLedger(ctx, env, append([]string{"--data-dir", dataDir}, args...))
		return out.String(), err
	}

	out, err := verify()
	if err != nil || !strings.HasPrefix(out, "ledger OK: 6 entries") {
		t.Fatalf("untouched ledger: err %v, output %q", err, out)
	}

	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE ledger_entries SET payload = '{"n": 9}' WHERE id = $1`, ids[3])
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err = verify()
	var ce *cliError
	if !errors.As(err, &ce) || ce.code != 1 {
		t.Fatalf("tampered ledger: err = %v, want exit code 1", err)
	}
	if !strings.Contains(out, "first bad entry: leaf 3, entry "+ids[3].String()) {
		t.Errorf("output does not name leaf 3 and entry %s:\n%s", ids[3], out)
	}
	out, _ = verify("--json")
	var r ledger.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("--json: %v: %s", err, out)
	}
	if r.OK || r.FirstBad == nil || r.FirstBad.EntryID != ids[3] || r.FirstBad.Kind != ledger.ProblemChanged {
		t.Errorf("--json report = %+v", r)
	}
	t.Run("another key is a signature failure", func(t *testing.T) {
		other, err := pgp.Generate("Someone else", "x@example.cn")
		if err != nil {
			t.Fatal(err)
		}
		pub, _ := other.ArmoredPublic()
		path := filepath.Join(t.TempDir(), "other.asc")
		if err := writeFileForTest(path, pub); err != nil {
			t.Fatal(err)
		}
		out, err := verify("--key", path)
		if err == nil || !strings.Contains(out, "signature") {
			t.Errorf("verify with another key: err %v, output %q", err, out)
		}
	})
	t.Run("a missing key file is bad input", func(t *testing.T) {
		_, err := verify("--key", filepath.Join(t.TempDir(), "nope.asc"))
		var ce *cliError
		if !errors.As(err, &ce) || ce.code != 2 {
			t.Errorf("err = %v, want exit code 2", err)
		}
	})
}

func writeFileForTest(path string, b []byte) error { return os.WriteFile(path, b, 0o644) }
