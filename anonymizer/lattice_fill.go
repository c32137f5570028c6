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
	if len(p.lookups[0]) <= 6 && len(p.moves[0]) <= 4 {
		p.fill1Unrolled(src, keys)
		return
	}
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

// noLookup pads fill1Unrolled's lookups: mask 0 reads its only entry, 0.
var noLookup = []int32{0}

// fill1Unrolled is fill1 for at most six lookups and four moves, written
// out with every table, shift and mask in a local (the loops over the
// plan's slices reload them for each class): the missing ones are padded
// with changes that add nothing (mask 0). Shift counts are masked to 63,
// which they are below, so that the compiler emits plain shifts (Go
// defines larger counts, and checks for them otherwise). About half the
// time of the loops on 10 M classes with six lookups and two moves.
func (p *fillPlan) fill1Unrolled(src, keys []uint64) {
	var t [6][]int32
	var lf, lt [6]uint
	var lm [6]uint64
	for i := range t {
		t[i] = noLookup
	}
	for i, l := range p.lookups[0] {
		t[i], lf[i], lt[i], lm[i] = l.table, l.from&63, l.to&63, l.mask
	}
	var mf, mt [4]uint
	var mm [4]uint64
	for i, m := range p.moves[0] {
		mf[i], mt[i], mm[i] = m.from&63, m.to&63, m.mask
	}
	t0, t1, t2, t3, t4, t5 := t[0], t[1], t[2], t[3], t[4], t[5]
	keep := p.keep
	keys = keys[:len(src)]
	for c, sk := range src {
		k := (sk & keep) |
			uint64(t0[(sk>>(lf[0]&63))&lm[0]])<<(lt[0]&63) |
			uint64(t1[(sk>>(lf[1]&63))&lm[1]])<<(lt[1]&63) |
			uint64(t2[(sk>>(lf[2]&63))&lm[2]])<<(lt[2]&63) |
			uint64(t3[(sk>>(lf[3]&63))&lm[3]])<<(lt[3]&63) |
			uint64(t4[(sk>>(lf[4]&63))&lm[4]])<<(lt[4]&63) |
			uint64(t5[(sk>>(lf[5]&63))&lm[5]])<<(lt[5]&63) |
			((sk>>(mf[0]&63))&mm[0])<<(mt[0]&63) |
			((sk>>(mf[1]&63))&mm[1])<<(mt[1]&63) |
			((sk>>(mf[2]&63))&mm[2])<<(mt[2]&63) |
			((sk>>(mf[3]&63))&mm[3])<<(mt[3]&63)
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
			k |= uint64(l.table[(a>>(l.from&63))&l.mask]) << (l.to & 63)
		}
		for i := range l1 {
			l := &l1[i]
			k |= uint64(l.table[(b>>(l.from&63))&l.mask]) << (l.to & 63)
		}
		for i := range m0 {
			m := &m0[i]
			k |= ((a >> (m.from & 63)) & m.mask) << (m.to & 63)
		}
		for i := range m1 {
			m := &m1[i]
			k |= ((b >> (m.from & 63)) & m.mask) << (m.to & 63)
		}
		keys[c] = k
	}
}

// key1 is the one-word result key of a class whose source key is sk.
func (r *rekey) key1(sk []uint64) uint64 {
	k := sk[0] & r.keep
	for _, ch := range r.changes {
		v := (sk[ch.from.word] >> (ch.from.shift & 63)) & ch.from.mask
		if ch.to != nil {
			k |= uint64(ch.to[v]) << (ch.shift & 63)
		} else {
			k |= v << (ch.shift & 63)
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
