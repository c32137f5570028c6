// Command loadbench is the load benchmark of issues 7 and 18 (make bench,
// through bench/load.sh): it starts a private PostgreSQL (internal/pglocal)
// and `shujiao serve` built from this tree (the same wiring as production)
// on loopback, seeds a seller with a certified listing and N buyers with
// funds and OpenPGP keys, runs pgbench's TPC-B-like workload against the
// same PostgreSQL at the same client count, and then has the N simulated
// buyers place orders over HTTP (quote → order, paid into escrow; with
// -full also the delivery link and the download): first flat out for the
// maximum rate, then — once the server has sealed the deliveries the
// flat-out phase ordered (-drain, drain.go) — paced at 70 % of it. It prints a Markdown section with
// orders/s, p50 and p99 beside pgbench's TPS, and last one line for
// scripts: "orders/s X; pgbench TPS Y; ratio Z; p99 at 70 % W ms" (W: the
// p99 of a whole flow in the paced phase, from its scheduled start).
//
//	go run ./bench/loadbench -clients 8 -duration 20s
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"time"

	"github.com/shujiao/shujiao/bench/internal/benchapi"
)

func main() {
	clients := flag.Int("clients", 8, "simulated buyers (and pgbench clients)")
	duration := flag.Duration("duration", 20*time.Second, "length of each measured phase")
	rows := flag.Int("rows", 1000, "rows of the certified dataset delivered with every order")
	scale := flag.Int("pgbench-scale", 10, "pgbench -s (scale factor)")
	durable := flag.Bool("durable", true, "run PostgreSQL with fsync on (false: fsync off, as the tests)")
	full := flag.Bool("full", false, "each flow also fetches the delivery link and downloads the delivery (the flow of issue 7); default: order placement alone, quote → order paid into escrow (issue 18)")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the flat-out phase (the simulated clients; the server is its own shujiao serve process) to this file")
	flag.StringVar(&serverProfile, "serverprofile", "", "write a CPU profile of the shujiao serve under test (SHUJIAO_CPUPROFILE), from its start to its stop, to this file")
	flag.IntVar(&escrows, "escrows", 0, "open this many escrow accounts (with nothing in them) before the phases, as that many orders placed earlier would have: what an order costs as orders accumulate")
	flag.BoolVar(&statements, "statements", false, "load pg_stat_statements into the benchmark's PostgreSQL and print each statement's calls and execution time per order of the flat-out phase, and each table's sequential scans, inserts and index scans")
	flag.BoolVar(&drainFirst, "drain", true, "start the paced phase only once the server has sealed every delivery the flat-out phase ordered (false: at once, the paced phase then also carries the flat-out phase's backlog)")
	flag.StringVar(&serveBinary, "serve-binary", "", "run this shujiao binary as the server under test instead of building ./cmd/shujiao (to compare two builds in the same conditions; the schema is this tree's, migrated before the server starts)")
	flag.Parse()
	profile = *cpuprofile
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := run(ctx, log, *clients, *duration, *rows, *scale, *durable, *full); err != nil {
		fmt.Fprintf(os.Stderr, "loadbench: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, log *slog.Logger, clients int, d time.Duration, rows, scale int, durable, full bool) error {
	env, err := startEnv(ctx, log, clients, durable)
	if err != nil {
		return err
	}
	defer env.close()
	fmt.Fprintln(os.Stderr, "loadbench: seeding a certified listing and", clients, "buyers")
	w, err := seed(ctx, env, clients, rows)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := env.openEscrows(ctx, escrows); err != nil {
		return fmt.Errorf("-escrows: %w", err)
	}
	w.full = full
	// pgbench first, on the same PostgreSQL at the same client count, so
	// that both figures come from the same run.
	fmt.Fprintln(os.Stderr, "loadbench: pgbench at", clients, "clients for", d)
	tps, err := env.pgbench(ctx, clients, d, scale)
	if err != nil {
		return fmt.Errorf("pgbench: %w", err)
	}
	fmt.Fprintln(os.Stderr, "loadbench: phase 1, flat out for", d)
	if err := env.resetStatements(ctx); err != nil {
		return fmt.Errorf("-statements: %w", err)
	}
	stopProfile, err := benchapi.StartCPUProfile(profile)
	if err != nil {
		return err
	}
	cpuBefore := env.cpu()
	max, err := w.load(ctx, clients, d, 0)
	stopProfile()
	if err != nil {
		return fmt.Errorf("flat-out phase: %w", err)
	}
	cost := phaseCost{cpu: env.cpu().sub(cpuBefore)}
	if statements {
		if cost.stmts, err = env.readStatements(ctx); err != nil {
			return fmt.Errorf("-statements: %w", err)
		}
		var sizes strings.Builder
		env.printColumnSizes(ctx, &sizes)
		env.printTableUse(ctx, &sizes, max.n)
		cost.sizes = sizes.String()
	}
	cost.drain.skipped = !drainFirst
	if drainFirst {
		fmt.Fprintln(os.Stderr, "loadbench: waiting for the flat-out phase's seals to drain")
		if cost.drain, err = env.drainSeals(ctx, 10*time.Minute); err != nil {
			return fmt.Errorf("drain: %w", err)
		}
	}
	rate := 0.7 * max.perSecond()
	fmt.Fprintf(os.Stderr, "loadbench: phase 2, paced at %.1f orders/s for %s\n", rate, d)
	paced, err := w.load(ctx, clients, d, rate)
	if err != nil {
		return fmt.Errorf("paced phase: %w", err)
	}
	// whether sealing kept up with the paced phase: its own seals left
	if err := env.owner.QueryRow(ctx, pendingSeals).Scan(&cost.pacedLeft); err != nil {
		return fmt.Errorf("count queued seals: %w", err)
	}
	report(os.Stdout, clients, d, rows, durable, full, max, paced, rate, tps, scale, cost)
	return nil
}

// phaseCost is what the flat-out phase cost the machine: CPU time of the
// server and of PostgreSQL, and with -statements PostgreSQL's statements.
type phaseCost struct {
	cpu   cpuTimes
	stmts []statementRow
	sizes string // the average sizes of large columns
	drain drain  // the wait for the flat-out phase's seals
	// pacedLeft is how many seal jobs were not finished when the paced
	// phase ended (its own, with the drain)
	pacedLeft int
}

// report prints the Markdown section.
func report(out *os.File, clients int, d time.Duration, rows int, durable, full bool, max, paced stats, rate, tps float64, scale int, cost phaseCost) {
	fsync := "fsync on"
	if !durable {
		fsync = "fsync off"
	}
	steps := 2
	if full {
		steps = len(stepNames)
		fmt.Fprintln(out, "## Load: quote → order → pay → deliver over loopback HTTP")
		fmt.Fprintln(out)
		fmt.Fprintf(out, "Machine: %d cores, %s; one private PostgreSQL (%s) shared by the API and pgbench; %d simulated buyers, "+
			"each phase %s. One flow = POST quote, POST order (creation, Art. 36 re-check, payment into escrow, and the delivery "+
			"of the certified release of %d rows as the server prepares it), GET delivery link, GET download.\n\n",
			runtime.NumCPU(), runtime.Version(), fsync, clients, d, rows)
	} else {
		fmt.Fprintln(out, "## Load: order placement (quote → order, paid into escrow) over loopback HTTP")
		fmt.Fprintln(out)
		fmt.Fprintf(out, "Machine: %d cores, %s; one private PostgreSQL (%s) shared by the API and pgbench; %d simulated buyers, "+
			"each phase %s. One flow = POST quote, POST order (creation, Art. 36 re-check, payment into escrow, and whatever "+
			"the server does for the delivery of the certified release of %d rows inside that request).\n\n",
			runtime.NumCPU(), runtime.Version(), fsync, clients, d, rows)
	}
	fmt.Fprintln(out, "| phase | orders | orders/s | flow p50 | flow p99 | POST /v1/orders p50 | POST /v1/orders p99 | errors |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, p := range []struct {
		name string
		s    stats
	}{{"flat out (maximum rate)", max}, {fmt.Sprintf("paced at 70 %% (%.1f/s)", rate), paced}} {
		fmt.Fprintf(out, "| %s | %d | %.1f | %s | %s | %s | %s | %d |\n", p.name, p.s.n, p.s.perSecond(),
			ms(p.s.flow.pct(50)), ms(p.s.flow.pct(99)), ms(p.s.order.pct(50)), ms(p.s.order.pct(99)), p.s.errors)
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| request (flat out) | p50 | p99 |")
	fmt.Fprintln(out, "| --- | ---: | ---: |")
	for k, name := range stepNames[:steps] {
		fmt.Fprintf(out, "| %s | %s | %s |\n", name, ms(max.steps[k].pct(50)), ms(max.steps[k].pct(99)))
	}
	fmt.Fprintln(out)
	fmt.Fprintf(out, "pgbench TPC-B-like (scale %d, %d clients, %s, same PostgreSQL): **%.1f TPS**. "+
		"Orders/s flat out are %.0f %% of pgbench's TPS (goal ≥ 50 %%); p99 of a whole flow at 70 %% of the maximum rate: %s (goal < 100 ms).\n",
		scale, clients, d, tps, 100*max.perSecond()/tps, ms(paced.flow.pct(99)))
	if max.n > 0 {
		n := float64(max.n)
		fmt.Fprintf(out, "\nCPU time (user+sys) in the flat-out phase: shujiao serve %.0f ms (%.2f ms per order), "+
			"PostgreSQL %.0f ms (%.2f ms per order; its client backends %.2f ms per order, its background processes %.0f ms).\n\n",
			ms64(cost.cpu.serve), ms64(cost.cpu.serve)/n, ms64(cost.cpu.postgres), ms64(cost.cpu.postgres)/n,
			ms64(cost.cpu.backends)/n, ms64(cost.cpu.postgres-cost.cpu.backends))
		if dr := cost.drain; dr.skipped {
			fmt.Fprintf(out, "The paced phase started at once (-drain=false): the seals the flat-out phase left queued were worked during it.\n\n")
		} else {
			fmt.Fprintf(out, "The flat-out phase left %d seal jobs queued; the server sealed them in %.1f s (serve %.0f ms, PostgreSQL %.0f ms of CPU) "+
				"before the paced phase started. With them, per order of the flat-out phase: shujiao serve %.2f ms, PostgreSQL %.2f ms.\n\n",
				dr.queued, dr.took.Seconds(), ms64(dr.cpu.serve), ms64(dr.cpu.postgres),
				ms64(cost.cpu.serve+dr.cpu.serve)/n, ms64(cost.cpu.postgres+dr.cpu.postgres)/n)
		}
		whose := fmt.Sprintf("of its %d orders", paced.n)
		if cost.drain.skipped {
			whose = "the flat-out phase's backlog included"
		}
		fmt.Fprintf(out, "When the paced phase ended, %d seal jobs were still queued (%s).\n\n", cost.pacedLeft, whose)
	}
	if len(cost.stmts) > 0 {
		printStatements(out, cost.stmts, max.n)
		out.WriteString(cost.sizes)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(out, "\n_load average at the end: %s_\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	// The one line for scripts, last.
	fmt.Fprintf(out, "\norders/s %.1f; pgbench TPS %.1f; ratio %.3f; p99 at 70 %% %.1f ms\n",
		max.perSecond(), tps, max.perSecond()/tps, float64(paced.flow.pct(99).Microseconds())/1000)
}

// profile is the -cpuprofile file ("" for none).
var profile string

// drainFirst is -drain: wait for the flat-out phase's seals before the
// paced phase.
var drainFirst bool

// serveBinary is the -serve-binary file ("" : build ./cmd/shujiao).
var serveBinary string

// serverProfile is the -serverprofile file ("" for none): the server
// under test writes its CPU profile there (SHUJIAO_CPUPROFILE).
var serverProfile string

func ms64(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
