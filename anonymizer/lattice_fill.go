package anonymizer

// fillLookup generalizes one quasi-identifier's code through a table.
type fillLookup struct {
	from, to uint
	mask     uint64
	table    []int32
}

// fillMove copies one quasi-identifier's code to another place.
type fillMove struct {
	from, to uint
	mask     uint64
}

// fillPlan is a rekey split by source word, for the fill loops: the
// lookups and moves reading word 0 of a source key, then word 1.
type fillPlan struct {
	keep    uint64
	lookups [2][]fillLookup
	moves   [2][]fillMove
}

func (r *rekey) plan() *fillPlan {
	p := &fillPlan{keep: r.keep}
	for _, ch := range r.changes {
		w := ch.from.word
		if ch.to != nil {
			p.lookups[w] = append(p.lookups[w], fillLookup{ch.from.shift, ch.shift, ch.from.mask, ch.to})
		} else {
			p.moves[w] = append(p.moves[w], fillMove{ch.from.shift, ch.shift, ch.from.mask})
		}
	}
	return p
}

// fill1 is fillKeys for one-word source keys: the quasi-identifiers whose
// code is looked up, then those whose code only moves, each a short loop
// without the per-class slice of key1.
func (p *fillPlan) fill1(src, keys []uint64) {
	lookups, moves := p.lookups[0], p.moves[0]
	keep := p.keep
	keys = keys[:len(src)]
	for c, sk := range src {
		k := sk & keep
		for i := range lookups {
			l := &lookups[i]
			k |= uint64(l.table[(sk>>l.from)&l.mask]) << l.to
		}
		for i := range moves {
			m := &moves[i]
			k |= ((sk >> m.from) & m.mask) << m.to
		}
		keys[c] = k
	}
}

// fill2 is fill1 for two-word source keys (the original data's, when its
// codes take more than 64 bits) and one-word result keys: the loops of
// each source word apart, so that no change looks its word up.
func (p *fillPlan) fill2(src, keys []uint64) {
	l0, l1, m0, m1 := p.lookups[0], p.lookups[1], p.moves[0], p.moves[1]
	src = src[:2*len(keys)]
	for c := range keys {
		a, b := src[2*c], src[2*c+1]
		var k uint64
		for i := range l0 {
			l := &l0[i]
			k |= uint64(l.table[(a>>l.from)&l.mask]) << l.to
		}
		for i := range l1 {
			l := &l1[i]
			k |= uint64(l.table[(b>>l.from)&l.mask]) << l.to
		}
		for i := range m0 {
			m := &m0[i]
			k |= ((a >> m.from) & m.mask) << m.to
		}
		for i := range m1 {
			m := &m1[i]
			k |= ((b >> m.from) & m.mask) << m.to
		}
		keys[c] = k
	}
}

// key1 is the one-word result key of a class whose source key is sk.
func (r *rekey) key1(sk []uint64) uint64 {
	k := sk[0] & r.keep
	for _, ch := range r.changes {
		v := (sk[ch.from.word] >> ch.from.shift) & ch.from.mask
		if ch.to != nil {
			k |= uint64(ch.to[v]) << ch.shift
		} else {
			k |= v << ch.shift
		}
	}
	return k
}

// fillKeys computes the one-word result keys of src's classes first,
// first+1, … into keys.
func fillKeys(r *rekey, src *freqSet, keys []uint64, first int) {
	switch sw := src.lay.words; sw {
	case 1:
		r.plan().fill1(src.keys[first:first+len(keys)], keys)
	case 2:
		r.plan().fill2(src.keys[2*first:2*(first+len(keys))], keys)
	default:
		for j := range keys {
			c := first + j
			keys[j] = r.key1(src.keys[c*sw : c*sw+sw])
		}
	}
}
