package anonymizer

import "sync"

// parquetSchedule runs the two kinds of work of a Parquet read on a few
// goroutines: decode(g, k), the chunk of column k in row group g, any
// time; merge(g, k), that chunk into its column, once it is decoded and
// merge(g-1, k) is done. A goroutine takes a ready merge first (the oldest
// row group first), else the next decode in file order, as long as it
// lies within window row groups of the oldest one not merged: the decoded
// chunks in memory stay bounded. No goroutine waits on a barrier while
// there is work: a column of identifiers, slow to intern, runs beside the
// decoding of the next row groups and the other columns' merges.
type parquetSchedule struct {
	groups, columns, window int
	decode                  func(spare *chunkPart, g, k int) (*chunkPart, error)
	merge                   func(part *chunkPart, g, k int) error
	// groupDone is called, in order and one at a time, once every column
	// of row group g is merged.
	groupDone func(g int)

	mu     sync.Mutex
	cond   sync.Cond
	parts  [][]*chunkPart // [g][k]: decoded, not merged
	merged []int          // per column, the row groups merged
	busy   []bool         // per column, a merge running
	next   int            // the next decode, g*columns+k
	oldest int            // the oldest row group not merged in every column
	spare  []*chunkPart   // merged parts, for their buffers
	err    error
	errAt  int // the task of err, g*columns+k, for the first in file order
}

// run does all the work on procs goroutines and returns the error of the
// failed task first in file order (a panic of the decoder on a damaged
// file is the error of an unreadable file name).
func (s *parquetSchedule) run(procs int, name string) error {
	if s.groups == 0 || s.columns == 0 {
		for g := range s.groups {
			s.groupDone(g)
		}
		return nil
	}
	s.cond.L = &s.mu
	s.parts = make([][]*chunkPart, s.groups)
	s.merged = make([]int, s.columns)
	s.busy = make([]bool, s.columns)
	var wg sync.WaitGroup
	for range max(procs, 1) {
		wg.Go(func() { s.work(name) })
	}
	wg.Wait()
	return s.err
}

// fail records the error of task at (the first in file order wins).
func (s *parquetSchedule) fail(at int, err error) {
	if s.err == nil || at < s.errAt {
		s.err, s.errAt = err, at
	}
	s.cond.Broadcast()
}

// work takes ready tasks until none is left or one failed.
func (s *parquetSchedule) work(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for s.err == nil && s.oldest < s.groups {
		if k := s.readyMerge(); k >= 0 {
			g := s.merged[k]
			part := s.parts[g][k]
			s.busy[k] = true
			s.mu.Unlock()
			err := s.guard(name, func() error { return s.merge(part, g, k) })
			s.mu.Lock()
			s.busy[k] = false
			if err != nil {
				s.fail(g*s.columns+k, err)
				return
			}
			s.parts[g][k] = nil
			s.spare = append(s.spare, part)
			s.merged[k]++
			s.advance()
			s.cond.Broadcast()
			continue
		}
		if s.next < s.groups*s.columns && s.next/s.columns < s.oldest+s.window {
			at := s.next
			g, k := at/s.columns, at%s.columns
			s.next++
			if s.parts[g] == nil {
				s.parts[g] = make([]*chunkPart, s.columns)
			}
			var spare *chunkPart
			if n := len(s.spare); n > 0 {
				spare, s.spare = s.spare[n-1], s.spare[:n-1]
			}
			s.mu.Unlock()
			var part *chunkPart
			err := s.guard(name, func() (err error) {
				part, err = s.decode(spare, g, k)
				return err
			})
			s.mu.Lock()
			if err != nil {
				s.fail(at, err)
				return
			}
			s.parts[g][k] = part
			s.cond.Broadcast()
			continue
		}
		s.cond.Wait()
	}
}

// readyMerge is the column whose next chunk can be merged, the one
// furthest behind first; -1: none.
func (s *parquetSchedule) readyMerge() int {
	best := -1
	for k, g := range s.merged {
		if g < s.groups && !s.busy[k] && s.parts[g] != nil && s.parts[g][k] != nil &&
			(best < 0 || g < s.merged[best]) {
			best = k
		}
	}
	return best
}

// advance moves oldest past the row groups every column has merged,
// reporting each.
func (s *parquetSchedule) advance() {
	for s.oldest < s.groups {
		for _, g := range s.merged {
			if g <= s.oldest {
				return
			}
		}
		s.parts[s.oldest] = nil
		s.groupDone(s.oldest)
		s.oldest++
	}
}

// guard runs task, turning a panic into the error of an unreadable file.
func (s *parquetSchedule) guard(name string, task func() error) (err error) {
	defer recoverParquet(name, &err)
	return task()
}
