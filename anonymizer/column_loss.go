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
	// released ones whose every level's label is "*"
	allStar := make([]bool, rel.Rows())
	starRows := 0
	if !cfg.DropSuppressed {
		for r := range allStar {
			all := true
			for _, c := range cols {
				if c.Dict[c.Codes[r]] != Suppressed {
					all = false
					break
				}
			}
			allStar[r] = all
			if all {
				starRows++
			}
		}
	}
	n := float64(res.RowsIn)
	sup := float64(res.Suppressed)
	out := make(map[string]float64, len(cols))
	for i, q := range cfg.QuasiIdentifiers {
		c := cols[i]
		level := res.Transformation[q]
		cover, hsize := labelCover(cfg.Hierarchies[q], c, level)
		var sum float64
		for r, code := range c.Codes {
			if !allStar[r] {
				sum += float64(cover[c.Dict[code]])
			}
		}
		// the suppressed records cover the whole hierarchy; the other
		// all-"*" records cover what "*" covers at the column's level
		sum += sup*float64(hsize) + float64(max(0, starRows-res.Suppressed))*float64(cover[Suppressed])
		if cfg.DropSuppressed {
			sum = 0
			for _, code := range c.Codes {
				sum += float64(cover[c.Dict[code]])
			}
			sum += sup * float64(hsize)
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
