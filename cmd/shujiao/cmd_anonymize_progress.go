package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"
)

// progressBar draws one line on a terminal; it is nil (and silent) when the
// writer is not one.
type progressBar struct {
	mu   sync.Mutex
	w    io.Writer
	last time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	if !isTerminal(w) {
		return nil
	}
	return &progressBar{w: w}
}

func (b *progressBar) show(stage string, done, total int64, unit string) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.last) < 100*time.Millisecond && done != total {
		return
	}
	b.last = time.Now()
	if total <= 0 {
		fmt.Fprintf(b.w, "\r%s: %s %s   ", stage, strconv.FormatInt(done, 10), unit)
		return
	}
	const width = 30
	filled := int(float64(width) * float64(min(done, total)) / float64(total))
	fmt.Fprintf(b.w, "\r%-6s [%s%s] %d/%d %s ", stage, strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, unit)
}

func (b *progressBar) clear() {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	fmt.Fprint(b.w, "\r\033[K")
}
