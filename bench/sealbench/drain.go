package main

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// drainResult is one size sealed from a full queue.
type drainResult struct {
	fingerprint bool
	l           listing
	b           batch
	wall        time.Duration // River's start to the last seal's finalization
	cpu         time.Duration // this process's CPU meanwhile
}

func (r drainResult) jobsPerSecond() float64 { return float64(r.b.completed) / r.wall.Seconds() }
func (r drainResult) mbPerSecond() float64   { return float64(r.b.bytes) / 1e6 / r.wall.Seconds() }

// drain queues n orders of l with no River client working, then starts
// one with serve's configuration and measures until every seal is done.
func (s *sealer) drain(ctx context.Context, fp bool, l listing, n int) (drainResult, error) {
	d := s.delivery(fp)
	queue, err := s.client(d) // never started: it only queues
	if err != nil {
		return drainResult{}, err
	}
	ids, err := s.placeMany(ctx, s.orders(queue), l, n)
	if err != nil {
		return drainResult{}, err
	}
	c, err := s.client(d)
	if err != nil {
		return drainResult{}, err
	}
	runtime.GC()
	cpu0, t0 := cpuTime(), time.Now()
	if err := c.Start(ctx); err != nil {
		return drainResult{}, err
	}
	b, err := s.measure(ctx, ids, 20*time.Minute)
	cpu := cpuTime() - cpu0
	if serr := c.Stop(context.WithoutCancel(ctx)); err == nil {
		err = serr
	}
	if err != nil {
		return drainResult{}, err
	}
	if b.completed != n {
		return drainResult{}, fmt.Errorf("%d of %d seals completed", b.completed, n)
	}
	if err := s.check(ctx, d, ids[0], s.buyers[0]); err != nil {
		return drainResult{}, err
	}
	return drainResult{fingerprint: fp, l: l, b: b, wall: b.last.Sub(t0), cpu: cpu}, nil
}

// pacedResult is one size sealed while orders arrive at a fixed rate.
type pacedResult struct {
	fingerprint bool
	l           listing
	rate        float64
	b           batch
}

// pace runs a River client and places orders of l at rate per second for
// d, queued by that client as serve queues them; it measures until every
// seal is done.
func (s *sealer) pace(ctx context.Context, fp bool, l listing, rate float64, d time.Duration) (pacedResult, error) {
	c, err := s.client(s.delivery(fp))
	if err != nil {
		return pacedResult{}, err
	}
	if err := c.Start(ctx); err != nil {
		return pacedResult{}, err
	}
	defer c.Stop(context.WithoutCancel(ctx))
	orders := s.orders(c)
	interval := time.Duration(float64(time.Second) / rate)
	var (
		mu   sync.Mutex
		ids  []uuid.UUID
		errs []error
		wg   sync.WaitGroup
	)
	end := time.Now().Add(d)
	for i, next := 0, time.Now(); next.Before(end); i, next = i+1, next.Add(interval) {
		time.Sleep(time.Until(next))
		wg.Go(func() {
			id, err := s.place(ctx, orders, l, i)
			mu.Lock()
			defer mu.Unlock()
			ids, errs = append(ids, id), append(errs, err)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return pacedResult{}, err
	}
	b, err := s.measure(ctx, ids, 20*time.Minute)
	if err != nil {
		return pacedResult{}, err
	}
	return pacedResult{fingerprint: fp, l: l, rate: rate, b: b}, nil
}

// check opens order id's delivery as its buyer does — a download link,
// the download, decrypted with the buyer's key and the platform's
// signature checked — and requires the release's archive inside, so that
// what was measured is a delivery a buyer can open.
func (s *sealer) check(ctx context.Context, d *delivery.Service, id uuid.UUID, buyer market.Actor) error {
	link, err := d.Link(ctx, buyer, id)
	if err != nil {
		return fmt.Errorf("check order %s: %w", id, err)
	}
	_, rc, err := d.Open(ctx, buyer, strings.TrimPrefix(link.DownloadURL, "/v1/downloads/"))
	if err != nil {
		return fmt.Errorf("check order %s: %w", id, err)
	}
	defer rc.Close()
	var names []string
	err = pgp.DecryptStream(rc, s.buyer, s.key, func(plain io.Reader) error {
		tr := tar.NewReader(plain)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			names = append(names, h.Name)
		}
	})
	if err != nil {
		return fmt.Errorf("check order %s: open the delivery: %w", id, err)
	}
	if len(names) < 4 || names[0] != link.Release || !strings.Contains(strings.Join(names, " "), "certificate.json") {
		return fmt.Errorf("check order %s: the delivery holds %v", id, names)
	}
	return nil
}

// report prints the Markdown section and, last, the line for scripts.
func report(out *os.File, cfg config, drains []drainResult, paceds []pacedResult) {
	fmt.Fprintln(out, "## Sealing: deliveries sealed by River in the background")
	fmt.Fprintln(out)
	fmt.Fprintf(out, "Machine: %d cores, %s; one private PostgreSQL (fsync %s). Certified releases (synthetic people tables, "+
		"de-identified by `shujiao serve`) sold per licence, so every order delivers the whole release; the orders are placed "+
		"through the order services (no HTTP) while no River client runs, then one River client with serve's configuration "+
		"(jobs.Config defaults: 4 seal workers) seals them; `bench/seal.md` explains the columns. "+
		"Fingerprint on: every copy marked for its order and sealed to its buyer; off: the release sealed once, a session key "+
		"packet per buyer. MB are the deliveries as downloaded (armored), 10⁶ bytes.\n\n",
		runtime.NumCPU(), runtime.Version(), onOff(cfg.durable))
	fmt.Fprintln(out, "| fingerprint | rows | release MB | orders | MB sealed | wall s | MB/s | jobs/s | CPU s | CPU ms per copy | seal p50 | seal p99 | queue wait p99 (backlog) |")
	fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range drains {
		fmt.Fprintf(out, "| %s | %d | %.2f | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %s | %s | %s |\n", onOff(r.fingerprint), r.l.rows,
			float64(r.l.bytes)/1e6, r.b.completed, float64(r.b.bytes)/1e6, r.wall.Seconds(), r.mbPerSecond(), r.jobsPerSecond(),
			r.cpu.Seconds(), float64(r.cpu.Microseconds())/1000/float64(r.b.completed), ms(pct(r.b.seal, 50)), ms(pct(r.b.seal, 99)),
			ms(pct(r.b.wait, 99)))
	}
	if len(paceds) > 0 {
		fmt.Fprintln(out)
		if cfg.pacedRate > 0 {
			fmt.Fprintf(out, "Paced: orders placed at %.1f/s while River runs (queued by the same client, as serve does):\n", cfg.pacedRate)
		} else {
			fmt.Fprintln(out, "Paced: orders placed at half the drain rate while River runs (queued by the same client, as serve does):")
		}
		fmt.Fprintln(out)
		fmt.Fprintln(out, "| fingerprint | rows | orders/s | orders | queue wait p50 | queue wait p99 | seal p50 | seal p99 |")
		fmt.Fprintln(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
		for _, p := range paceds {
			fmt.Fprintf(out, "| %s | %d | %.1f | %d | %s | %s | %s | %s |\n", onOff(p.fingerprint), p.l.rows, p.rate, p.b.completed,
				ms(pct(p.b.wait, 50)), ms(pct(p.b.wait, 99)), ms(pct(p.b.seal, 50)), ms(pct(p.b.seal, 99)))
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(out, "\n_load average at the end: %s_\n", strings.Join(strings.Fields(string(b))[:3], " "))
	}
	// The line for scripts: the first mode measured (fingerprinting on by
	// default) on the paced size (the last size when none was paced).
	var line drainResult
	for _, r := range drains {
		if r.fingerprint == drains[0].fingerprint && (r.l.rows == cfg.paced || line.b.completed == 0 || cfg.paced == 0) {
			line = r
		}
	}
	var wait time.Duration
	for _, p := range paceds {
		if p.fingerprint == line.fingerprint && p.l.rows == line.l.rows {
			wait = pct(p.b.wait, 99)
		}
	}
	if len(paceds) == 0 {
		wait = pct(line.b.wait, 99)
	}
	fmt.Fprintf(out, "\nseal MB/s %.2f; jobs/s %.2f; queue wait p99 %.1f ms\n", line.mbPerSecond(), line.jobsPerSecond(), float64(wait.Microseconds())/1000)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
