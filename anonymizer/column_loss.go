package anonymizer

import "math"

// columnLoss is ARX's Loss of each quasi-identifier of a full-domain
// release (Report.ColumnLoss): for column d with hierarchy H_d, the mean
// over the input records of (rows of H_d the released value covers − 1) /
// (|H_d| − 1), a suppressed record covering every row; the report's
// metrics.loss is their geometric aggregate Π(loss_d + 1)^(1/D) − 1. It is
// measured on the release itself, so it is what a buyer gets. It returns
// nil for a Mondrian release (local recoding has no level per column).
func columnLoss(res *Result, cfg Config) map[string]float64 {
	if res == nil || res.Table == nil || cfg.Algorithm == AlgorithmMondrian || len(cfg.QuasiIdentifiers) == 0 {
		return nil
	}
	rel := res.Table
	cols := make([]*Column, len(cfg.QuasiIdentifiers))
	for i, q := range cfg.QuasiIdentifiers {
		if cols[i] = rel.Column(q); cols[i] == nil || cols[i].Skipped() {
			return nil
		}
	}
	// records whose every quasi-identifier is "*": the suppressed ones
	// (res.Suppressed of them, when they are released) and possibly
	// released ones whose every level's label is "*". Each column's cover
	// is looked up by code (a table per column, not a map per row), and
	// the rows are summed in blocks on all cores; the sums are integers,
	// so their order does not change them.
	n := float64(res.RowsIn)
	sup := float64(res.Suppressed)
	covers := make([][]int64, len(cols))
	stars := make([][]bool, len(cols))
	starCover := make([]int, len(cols))
	hsizes := make([]int, len(cols))
	for i, q := range cfg.QuasiIdentifiers {
		c := cols[i]
		cover, hsize := labelCover(cfg.Hierarchies[q], c, res.Transformation[q])
		covers[i], stars[i] = make([]int64, len(c.Dict)), make([]bool, len(c.Dict))
		for code, v := range c.Dict {
			covers[i][code], stars[i][code] = int64(cover[v]), v == Suppressed
		}
		starCover[i], hsizes[i] = cover[Suppressed], hsize
	}
	rows := rel.Rows()
	blocks := (rows + releaseBlock - 1) / releaseBlock
	sums := make([][]int64, blocks) // per block: each column's sum, then the all-"*" rows
	parallelRows(workersFor(rel), rows, func(lo, hi int) {
		sum := make([]int64, len(cols)+1)
		for r := lo; r < hi; r++ {
			if !cfg.DropSuppressed {
				all := true
				for i, c := range cols {
					if !stars[i][c.Codes[r]] {
						all = false
						break
					}
				}
				if all {
					sum[len(cols)]++
					continue
				}
			}
			for i, c := range cols {
				sum[i] += covers[i][c.Codes[r]]
			}
		}
		sums[lo/releaseBlock] = sum
	})
	total := make([]int64, len(cols)+1)
	for _, b := range sums {
		for i, v := range b {
			total[i] += v
		}
	}
	starRows := int(total[len(cols)])
	out := make(map[string]float64, len(cols))
	for i, q := range cfg.QuasiIdentifiers {
		hsize := hsizes[i]
		sum := float64(total[i])
		if cfg.DropSuppressed {
			sum += sup * float64(hsize)
		} else {
			// the suppressed records cover the whole hierarchy; the other
			// all-"*" records cover what "*" covers at the column's level
			sum += sup*float64(hsize) + float64(max(0, starRows-res.Suppressed))*float64(starCover[i])
		}
		var l float64
		if hsize > 1 && n > 0 {
			l = math.Max(0, (sum-n)/(n*float64(hsize-1)))
		}
		out[q] = l
	}
	return out
}

// labelCover counts the rows of h whose entry at level is each label, and
// returns h's size. Without a hierarchy (every value straight to "*"), the
// released column's distinct values other than "*" stand for its rows.
func labelCover(h *Hierarchy, c *Column, level int) (map[string]int, int) {
	cover := map[string]int{}
	if h == nil {
		size := 0
		for _, v := range c.Dict {
			if v != Suppressed {
				cover[v] = 1
				size++
			}
		}
		if level > 0 {
			cover[Suppressed] = size
		}
		return cover, size
	}
	if level < 0 || level > h.Height() {
		return cover, h.Size()
	}
	for _, r := range h.rows {
		cover[r[level]]++
	}
	return cover, h.Size()
}
