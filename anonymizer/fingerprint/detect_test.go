package fingerprint_test

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
)

// The done-when: a 10 % sample of one buyer's copy, shuffled, with
// a column dropped and converted to XLSX, traces to that buyer and to no
// other among 20.
func TestDetect_TenPercentShuffledColumnDroppedXLSXTracesToTheBuyerAmongTwenty(t *testing.T) {
	f := mustFixture(t, 2000)
	tables, copies := mustCopies(t, f, 20)
	for _, buyer := range []int{0, 7, 19} {
		leak := sample(t, tables[buyer], 0.10, uint64(buyer))
		leak = project(t, leak, without(leak, "职业"), nil)
		leak = roundTrip(t, leak, anonymizer.FormatXLSX, false)
		res := mustDetect(t, leak, f, copies)
		if got, want := named(res), []string{copies[buyer].ID}; res.Verdict != fingerprint.Traced || !slices.Equal(got, want) {
			t.Fatalf("buyer %d: verdict %s, named %v, want traced to %v; top %+v", buyer, res.Verdict, got, want, res.Candidates[:2])
		}
		t.Logf("buyer %d: %d marks, top %s score %d fmp %g; next %s score %d fmp %g", buyer, res.Marks, res.Candidates[0].ID, res.Candidates[0].Score,
			res.Candidates[0].FalseMatchProbability, res.Candidates[1].ID, res.Candidates[1].Score, res.Candidates[1].FalseMatchProbability)
		if fmp := res.Candidates[0].FalseMatchProbability; fmp >= 1e-6 {
			t.Errorf("buyer %d: false-match probability %g, want < 1e-6", buyer, fmp)
		}
	}
}

// Every leaker's transformation of the issue, alone and with a 10 %
// sample: the leak traces to its buyer and to nobody else.
func TestDetect_SurvivesWhatLeakersDo(t *testing.T) {
	f := mustFixture(t, 2000)
	tables, copies := mustCopies(t, f, 20)
	const buyer = 11
	c := tables[buyer]
	half := []string{"手机号", "性别", "收入", "诊断", "学历"}
	otherHalf := []string{"收入", "出生日期", "行政区划", "职业", "性别"}
	cases := []struct {
		name string
		leak func(*testing.T, *anonymizer.Table) *anonymizer.Table
	}{
		{"the whole copy", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table { return x }},
		{"a 10 % sample of the rows", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table { return sample(t, x, 0.1, 3) }},
		{"rows and columns reordered", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			h := x.Header()
			slices.Reverse(h)
			return project(t, sample(t, x, 1, 4), h, nil)
		}},
		{"half the columns dropped, the pseudonyms kept", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return project(t, sample(t, x, 0.1, 5), half, nil)
		}},
		{"half the columns dropped, the pseudonyms too", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return project(t, sample(t, x, 0.1, 6), otherHalf, nil)
		}},
		{"columns renamed", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return project(t, sample(t, x, 0.1, 7), x.Header(), func(n string) string { return "列" + strconv.Itoa(slices.Index(x.Header(), n)) })
		}},
		{"CSV to XLSX and back", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return roundTrip(t, roundTrip(t, sample(t, x, 0.1, 8), anonymizer.FormatXLSX, false), anonymizer.FormatCSV, false)
		}},
		{"re-encoded as GB18030", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return roundTrip(t, sample(t, x, 0.1, 9), anonymizer.FormatCSV, true)
		}},
		{"birth dates generalized one more level", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return mapColumn(t, sample(t, x, 0.1, 10), "出生日期", func(v string) string { return coarser(v) })
		}},
		{"income rounded to 10000, the pseudonyms kept", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return mapColumn(t, sample(t, x, 0.1, 11), "收入", roundTo10000)
		}},
		{"income rounded to 1000 (its precision), the pseudonyms kept", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			return mapColumn(t, sample(t, x, 0.1, 12), "收入", func(v string) string {
				if len(v) < 4 {
					return v
				}
				return v[:len(v)-3] + "000"
			})
		}},
		{"pseudonyms dropped, division generalized, GB18030, 10 %", func(t *testing.T, x *anonymizer.Table) *anonymizer.Table {
			y := project(t, sample(t, x, 0.1, 13), without(x, "手机号"), nil)
			y = mapColumn(t, y, "行政区划", func(v string) string { return coarser(v) })
			return roundTrip(t, y, anonymizer.FormatCSV, true)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := mustDetect(t, tc.leak(t, c), f, copies)
			if got, want := named(res), []string{copies[buyer].ID}; res.Verdict != fingerprint.Traced || !slices.Equal(got, want) {
				t.Fatalf("verdict %s, named %v, want traced to %v; columns %+v; top %+v", res.Verdict, got, want, res.Columns, res.Candidates[:2])
			}
		})
	}
}

// coarser generalizes a value one more level by its form: a date or year
// range to its decade, a division code to its parent, else "*".
func coarser(v string) string {
	switch {
	case len(v) == 6 && strings.Trim(v, "0123456789") == "" && !strings.HasSuffix(v, "0000"):
		if strings.HasSuffix(v, "00") {
			return v[:2] + "0000"
		}
		return v[:4] + "00"
	case len(v) >= 4 && strings.Trim(v[:4], "0123456789") == "":
		return v[:3] + "0s"
	}
	return "*"
}

func roundTo10000(v string) string {
	x, err := strconv.Atoi(v)
	if err != nil {
		return v
	}
	return strconv.Itoa(x / 10000 * 10000)
}

// A leak no copy made — the release itself, or a copy of an order that is
// not among the candidates — is inconclusive.
func TestDetect_ALeakNoCandidateMadeIsInconclusive(t *testing.T) {
	f := mustFixture(t, 2000)
	tables, copies := mustCopies(t, f, 21)
	for name, leak := range map[string]*anonymizer.Table{"the unmarked release": f.release, "another order's copy": tables[20]} {
		res := mustDetect(t, sample(t, leak, 0.5, 1), f, copies[:20])
		if res.Verdict != fingerprint.Inconclusive || len(named(res)) != 0 {
			t.Errorf("%s: verdict %s, named %v, want inconclusive", name, res.Verdict, named(res))
		}
		if res.Marks == 0 {
			t.Errorf("%s: no marks read", name)
		}
	}
}

// Two buyers who merge their copies are both named (or the verdict is
// inconclusive), never an innocent third: pairs of 20 buyers' copies
// merged (10 % of each), and averaged cell by cell.
func TestDetect_CollusionNeverAccusesAnInnocentBuyer(t *testing.T) {
	f := mustFixture(t, 2000)
	plan := f.plan
	tables, copies := mustCopies(t, f, 20)
	aligned := make([]*anonymizer.Table, len(copies)) // rows in release order: what careful colluders rebuild
	plan.Shuffle = false
	for i, c := range copies {
		var err error
		if aligned[i], _, err = fingerprint.Embed(f.release, plan, c.Key); err != nil {
			t.Fatal(err)
		}
	}
	for a := 0; a < 20; a += 3 {
		b := (a*7 + 5) % 20
		if a == b {
			continue
		}
		pair := []string{copies[a].ID, copies[b].ID}
		slices.Sort(pair)
		t.Run(fmt.Sprintf("merged %d and %d", a, b), func(t *testing.T) {
			ra, rb := allRows(sample(t, tables[a], 0.1, 1)), allRows(sample(t, tables[b], 0.1, 2))
			leak := rebuild(t, tables[a].Header(), append(ra, rb...))
			res := mustDetect(t, leak, f, copies)
			got := named(res)
			slices.Sort(got)
			if !slices.Equal(got, pair) {
				t.Errorf("named %v, want both colluders %v", got, pair)
			}
		})
		t.Run(fmt.Sprintf("averaged %d and %d", a, b), func(t *testing.T) {
			leak := average(t, aligned[a], aligned[b])
			res := mustDetect(t, leak, f, copies)
			for _, n := range named(res) {
				if !slices.Contains(pair, n) {
					t.Fatalf("averaged copies accuse innocent %s (named %v, colluders %v)", n, named(res), pair)
				}
			}
			t.Logf("verdict %s named %v of colluders %v", res.Verdict, named(res), pair)
			got := named(res)
			slices.Sort(got)
			if len(got) != 0 && !slices.Equal(got, pair) {
				t.Errorf("named %v: want both colluders %v or nobody", got, pair)
			}
		})
	}
}

// average is the cell-by-cell mean of two aligned copies' incomes, the
// pseudonyms dropped (they differ everywhere), other cells as in a.
func average(tb testing.TB, a, b *anonymizer.Table) *anonymizer.Table {
	ia := a.ColumnIndex("收入")
	rows := allRows(a)
	for r, row := range rows {
		x, errA := strconv.ParseFloat(row[ia], 64)
		y, errB := strconv.ParseFloat(b.Value(r, ia), 64)
		if errA == nil && errB == nil {
			row[ia] = strconv.FormatFloat((x+y)/2, 'f', -1, 64)
		}
	}
	return project(tb, rebuild(tb, a.Header(), rows), without(a, "手机号"), nil)
}

func TestDetect_AVerbatimCopyIsNamedByItsDigest(t *testing.T) {
	f := mustFixture(t, 2000)
	_, copies := mustCopies(t, f, 3)
	copies[1].SHA256 = strings.Repeat("ab", 32)
	res, err := fingerprint.Detect(project(t, f.release, []string{"性别"}, nil), f.release, f.plan, copies, fingerprint.Options{LeakSHA256: strings.Repeat("AB", 32)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := named(res), []string{copies[1].ID}; !slices.Equal(got, want) {
		t.Errorf("named %v, want %v", got, want)
	}
}

func TestDetect_FalseMatchProbabilityIsComputedNotGuessed(t *testing.T) {
	f := mustFixture(t, 2000)
	tables, copies := mustCopies(t, f, 20)
	leak := project(t, sample(t, tables[3], 0.01, 1), []string{"收入"}, nil) // 20 rows, digits only
	res := mustDetect(t, leak, f, copies)
	var innocentAbove int
	for _, c := range res.Candidates {
		if c.FalseMatchProbability <= 0 || c.FalseMatchProbability > 1 {
			t.Errorf("%s: false-match probability %g outside (0, 1]", c.ID, c.FalseMatchProbability)
		}
		if c.ID != copies[3].ID && c.Score > int(math.Ceil(res.Expected))+6 {
			innocentAbove++
		}
	}
	if innocentAbove > 0 {
		t.Errorf("%d innocent copies score far above the expected %.1f", innocentAbove, res.Expected)
	}
	if res.Candidates[0].ID != copies[3].ID || res.Candidates[0].Score != res.Marks {
		t.Errorf("the buyer's copy agrees with %d of %d marks and ranks %s first", res.Candidates[0].Score, res.Marks, res.Candidates[0].ID)
	}
}

// One leaked row names its copy by its pseudonym, whatever the row's other
// columns say by chance.
func TestDetect_OneLeakedPseudonymNamesItsCopy(t *testing.T) {
	f := mustFixture(t, 2000)
	tables, copies := mustCopies(t, f, 20)
	for seed := range uint64(10) {
		leak := sample(t, tables[5], 1.0/2000, seed)
		res := mustDetect(t, leak, f, copies)
		if got, want := named(res), []string{copies[5].ID}; !slices.Equal(got, want) {
			t.Fatalf("row %v: named %v, want %v; top %+v", leak.Row(0), got, want, res.Candidates[:2])
		}
	}
}
