package anonymizer

import (
	"fmt"
	"math"
	"math/bits"
)

// dim is one quasi-identifier (or a sensitive attribute with a hierarchy)
// encoded for the search: every level of its hierarchy is dictionary-coded
// over the values that occur in the data, so generalizing a record is a
// table lookup and rolling a class up one level is another.
type dim struct {
	name   string
	col    int
	hier   *Hierarchy
	height int
	hsize  int64
	gen    [][]int32   // gen[level][data code] → level code
	up     [][]int32   // up[level][level code] → code at level+1
	upTo   [][][]int32 // upTo[a][b][level-a code] → code at level b > a
	labels [][]string  // labels[level][level code]
	hcount [][]int64   // hierarchy rows whose level entry is this label
	freq   [][]int64   // records whose value generalizes to this label
	// packing of the level-0 code into a class key
	word  int
	shift uint
	mask  uint64
}

// encodeDim encodes column col of t with hierarchy h. It returns an error
// naming the file, line and column of the first value missing from h, or a
// hierarchy whose level does not determine the next one.
func encodeDim(t *Table, col int, h *Hierarchy) (*dim, error) {
	c := t.Columns[col]
	d := &dim{name: c.Name, col: col, hier: h, height: h.Height(), hsize: int64(h.Size())}
	rowOf := make([]int, len(c.Dict))
	for code, v := range c.Dict {
		i, ok := h.index[v]
		if !ok {
			return nil, fmt.Errorf("%s: line %d: column %q: value %q is missing from hierarchy %s",
				t.Source, t.Line(firstRow(c, int32(code))), c.Name, v, h.Source)
		}
		rowOf[code] = i
	}
	levels := d.height + 1
	d.gen = make([][]int32, levels)
	d.labels = make([][]string, levels)
	d.hcount = make([][]int64, levels)
	d.freq = make([][]int64, levels)
	counts := make([]int64, len(c.Dict))
	for _, code := range c.Codes {
		counts[code]++
	}
	// Level 0 is numbered through a map of the values; each higher level
	// from the one below it (a level's value determines the next), the map
	// of its labels consulted once per value of the level below rather
	// than once per data value, in the same first-occurrence order.
	rowCode := make([]int32, len(h.rows)) // hierarchy row → data code + 1 (0: not in the data)
	for code, row := range rowOf {
		rowCode[row] = int32(code) + 1
	}
	d.up = make([][]int32, d.height)
	for l := 0; l < levels; l++ {
		idx := make(map[string]int32)
		d.gen[l] = make([]int32, len(c.Dict))
		if l == 0 {
			for code, row := range rowOf {
				lab := h.rows[row][0]
				g, ok := idx[lab]
				if !ok {
					g = int32(len(d.labels[0]))
					idx[lab] = g
					d.labels[0] = append(d.labels[0], lab)
				}
				d.gen[0][code] = g
			}
		} else {
			up := make([]int32, len(d.labels[l-1]))
			for i := range up {
				up[i] = -1
			}
			for code, row := range rowOf {
				g := d.gen[l-1][code]
				lab := h.rows[row][l]
				if q := up[g]; q >= 0 {
					if d.labels[l][q] != lab {
						return nil, fmt.Errorf("%s: column %q: level %d value %q generalizes to both %q and %q at level %d",
							h.Source, c.Name, l-1, d.labels[l-1][g], d.labels[l][q], lab, l)
					}
					d.gen[l][code] = q
					continue
				}
				p, ok := idx[lab]
				if !ok {
					p = int32(len(d.labels[l]))
					idx[lab] = p
					d.labels[l] = append(d.labels[l], lab)
				}
				up[g] = p
				d.gen[l][code] = p
			}
			d.up[l-1] = up
		}
		d.hcount[l] = make([]int64, len(d.labels[l]))
		for i, r := range h.rows {
			if code := rowCode[i]; code > 0 {
				d.hcount[l][d.gen[l][code-1]]++
			} else if g, ok := idx[r[l]]; ok {
				d.hcount[l][g]++
			}
		}
		d.freq[l] = make([]int64, len(d.labels[l]))
		for code, n := range counts {
			d.freq[l][d.gen[l][code]] += n
		}
	}
	d.upTo = make([][][]int32, levels)
	for a := 0; a < levels; a++ {
		d.upTo[a] = make([][]int32, levels)
		for b := a + 1; b < levels; b++ {
			if b == a+1 {
				d.upTo[a][b] = d.up[a]
			} else {
				d.upTo[a][b] = composeUp(d, a, b)
			}
		}
	}
	return d, nil
}

func firstRow(c *Column, code int32) int {
	for r, x := range c.Codes {
		if x == code {
			return r
		}
	}
	return 0
}

// lattice is the set of full-domain generalizations: one level per
// quasi-identifier, 0..height. Nodes are numbered in mixed radix.
type lattice struct {
	dims   []*dim
	radix  []int
	size   float64 // number of nodes (float: may exceed int64 for many QIs)
	words  int     // uint64 words per class key of the original data
	maxSum int
	bottom *layout // packing of the original data's keys
}

func newLattice(dims []*dim) *lattice {
	lt := &lattice{dims: dims, size: 1}
	var word int
	var used uint
	for _, d := range dims {
		lt.radix = append(lt.radix, d.height+1)
		lt.size *= float64(d.height + 1)
		lt.maxSum += d.height
		n := uint(bits.Len(uint(len(d.labels[0]))))
		if n == 0 {
			n = 1
		}
		if used+n > 64 {
			word++
			used = 0
		}
		d.word, d.shift, d.mask = word, used, (uint64(1)<<n)-1
		used += n
	}
	lt.words = word + 1
	lt.bottom = &layout{words: lt.words, pos: make([]keyPos, len(dims))}
	for i, d := range dims {
		lt.bottom.pos[i] = keyPos{d.word, d.shift, d.mask}
	}
	return lt
}

// keyPos places one quasi-identifier's code in a packed class key.
type keyPos struct {
	word  int
	shift uint
	mask  uint64
}

// layout is the packing of the class keys of one node: the codes of a
// general node need fewer bits, so its keys often fit one word where the
// original data's need two.
type layout struct {
	words int
	pos   []keyPos
}

// bottomLayout is the packing of the original data's keys.
func (lt *lattice) bottomLayout() *layout { return lt.bottom }

// layoutFor is the packing of the keys of node levels: the original data's
// unless a narrower one (each quasi-identifier taking the bits of its
// largest code at its level) needs fewer words. Sharing one packing lets a
// roll-up copy the codes that keep their level by a mask.
func (lt *lattice) layoutFor(levels []int) *layout {
	if lay := lt.narrowLayout(levels); lay.words < lt.words {
		return lay
	}
	return lt.bottomLayout()
}

// narrowLayout packs the codes of node levels in as few bits as they need;
// a code never straddles words.
func (lt *lattice) narrowLayout(levels []int) *layout {
	lay := &layout{pos: make([]keyPos, len(lt.dims))}
	var word int
	var used uint
	for i, d := range lt.dims {
		var n uint
		if c := len(d.labels[levels[i]]); c > 1 {
			n = uint(bits.Len(uint(c - 1)))
		}
		if used+n > 64 {
			word++
			used = 0
		}
		lay.pos[i] = keyPos{word, used, (uint64(1) << n) - 1}
		used += n
	}
	lay.words = word + 1
	return lay
}

// classesAt bounds the classes of node levels: the product of the numbers
// of values of each quasi-identifier at its level (capped at MaxInt32).
func (lt *lattice) classesAt(levels []int) int {
	p := 1
	for i, d := range lt.dims {
		p *= len(d.labels[levels[i]])
		if p > math.MaxInt32 {
			return math.MaxInt32
		}
	}
	return p
}

// id numbers a node (valid when size fits an int).
func (lt *lattice) id(levels []int) int {
	id := 0
	for i, l := range levels {
		id = id*lt.radix[i] + l
	}
	return id
}

// levelsOf is the inverse of id.
func (lt *lattice) levelsOf(id int, out []int) []int {
	out = out[:len(lt.radix)]
	for i := len(lt.radix) - 1; i >= 0; i-- {
		out[i] = id % lt.radix[i]
		id /= lt.radix[i]
	}
	return out
}

func levelSum(levels []int) int {
	s := 0
	for _, l := range levels {
		s += l
	}
	return s
}

// lessLevels orders nodes for ties: lower total level, then lexicographically.
func lessLevels(a, b []int) bool {
	if sa, sb := levelSum(a), levelSum(b); sa != sb {
		return sa < sb
	}
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
