package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// Deposit credits amount to party's buyer funds from a SIMULATED bank
// transfer identified by reference, inside tx (see Transfer). The same
// reference again returns the first deposit with replayed true and moves
// nothing; the same reference for another party or amount is ErrConflict.
// It returns ErrInvalid for an empty reference or an amount that is not a
// positive number of fen.
func Deposit(ctx context.Context, tx pgx.Tx, party uuid.UUID, amount market.Money, reference string) (market.Posting, bool, error) {
	p, err := market.DepositPosting(party, amount, reference)
	if err != nil {
		return market.Posting{}, false, fmt.Errorf("deposit: %w", err)
	}
	// A deposit recorded before references became per-party keys carries
	// the old key: replay (or refuse) against it, never credit twice.
	var key string
	err = tx.QueryRow(ctx, `SELECT idempotency_key FROM postings WHERE kind = 'deposit' AND party_id = $1 AND reference = $2`,
		party, p.Reference).Scan(&key)
	if err == nil && key != "" {
		p.IdempotencyKey = key
	} else if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return market.Posting{}, false, fmt.Errorf("deposit: %w", err)
	}
	replayed, err := Transfer(ctx, tx, &p)
	return p, replayed, err
}

// Pay moves amount from buyer's funds into order's escrow inside tx, once
// per order (a repeat returns the first payment with replayed true). It
// returns an ErrInsufficientFunds *market.Error when the buyer's funds do
// not cover it.
func Pay(ctx context.Context, tx pgx.Tx, buyer, order uuid.UUID, amount market.Money) (market.Posting, bool, error) {
	p := market.PaymentPosting(buyer, order, amount)
	replayed, err := Transfer(ctx, tx, &p)
	return p, replayed, err
}

// Settle releases amount from order's escrow inside tx: amount − fee to
// seller's receivable, fee to the platform; once per order. It returns an
// ErrInsufficientFunds *market.Error when the escrow holds less.
func Settle(ctx context.Context, tx pgx.Tx, order, seller uuid.UUID, amount, fee market.Money) (market.Posting, bool, error) {
	p, err := market.SettlementPosting(order, seller, amount, fee)
	if err != nil {
		return market.Posting{}, false, fmt.Errorf("settle order %s: %w", order, err)
	}
	replayed, err := Transfer(ctx, tx, &p)
	return p, replayed, err
}

// Refund returns amount from order's escrow to buyer's funds inside tx;
// once per order. It returns an ErrInsufficientFunds *market.Error when the
// escrow holds less.
func Refund(ctx context.Context, tx pgx.Tx, order, buyer uuid.UUID, amount market.Money) (market.Posting, bool, error) {
	p := market.RefundPosting(order, buyer, amount)
	replayed, err := Transfer(ctx, tx, &p)
	return p, replayed, err
}
