package anonymizer

import "math"

// checkCloseness measures t-closeness on the release file as a buyer can:
// for every sensitive column, the earth mover's distance between each
// released class's values and the distribution over every record of the
// release (Tianjin Art. 29, issue 14 item 7). The reference is what is
// actually released: with --drop-suppressed the dropped records are not in
// the file and count for nothing; without it the suppressed records are in
// the file with their sensitive values and count in the reference (the
// anonymizer's reference is then the whole input table, the same values).
// The ground distance is the anonymizer's default: hierarchical when a
// hierarchy for the column is given, ordered for numbers, else equal. The
// largest distance is reported in res.TCloseness; a class farther than the
// policy's t fails check homogeneity (attribute disclosure).
func checkCloseness(res *GateResult, raw, release *Table, sensitive []int, rc *releaseClasses, opt GateOptions) {
	t := opt.Policy.T
	classes := len(rc.size)
	if classes == 0 || release.Rows() == 0 {
		return
	}
	// Rows grouped by class (a counting sort), suppressed rows left out.
	start := make([]int32, classes+1)
	for _, c := range rc.row {
		if c >= 0 {
			start[c+1]++
		}
	}
	for c := 0; c < classes; c++ {
		start[c+1] += start[c]
	}
	order := make([]int32, start[classes])
	next := append([]int32(nil), start[:classes]...)
	for r, c := range rc.row {
		if c >= 0 {
			order[next[c]] = int32(r)
			next[c]++
		}
	}
	for _, li := range sensitive {
		col := release.Columns[li]
		var h *Hierarchy
		if ri := raw.ColumnIndex(col.Name); ri >= 0 {
			h = gateHierarchy(opt, col.Name, raw.Columns[ri])
		}
		s, err := newSensAttr(release, li, h, TAuto)
		if err != nil && h != nil {
			s, err = newSensAttr(release, li, nil, TAuto)
		}
		if err != nil {
			continue
		}
		ck := newChecker(Models{T: t}, []*sensAttr{s})
		dense := ck.dense[:s.m]
		worst, worstClass, over, overRecords := 0.0, -1, 0, 0
		for c := 0; c < classes; c++ {
			rows := order[start[c]:start[c+1]]
			if len(rows) == 0 {
				continue
			}
			for _, r := range rows {
				dense[col.Codes[r]]++
			}
			d := ck.denseDistance(s, s.q, int32(len(rows)), dense)
			for _, r := range rows {
				dense[col.Codes[r]] = 0
			}
			if d > worst {
				worst, worstClass = d, c
			}
			if d > t+1e-12 {
				over++
				overRecords += len(rows)
			}
		}
		res.TCloseness = math.Max(res.TCloseness, worst)
		if over > 0 {
			res.fail(CheckHomogeneity, col.Name, articleTianjin29, overRecords,
				"%d equivalence classes (%d records) are farther than t = %g from the distribution of %q over the %d released records (%s distance; largest %.4f, a class of %d): attribute disclosure; Tianjin Art. 29",
				over, overRecords, t, col.Name, release.Rows(), string(s.dist), worst, rc.size[worstClass])
		}
	}
}
