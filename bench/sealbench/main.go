// Command sealbench is the sealing benchmark of issue 18 (make bench,
// through bench/seal.sh): a private PostgreSQL (internal/pglocal),
// certified listings of a few sizes seeded through a `shujiao serve`
// built from this tree (which then stops), N orders per size placed
// directly through the order services (no HTTP: sealing alone is
// measured), and then River working the queue in this process with
// serve's worker configuration and delivery wiring — each copy
// fingerprinted (SHUJIAO_FINGERPRINT on, the default) and the release
// sealed once with a session key packet per buyer (off). For each it
// reports MB of deliveries sealed per second, jobs per second, CPU per
// copy and River's queue wait (attempted_at − created_at) and seal time
// (finalized_at − attempted_at); then, on one size, orders placed at
// half the drain rate while River runs, for a queue wait not made of the
// backlog (-paced-rate fixes the rate instead). Last, one line for
// scripts:
//
//	seal MB/s X; jobs/s Y; queue wait p99 Z ms
//
// (the default mode, fingerprinting on, on the paced size).
//
//	go run ./bench/sealbench -sizes 1000,10000,100000 -orders 40,24,8
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/shujiao/shujiao/bench/internal/benchapi"
	"github.com/shujiao/shujiao/internal/pgp"
)

func main() {
	sizes := flag.String("sizes", "1000,10000,100000", "rows of the certified releases, comma-separated")
	orders := flag.String("orders", "40,24,8", "orders sealed per size, comma-separated (one per size)")
	buyers := flag.Int("buyers", 8, "buyers the orders are spread over")
	modes := flag.String("fingerprint", "on,off", "SHUJIAO_FINGERPRINT modes to measure, in order")
	paced := flag.Int("paced-size", 10000, "the size measured paced at half the drain rate (0: none)")
	pacedFor := flag.Duration("paced-duration", 10*time.Second, "how long orders are placed in the paced phase")
	pacedRate := flag.Float64("paced-rate", 0, "orders per second in the paced phase (0: half the drain's jobs/s); a fixed rate compares two builds")
	durable := flag.Bool("durable", true, "PostgreSQL with fsync on")
	profile := flag.String("cpuprofile", "", "write a CPU profile of the drain phases to this file")
	flag.Parse()
	cfg := config{buyers: *buyers, paced: *paced, pacedFor: *pacedFor, pacedRate: *pacedRate, durable: *durable, profile: *profile}
	var err error
	if cfg.sizes, err = ints(*sizes); err == nil {
		cfg.orders, err = ints(*orders)
	}
	if err == nil && len(cfg.orders) != len(cfg.sizes) {
		err = fmt.Errorf("-orders names %d counts for %d sizes", len(cfg.orders), len(cfg.sizes))
	}
	for _, m := range strings.Split(*modes, ",") {
		if m != "on" && m != "off" {
			err = fmt.Errorf("-fingerprint %q: want on, off or both", *modes)
		}
		cfg.modes = append(cfg.modes, m == "on")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "sealbench: %v\n", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := run(ctx, log, cfg); err != nil {
		fmt.Fprintf(os.Stderr, "sealbench: %v\n", err)
		os.Exit(1)
	}
}

// config is the benchmark's settings.
type config struct {
	sizes, orders []int
	buyers        int
	modes         []bool // fingerprint on (true) or off
	paced         int
	pacedFor      time.Duration
	pacedRate     float64
	durable       bool
	profile       string
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q: want positive whole numbers separated by commas", s)
		}
		out = append(out, n)
	}
	return out, nil
}

func run(ctx context.Context, log *slog.Logger, cfg config) error {
	e, err := startEnv(ctx, log, cfg.durable)
	if err != nil {
		return err
	}
	defer e.close()
	if err := e.serve(ctx); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "sealbench: seeding certified listings of", cfg.sizes, "rows and", cfg.buyers, "buyers through shujiao serve")
	listings, err := seedListings(ctx, e, cfg.sizes)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	buyerKey, err := pgp.Generate("封装压测买方", "buyer@sealbench.test")
	if err != nil {
		return err
	}
	buyers, err := seedBuyers(ctx, e, cfg.buyers, buyerKey)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	e.stopServe()
	s, err := newSealer(e, buyers, buyerKey)
	if err != nil {
		return err
	}
	stopProfile, err := benchapi.StartCPUProfile(cfg.profile)
	if err != nil {
		return err
	}
	var drains []drainResult
	var paceds []pacedResult
	for _, fp := range cfg.modes {
		for i, l := range listings {
			fmt.Fprintf(os.Stderr, "sealbench: fingerprint %s, %d rows: %d orders queued, then sealed\n", onOff(fp), l.rows, cfg.orders[i])
			r, err := s.drain(ctx, fp, l, cfg.orders[i])
			if err != nil {
				return fmt.Errorf("fingerprint %s, %d rows: %w", onOff(fp), l.rows, err)
			}
			drains = append(drains, r)
			if l.rows == cfg.paced {
				rate := cfg.pacedRate
				if rate <= 0 {
					rate = r.jobsPerSecond() / 2
				}
				fmt.Fprintf(os.Stderr, "sealbench: fingerprint %s, %d rows: paced at %.1f orders/s for %s\n", onOff(fp), l.rows, rate, cfg.pacedFor)
				p, err := s.pace(ctx, fp, l, rate, cfg.pacedFor)
				if err != nil {
					return fmt.Errorf("fingerprint %s, %d rows, paced: %w", onOff(fp), l.rows, err)
				}
				paceds = append(paceds, p)
			}
		}
	}
	stopProfile()
	report(os.Stdout, cfg, drains, paceds)
	return nil
}

func onOff(fp bool) string {
	if fp {
		return "on"
	}
	return "off"
}
