package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
)

// Intervals of the ledger sequencer in serve: integrate committed entries
// into the Merkle tree every second, sign a tree head every minute when the
// tree grew (and on demand: POST /v1/ledger/heads, and before a proof).
const (
	ledgerIntegrateEvery = time.Second
	ledgerSignEvery      = time.Minute
)

// ledgerWiring is the transaction ledger of one process: the server role's
// pool (shujiao_app, which cannot UPDATE or DELETE ledger rows) and the
// sequencer running in the background until close.
type ledgerWiring struct {
	pool   *pgxpool.Pool
	seq    *postgres.Sequencer
	log    *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
}

// startLedger opens the server role's pool on owner's database and starts
// the sequencer, which signs tree heads with key and witnesses them in the
// heads file under dataDir. Call close exactly once.
func startLedger(ctx context.Context, owner *pgxpool.Pool, dataDir string, key *pgp.Key, log *slog.Logger) (*ledgerWiring, error) {
	// The server logs in as shujiao_app itself (never the owner); with a
	// server that authenticates it by password, SHUJIAO_APP_PASSWORD.
	pool, err := postgres.OpenAppPoolWithPassword(ctx, owner, os.Getenv("SHUJIAO_APP_PASSWORD"))
	if err != nil {
		return nil, fmt.Errorf("ledger: %w (were the migrations applied?)", err)
	}
	l := &ledgerWiring{pool: pool, seq: postgres.NewSequencer(pool, key, log), log: log, done: make(chan struct{})}
	heads := ledger.NewHeadFile(headsFilePath(os.Getenv, dataDir))
	l.seq.WitnessHeads(heads)
	log.Info("ledger: every signed tree head is also written to the heads file", "heads_file", heads.Path())
	var rctx context.Context
	rctx, l.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go func() {
		defer close(l.done)
		// One server at a time runs the loop (wire_leader.go).
		runSequencerAsLeader(rctx, pool, log, func(ctx context.Context) {
			l.seq.Run(ctx, ledgerIntegrateEvery, ledgerSignEvery)
		})
	}()
	return l, nil
}

// services returns what the ledger and money routes call.
func (l *ledgerWiring) services() *httpapi.LedgerServices {
	return &httpapi.LedgerServices{Log: postgres.NewLedgerLog(l.pool, l.seq)}
}

// close stops the sequencer, integrates what is left and signs a head over
// it (so that a demo run or a stopped server leaves every entry signed),
// then closes the pool.
func (l *ledgerWiring) close() {
	l.cancel()
	<-l.done
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := l.seq.SignHead(ctx); err != nil {
		l.log.Error("ledger: sign the last tree head", "error", err.Error())
	}
	l.pool.Close()
}
