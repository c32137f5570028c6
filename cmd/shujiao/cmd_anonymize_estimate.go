package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
)

// Bytes a row costs in memory, measured on `shujiao gen` tables (bench/
// RESULTS.md, section t19c): they make the estimate a run is checked
// against before it reads its input, so that a --memory-limit the run
// cannot keep stops it at once rather than after it has taken the memory.
const (
	// codeBytesPerColumn: one int32 code per row in each kept column, twice
	// (the input and the release).
	codeBytesPerColumn = 8
	// lineBytes: the source line of each row; classBytes: each row's class
	// in the search's finest node.
	lineBytes  = 8
	classBytes = 4
	// distinctValueOverhead: a distinct value held in a dictionary costs its
	// bytes and a string header; pseudonymBytes: its pseudonym (64 hex
	// digits and a header) in the release.
	distinctValueOverhead = 16
	pseudonymBytes        = 80
	// estimateSample is how much of the input the estimate reads.
	estimateSample = 1 << 20
)

// runEstimate is what a run over a text table will need, estimated from
// the file's size and its first lines before it is read.
type runEstimate struct {
	rows int64
	size int64
	// codes is the memory of the dictionary codes (which a spill moves to
	// a memory-mapped file); heap is the rest that a run holds per row.
	codes, heap int64
}

// estimateRun estimates the rows of the CSV or TSV file input and the
// memory an anonymize run under cfg needs for them. It reports false for
// other formats and for files it cannot sample (the run's live-heap watch
// still holds it to the limit).
func estimateRun(input string, cfg anonymizer.Config, delim rune) (runEstimate, bool) {
	switch strings.ToLower(filepath.Ext(input)) {
	case ".csv", ".tsv", ".txt":
	default:
		return runEstimate{}, false
	}
	f, err := os.Open(input)
	if err != nil {
		return runEstimate{}, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return runEstimate{}, false
	}
	buf := make([]byte, estimateSample)
	n, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF {
		return runEstimate{}, false
	}
	sample := buf[:n]
	if int64(n) < st.Size() {
		// whole lines only
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	if delim == 0 {
		delim = ','
		if strings.HasSuffix(strings.ToLower(input), ".tsv") {
			delim = '\t'
		}
	}
	return estimateFromSample(sample, st.Size(), cfg, delim)
}

// estimateFromSample is estimateRun over the first whole lines of a file
// of size bytes.
func estimateFromSample(sample []byte, size int64, cfg anonymizer.Config, delim rune) (runEstimate, bool) {
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord, r.ReuseRecord = delim, true, -1, false
	header, err := r.Read()
	if err != nil {
		return runEstimate{}, false
	}
	headerBytes := r.InputOffset()
	pseudo := map[int]map[string]bool{}
	kept := 0
	for i, h := range header {
		h = strings.TrimPrefix(h, "\ufeff")
		switch {
		case slices.Contains(cfg.Drop, h):
		case slices.Contains(cfg.Pseudonymize, h):
			pseudo[i] = map[string]bool{}
			kept++
		default:
			kept++
		}
	}
	var lines int64
	valueBytes := make(map[int]int64, len(pseudo))
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		lines++
		for i, seen := range pseudo {
			if i < len(rec) {
				seen[rec[i]] = true
				valueBytes[i] += int64(len(rec[i]))
			}
		}
	}
	if lines == 0 {
		return runEstimate{}, false
	}
	perLine := float64(r.InputOffset()-headerBytes) / float64(lines)
	rows := int64(float64(size-headerBytes) / perLine)
	if rows < lines {
		rows = lines
	}
	heap := float64(lineBytes + classBytes)
	for i, seen := range pseudo {
		// the share of distinct values in the sample, held for every row
		// alike: identifiers are near-unique, so most rows add a value
		distinct := float64(len(seen)) / float64(lines)
		heap += distinct * (float64(valueBytes[i])/float64(lines) + distinctValueOverhead + pseudonymBytes)
	}
	return runEstimate{
		rows:  rows,
		size:  size,
		codes: rows * int64(kept*codeBytesPerColumn),
		heap:  int64(float64(rows) * heap),
	}, true
}

// check returns an error naming the limit when even the part of the run
// that no spill can move (heap) is over limit, before anything is read.
func (e runEstimate) check(limit int64, input string) error {
	if limit <= 0 || e.heap <= limit {
		return nil
	}
	return fmt.Errorf("anonymize: --memory-limit %s: %s holds about %d rows (estimated from its size, %s, and its first lines); a run needs at least %s for them (line numbers, row classes, dictionaries and pseudonyms of identifier columns) besides %s of codes that can spill to disk; %w: raise the limit or set it to off",
		formatBytes(limit), input, e.rows, formatBytes(e.size), formatBytes(e.heap), formatBytes(e.codes), errMemoryLimit)
}

// spills reports whether the run should keep its codes in a memory-mapped
// file: the codes and the rest together would pass half the limit (the
// search's classes and the collector need the other half).
func (e runEstimate) spills(limit int64) bool {
	return limit > 0 && 2*(e.codes+e.heap) > limit
}

// planMemory checks a run against its --memory-limit (limit > 0) before it
// reads input: it returns errMemoryLimit when the estimate says the run
// cannot stay within it, and a spill when the table's codes should go to
// memory-mapped files, saying so on stderr.
func planMemory(env *cliEnv, limit int64, input string, cfg anonymizer.Config, delim rune) (*anonymizer.Spill, error) {
	if limit <= 0 {
		return nil, nil
	}
	est, ok := estimateRun(input, cfg, delim)
	if !ok {
		return nil, nil
	}
	if err := est.check(limit, input); err != nil {
		return nil, err
	}
	if !est.spills(limit) {
		return nil, nil
	}
	s := anonymizer.NewSpill("")
	fmt.Fprintf(env.stderr, "anonymize: --memory-limit %s: about %d rows (estimated from the file's size): their codes (about %s) spill to memory-mapped files in %s\n",
		formatBytes(limit), est.rows, formatBytes(est.codes), s.Dir())
	return s, nil
}

// runSpill is a table's spill and the goroutine that trims it.
type runSpill struct {
	s    *anonymizer.Spill
	done chan struct{}
}

// spillTrimEvery is how often a spilled run gives its codes' pages back.
const spillTrimEvery = 100 * time.Millisecond

// spillTable moves t's codes to s (planned before the read), or to a new
// spill when the table read holds more than half the limit though no
// estimate foresaw it (formats other than CSV); nil when neither. While the
// run lasts the pages are trimmed every spillTrimEvery.
func spillTable(env *cliEnv, s *anonymizer.Spill, t *anonymizer.Table, limit int64) (*runSpill, error) {
	if s == nil {
		if live := liveHeap(); 2*live <= limit {
			return nil, nil
		}
		s = anonymizer.NewSpill("")
		fmt.Fprintf(env.stderr, "anonymize: --memory-limit %s: the table read holds more than half of it: its codes spill to memory-mapped files in %s\n",
			formatBytes(limit), s.Dir())
	}
	if err := s.Table(t); err != nil {
		s.Close()
		return nil, fmt.Errorf("anonymize: --memory-limit %s: %w", formatBytes(limit), err)
	}
	rs := &runSpill{s: s, done: make(chan struct{})}
	go func() {
		tick := time.NewTicker(spillTrimEvery)
		defer tick.Stop()
		for {
			select {
			case <-rs.done:
				return
			case <-tick.C:
				s.Trim()
			}
		}
	}()
	return rs, nil
}

// close stops the trimming and unmaps the spill (after the release is
// written). A nil runSpill does nothing.
func (rs *runSpill) close() {
	if rs == nil {
		return
	}
	close(rs.done)
	rs.s.Close()
}
