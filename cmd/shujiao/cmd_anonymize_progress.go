package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressBar reports a long run's phases on stderr: a bar redrawn in
// place on a terminal, or (plain) one line per phase change and at most
// one a second, for logs and pipes. A nil *progressBar is silent.
type progressBar struct {
	mu     sync.Mutex
	w      io.Writer
	plain  bool
	last   time.Time
	stage  string
	began  time.Time
	every  time.Duration
	lastOf int64
}

// newProgress returns the progress report that --progress asks for: auto
// (a bar when w is a terminal, else nothing), plain (lines) or none (nil).
func newProgress(w io.Writer, mode string) (*progressBar, error) {
	switch mode {
	case "", "auto":
		if !isTerminal(w) {
			return nil, nil
		}
		return &progressBar{w: w, every: 100 * time.Millisecond}, nil
	case "plain":
		return &progressBar{w: w, plain: true, every: time.Second}, nil
	case "none":
		return nil, nil
	}
	return nil, usageErrorf("anonymize: --progress %q: want auto, plain or none", mode)
}

// newProgressBar is the auto mode: a bar on a terminal, else nil.
func newProgressBar(w io.Writer) *progressBar {
	b, _ := newProgress(w, "auto")
	return b
}

// show reports done of total units (total ≤ 0: unknown) in stage, with the
// rate since the stage began. Safe for concurrent use.
func (b *progressBar) show(stage string, done, total int64, unit string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	now := time.Now()
	newStage := stage != b.stage
	if newStage {
		b.stage, b.began = stage, now
	}
	finished := total > 0 && done >= total && b.lastOf != done
	if !newStage && !finished && now.Sub(b.last) < b.every {
		return
	}
	b.last, b.lastOf = now, done
	rate := ""
	if s := now.Sub(b.began).Seconds(); s > 0.05 {
		rate = ", " + humanRate(float64(done)/s, unit)
	}
	if b.plain {
		if total > 0 {
			fmt.Fprintf(b.w, "%s: %d/%d %s (%d%%)%s\n", stage, done, total, unit, 100*min(done, total)/total, rate)
		} else {
			fmt.Fprintf(b.w, "%s: %d %s%s\n", stage, done, unit, rate)
		}
		return
	}
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s: %d %s%s   ", stage, done, unit, rate)
		return
	}
	const width = 30
	filled := int(float64(width) * float64(min(done, total)) / float64(total))
	fmt.Fprintf(b.w, "\r%-6s [%s%s] %d/%d %s%s ", stage, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, unit, rate)
}

// humanRate renders a rate of unit per second ("48.2 MB/s", "1200 nodes/s").
func humanRate(perSecond float64, unit string) string {
	if unit == "bytes" {
		return fmt.Sprintf("%.1f MB/s", perSecond/1e6)
	}
	return fmt.Sprintf("%.0f %s/s", perSecond, unit)
}

func (b *progressBar) clear() {
	if b == nil || b.plain {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprint(b.w, "\r\033[K")
}

// begin starts a phase (its rate is measured from now).
func (b *progressBar) begin(stage string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stage, b.began, b.lastOf = stage, time.Now(), -1
}

// end closes a phase that handled rows rows: plain mode writes the phase's
// time and rows per second, a bar is cleared.
func (b *progressBar) end(stage string, rows int64) {
	if b == nil {
		return
	}
	if !b.plain {
		b.clear()
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	d := time.Since(b.began)
	rate := ""
	if d > 0 {
		rate = fmt.Sprintf(" (%.0f rows/s)", float64(rows)/d.Seconds())
	}
	fmt.Fprintf(b.w, "%s: done, %d rows in %d ms%s\n", stage, rows, d.Milliseconds(), rate)
}
