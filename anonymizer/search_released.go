package anonymizer

// With Config.DropSuppressed the suppressed records are not in the release,
// so the distribution a buyer can measure t-closeness against is that of
// the records released, not the whole input table's (issue 14 item 7;
// Tianjin Art. 29: the certificate's t must be the one the released file
// shows). The released records depend on which classes are suppressed, and
// which classes fail t-closeness depends on that reference, so a node is
// evaluated to a fixed point: first the classes failing every model but
// t-closeness are suppressed; then, repeatedly, the reference is taken over
// the records still released and the classes farther than t from it are
// suppressed, until no class is added or the suppression limit is passed.
// Suppression only grows, so this ends; at the end every released class is
// within t of the released records' distribution.

// evaluateReleased is evaluate for a release without its suppressed
// records (s.dropRef, t-closeness required, sensitive histograms present).
// It always counts every class.
func (s *searcher) evaluateReleased(f *freqSet) *node {
	s.checked++
	n := &node{levels: f.levels, fs: f}
	out := make([]bool, len(f.counts))
	s.ck.noT = true
	for c, cnt := range f.counts {
		keys, cnts := f.hist.class(c)
		if !s.ck.ok(cnt, keys, cnts) {
			out[c] = true
			n.suppressed += int64(cnt)
		}
	}
	s.ck.noT = false
	for n.suppressed <= s.maxOut && s.ck.setReleasedReference(f, out) {
		added := false
		for c, cnt := range f.counts {
			if out[c] {
				continue
			}
			keys, cnts := f.hist.class(c)
			if !s.ck.ok(cnt, keys, cnts) {
				out[c], added = true, true
				n.suppressed += int64(cnt)
			}
		}
		if !added {
			break
		}
	}
	s.ck.ref = nil
	for c, o := range out {
		if o {
			n.outliers = append(n.outliers, int32(c))
		}
	}
	n.feasible = n.suppressed <= s.maxOut
	if n.feasible {
		n.score = s.sc.score(s.metric, f, n.outliers, n.suppressed)
	}
	return n
}

// setReleasedReference sets ck.ref to each sensitive attribute's
// distribution over the classes of f not marked out. It reports false when
// no record is released (nothing left to compare).
func (ck *checker) setReleasedReference(f *freqSet, out []bool) bool {
	if ck.refBuf == nil {
		ck.refBuf = make([][]float64, len(ck.sens))
		for a, s := range ck.sens {
			ck.refBuf[a] = make([]float64, s.m)
		}
	}
	ck.ref = ck.refBuf
	for _, q := range ck.ref {
		clear(q)
	}
	var total int64
	for c, cnt := range f.counts {
		if out[c] {
			continue
		}
		total += int64(cnt)
		keys, cnts := f.hist.class(c)
		a := 0
		for i, k := range keys {
			for int(k) >= ck.sens[a].off+ck.sens[a].m {
				a++
			}
			ck.ref[a][int(k)-ck.sens[a].off] += float64(cnts[i])
		}
	}
	if total == 0 {
		ck.ref = nil
		return false
	}
	for a, q := range ck.ref {
		for i := range q {
			q[i] /= float64(total)
		}
		switch s := ck.sens[a]; s.dist {
		case THierarchical:
			if ck.refMass == nil {
				ck.refMass = make([][][]float64, len(ck.sens))
			}
			if ck.refMass[a] == nil {
				ck.refMass[a] = hierMass(s.hdim, q)
			} else {
				setHierMass(s.hdim, q, ck.refMass[a])
			}
		case TOrdered:
			if ck.refSums == nil {
				ck.refSums = make([]*rankSums, len(ck.sens))
			}
			if ck.refSums[a] == nil {
				ck.refSums[a] = newRankSums(s.byRank, q)
			} else {
				ck.refSums[a].set(s.byRank, q)
			}
		}
	}
	return true
}
