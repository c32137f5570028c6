package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

const headColumns = `tree_size, root_hash, signed_at, key_fingerprint, signature`

// ErrNoSigner is returned by SignHead when the sequencer has no platform
// key to sign with.
var ErrNoSigner = errors.New("ledger: no platform key to sign tree heads (run `shujiao keys init`)")

// SignHead integrates pending entries and returns a signed head for the
// whole tree: the latest stored head when it already covers every leaf,
// else a new head signed now with the platform key and stored. It returns
// ErrNoSigner without a key, or the wrapped database or signing error.
func (s *Sequencer) SignHead(ctx context.Context) (ledger.Head, error) {
	if s.signer == nil {
		return ledger.Head{}, ErrNoSigner
	}
	if _, err := s.Integrate(ctx); err != nil {
		return ledger.Head{}, err
	}
	var head ledger.Head
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, sequencerLockKey); err != nil {
			return err
		}
		tree, _, err := loadTree(ctx, tx)
		if err != nil {
			return err
		}
		latest, err := LatestHead(ctx, tx)
		switch {
		case err == nil && latest.Size == tree.Size():
			head = latest
			return nil
		case err != nil && !errors.Is(err, market.ErrNotFound):
			return err
		}
		head, err = ledger.SignHead(s.signer, tree.Size(), tree.Root(), time.Now())
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO ledger_heads (`+headColumns+`) VALUES ($1, $2, $3, $4, $5)`,
			int64(head.Size), head.Root, head.Time, head.KeyFingerprint, head.Signature)
		return err
	})
	if err != nil {
		return ledger.Head{}, fmt.Errorf("sign tree head: %w", err)
	}
	s.witnessHead(head)
	return head, nil
}

// LatestHead returns the signed head of the largest tree, or an error
// wrapping market.ErrNotFound when no head was signed yet.
func LatestHead(ctx context.Context, db DB) (ledger.Head, error) {
	h, err := scanHead(db.QueryRow(ctx, `SELECT `+headColumns+` FROM ledger_heads ORDER BY tree_size DESC LIMIT 1`))
	if err != nil {
		return ledger.Head{}, fmt.Errorf("latest tree head: %w", translate(err))
	}
	return h, nil
}

// HeadAt returns the signed head of the tree of size leaves, or an error
// wrapping market.ErrNotFound when none was signed at that size.
func HeadAt(ctx context.Context, db DB, size uint64) (ledger.Head, error) {
	h, err := scanHead(db.QueryRow(ctx, `SELECT `+headColumns+` FROM ledger_heads WHERE tree_size = $1`, int64(size)))
	if err != nil {
		return ledger.Head{}, fmt.Errorf("tree head %d: %w", size, translate(err))
	}
	return h, nil
}

// Heads returns every signed head, smallest tree first.
func Heads(ctx context.Context, db DB) ([]ledger.Head, error) {
	rows, err := db.Query(ctx, `SELECT `+headColumns+` FROM ledger_heads ORDER BY tree_size`)
	if err != nil {
		return nil, fmt.Errorf("tree heads: %w", err)
	}
	heads, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ledger.Head, error) { return scanHead(r) })
	if err != nil {
		return nil, fmt.Errorf("tree heads: %w", err)
	}
	return heads, nil
}

func scanHead(row pgx.Row) (ledger.Head, error) {
	var h ledger.Head
	var size int64
	if err := row.Scan(&size, &h.Root, &h.Time, &h.KeyFingerprint, &h.Signature); err != nil {
		return ledger.Head{}, err
	}
	h.Size, h.Time = uint64(size), h.Time.UTC()
	return h, nil
}
