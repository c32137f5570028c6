package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/pgp"
)

// generateBuyerKey makes the key the simulated buyers register.
func generateBuyerKey() (*pgp.Key, error) {
	return pgp.Generate("压测买方", "buyer@loadbench.test")
}

// latencies is a set of durations.
type latencies []time.Duration

// pct returns the p-th percentile (nearest rank).
func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[max(0, min(i, len(s)-1))]
}

// stats are one phase's figures: completed flows, errors, the latency of
// whole flows (from their scheduled start when paced) and of the order
// request alone, and the phase's length.
type stats struct {
	n, errors   int
	flow, order latencies
	steps       [len(stepNames)]latencies
	elapsed     time.Duration
}

// stepNames are the requests of one flow, in order.
var stepNames = [...]string{"POST quote", "POST order (and pay)", "GET delivery link", "GET download"}

func (s stats) perSecond() float64 { return float64(s.n) / s.elapsed.Seconds() }

// load runs the flow with clients buyers for d: flat out when rate is 0,
// else paced at rate flows per second in total (latency measured from
// each flow's scheduled start, so queueing counts).
func (w *world) load(ctx context.Context, clients int, d time.Duration, rate float64) (stats, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var ticks chan time.Time
	if rate > 0 {
		ticks = make(chan time.Time, clients)
		go func() {
			defer close(ticks)
			interval := time.Duration(float64(time.Second) / rate)
			next := time.Now()
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(time.Until(next)):
				}
				select {
				case ticks <- next:
				case <-ctx.Done():
					return
				}
				next = next.Add(interval)
			}
		}()
	}
	var mu sync.Mutex
	var total stats
	var firstErr error
	start := time.Now()
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			var mine stats
			for ctx.Err() == nil {
				begin := time.Now()
				if ticks != nil {
					t, ok := <-ticks
					if !ok {
						break
					}
					begin = t
				}
				steps, err := w.flow(ctx, w.buyers[i])
				if ctx.Err() != nil {
					break
				}
				if err != nil {
					mine.errors++
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					continue
				}
				mine.n++
				mine.flow = append(mine.flow, time.Since(begin))
				mine.order = append(mine.order, steps[1])
				for k, d := range steps {
					mine.steps[k] = append(mine.steps[k], d)
				}
			}
			mu.Lock()
			total.n += mine.n
			total.errors += mine.errors
			total.flow = append(total.flow, mine.flow...)
			total.order = append(total.order, mine.order...)
			for k := range mine.steps {
				total.steps[k] = append(total.steps[k], mine.steps[k]...)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	total.elapsed = time.Since(start)
	if total.n == 0 && firstErr != nil {
		return total, firstErr
	}
	return total, nil
}

// flow is one buyer's quote → order (and payment), and with -full the
// delivery link and the download; it returns how long each request took.
func (w *world) flow(ctx context.Context, token string) ([len(stepNames)]time.Duration, error) {
	var took [len(stepNames)]time.Duration
	e := w.e
	lap := time.Now()
	step := func(i int) {
		now := time.Now()
		took[i], lap = now.Sub(lap), now
	}
	var q struct{ ID string }
	conds := map[string]any{"security": map[string]any{"delivery_mode": "encrypted_file", "certification_level": "L3"},
		"cost": map[string]any{"volume": "1", "channel": "standard"}, "stage": "direct", "duration_months": 12}
	if err := e.call(ctx, token, http.MethodPost, "/v1/listings/"+w.listing+"/quotes", conds, &q); err != nil {
		return took, err
	}
	step(0)
	var o struct{ ID string }
	if err := e.call(ctx, token, http.MethodPost, "/v1/orders", map[string]any{"quote_id": q.ID, "usage_purpose": "load benchmark",
		"licence": map[string]any{"accepted": true, "terms": "Shujiao standard data licence v1", "scope": []string{"internal_analysis"}}},
		&o, "Idempotency-Key", uuid.NewString()); err != nil {
		return took, err
	}
	step(1)
	if !w.full {
		return took, nil // order placement: quote → order, paid into escrow
	}
	var link struct {
		DownloadURL string `json:"download_url"`
		State       string `json:"state"`
	}
	if err := w.deliveryLink(ctx, token, o.ID, &link); err != nil {
		return took, err
	}
	step(2)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+link.DownloadURL, nil)
	if err != nil {
		return took, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := e.client.Do(req)
	if err != nil {
		return took, err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return took, err
	}
	if resp.StatusCode != http.StatusOK {
		return took, &statusError{resp.StatusCode}
	}
	step(3)
	return took, nil
}

type statusError struct{ status int }

func (e *statusError) Error() string { return "download: status " + http.StatusText(e.status) }

// deliveryLink asks for the order's delivery link into link, waiting while
// the server answers 202 (the delivery is being sealed in the background)
// for the Retry-After it gives, at most a minute.
func (w *world) deliveryLink(ctx context.Context, token, order string, link any) error {
	e := w.e
	for deadline := time.Now().Add(time.Minute); ; {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.base+"/v1/orders/"+order+"/delivery", nil)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := e.client.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		switch {
		case resp.StatusCode == http.StatusAccepted && time.Now().Before(deadline):
			wait := 100 * time.Millisecond
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
				wait = time.Duration(s) * time.Second
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(wait):
			}
		case resp.StatusCode == http.StatusOK:
			return json.Unmarshal(b, link)
		default:
			return fmt.Errorf("GET delivery: %d %s", resp.StatusCode, b)
		}
	}
}
