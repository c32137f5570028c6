package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/shujiao/shujiao/anonymizer"
)

// Bytes a row costs in memory, measured on `shujiao gen` tables (bench/
// RESULTS.md, section t19c): they make the estimate a run is checked
// against before it reads its input, so that a --memory-limit the run
// cannot keep stops it at once rather than after it has taken the memory.
const (
	// codeBytes: one int32 code per row in each kept column; the release
	// has as many again.
	codeBytes = 4
	// lineBytes: the source line of each row, held while the file is read.
	lineBytes = 8
	// rowBytes: each row's class in the search's finest node and its
	// suppression flag in the release.
	rowBytes = 5
	// classBytes: each class of the finest node (its key, count, slot in
	// the hash table and the search's copies), measured at 88 bytes a row
	// on 1 M near-unique rows; the estimate takes the share of distinct
	// quasi-identifier tuples in its sample as the share of classes.
	classBytes = 88
	// idBytes: a distinct identifier held in a dictionary costs its bytes,
	// a string header and a slot in the index that interns it;
	// pseudonymBytes: its pseudonym (64 hex digits and a header).
	idBytes        = 16 + 24
	pseudonymBytes = 80
	// estimateSample is how much of the input the estimate reads.
	estimateSample = 1 << 20
)

// runEstimate is what a run over a text table will need, estimated from
// the file's size and its first lines before it is read.
type runEstimate struct {
	rows int64
	size int64
	// codes: the dictionary codes of the table and the release; ids: the
	// identifiers to pseudonymize and their pseudonyms. A spill moves both
	// to memory-mapped files.
	codes, ids int64
	// read: what reading needs on the heap besides ids (the codes grow
	// there before they spill, and the line numbers); search: what the
	// search needs that no spill moves.
	read, search int64
	// text: the sample is UTF-8 (Spill.Column can stream the file again)
	text bool
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
	est, ok := estimateFromSample(sample, st.Size(), cfg, delim)
	est.text = utf8.Valid(sample)
	return est, ok
}

// estimateFromSample is estimateRun over the first whole lines of a file
// of size bytes.
func estimateFromSample(sample []byte, size int64, cfg anonymizer.Config, delim rune) (runEstimate, bool) {
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = delim, true, -1
	header, err := r.Read()
	if err != nil {
		return runEstimate{}, false
	}
	headerBytes := r.InputOffset()
	var ids, qis []int
	kept := 0
	for i, h := range header {
		h = strings.TrimFunc(h, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' }) // as the reader names columns
		switch {
		case slices.Contains(cfg.Drop, h):
			continue
		case slices.Contains(cfg.Pseudonymize, h):
			ids = append(ids, i)
			continue
		case slices.Contains(cfg.QuasiIdentifiers, h):
			qis = append(qis, i)
		}
		kept++
	}
	var lines, idValueBytes float64
	distinctIDs := make([]map[string]bool, len(ids))
	for i := range distinctIDs {
		distinctIDs[i] = map[string]bool{}
	}
	tuples := map[string]bool{}
	var key []byte
	for {
		rec, err := r.Read()
		if err != nil {
			break
		}
		lines++
		for j, i := range ids {
			if i < len(rec) {
				distinctIDs[j][rec[i]] = true
				idValueBytes += float64(len(rec[i]))
			}
		}
		key = key[:0]
		for _, i := range qis {
			if i < len(rec) {
				key = append(append(key, rec[i]...), 0)
			}
		}
		tuples[string(key)] = true
	}
	if lines == 0 {
		return runEstimate{}, false
	}
	rows := max(float64(size-headerBytes)/(float64(r.InputOffset()-headerBytes)/lines), lines)
	// identifiers are near-unique: the share distinct in the sample holds
	// for every row alike
	var perRowIDs float64
	for _, d := range distinctIDs {
		perRowIDs += float64(len(d)) / lines * (idBytes + pseudonymBytes)
	}
	perRowIDs += idValueBytes / lines
	classes := float64(len(tuples)) / lines
	return runEstimate{
		rows:   int64(rows),
		size:   size,
		codes:  int64(rows * float64((kept+len(ids))*2*codeBytes)),
		ids:    int64(rows * perRowIDs),
		read:   int64(rows * float64(kept*codeBytes+lineBytes)),
		search: int64(rows * (rowBytes + classes*classBytes)),
	}, true
}

// check returns an error naming the limit when the read alone (the codes
// grow on the heap until the table is read) is over limit, before
// anything is read.
func (e runEstimate) check(limit int64, input string) error {
	if limit <= 0 || e.read <= limit {
		return nil
	}
	return fmt.Errorf("anonymize: --memory-limit %s: %s holds about %d rows (estimated from its size, %s, and its first lines); reading them needs at least %s (their codes and line numbers); %w: raise the limit or set it to off",
		formatBytes(limit), input, e.rows, formatBytes(e.size), formatBytes(e.read), errMemoryLimit)
}

// spills reports whether the run should keep its codes and identifiers in
// memory-mapped files: all it holds would pass half the limit (the search
// and the collector need the other half).
func (e runEstimate) spills(limit int64) bool {
	return limit > 0 && 2*(e.codes+e.ids+e.search) > limit
}

// planMemory checks a run against its --memory-limit (limit > 0) before it
// reads input: it returns errMemoryLimit when the estimate says the run
// cannot stay within it, and a spill when the table's codes should go to
// memory-mapped files, saying so on stderr, with whether the identifiers
// to pseudonymize can be streamed into it (a UTF-8 file).
func planMemory(env *cliEnv, limit int64, input string, cfg anonymizer.Config, delim rune) (*anonymizer.Spill, bool, error) {
	if limit <= 0 {
		return nil, false, nil
	}
	est, ok := estimateRun(input, cfg, delim)
	if !ok {
		return nil, false, nil
	}
	if err := est.check(limit, input); err != nil {
		return nil, false, err
	}
	if !est.spills(limit) {
		return nil, false, nil
	}
	s := anonymizer.NewSpill("")
	fmt.Fprintf(env.stderr, "anonymize: --memory-limit %s: about %d rows (estimated from the file's size): their codes and identifiers (about %s) spill to memory-mapped files in %s\n",
		formatBytes(limit), est.rows, formatBytes(est.codes+est.ids), s.Dir())
	if est.search > limit/2 {
		fmt.Fprintf(env.stderr, "anonymize: --memory-limit %s: the search may need about %s for these rows (from the share of distinct quasi-identifier tuples in the first lines); the run stops if it passes the limit\n",
			formatBytes(limit), formatBytes(est.search))
	}
	return s, est.text, nil
}

// runSpill is a table's spill and the goroutine that trims it.
type runSpill struct {
	s    *anonymizer.Spill
	done chan struct{}
}

// spillTrimEvery is how often a spilled run gives its codes' pages back;
// 1/spillShare of the limit is left to the pages touched in between and
// to what the heap's limit does not count (stacks, the runtime, pages
// backed whole as huge pages). With an eighth, 50 M rows under 4GiB
// peaked at 4.20–4.37 GiB of RSS; with a quarter at 3.86 GiB, no slower
// (bench/RESULTS.md).
const (
	spillTrimEvery = 100 * time.Millisecond
	spillShare     = 4
)

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
	// The spill's resident pages count in the process's memory until they
	// are trimmed: the heap's soft limit leaves them a quarter of the limit.
	debug.SetMemoryLimit(limit - limit/spillShare)
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
