package jobs

import (
	"fmt"
	"slices"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// Shaanxi Art. 36(3): the values the content signatures are matched
// against come from rows spread over the whole table, not from a column's
// first distinct values: a seller who writes 30,000 rows of other values
// before 10,000 rows of SNP identifiers does not hide them (the first 200
// distinct values were all that was scanned). A table the size of an
// upload's sample gives every distinct value.
func TestContentProfile_ShaanxiArt36_3_ValuesComeFromTheWholeTable(t *testing.T) {
	tab, err := anonymizer.NewTable("t.csv", []string{"id", "c2"})
	if err != nil {
		t.Fatal(err)
	}
	for r := range 40_000 {
		v := fmt.Sprintf("样本%d", r)
		if r >= 30_000 {
			v = fmt.Sprintf("rs%d", 1000+r)
		}
		if err := tab.AppendRow([]string{fmt.Sprint(r), v}, r+2); err != nil {
			t.Fatal(err)
		}
	}
	p := ContentProfile(tab, nil)
	c := p.Columns[1]
	if len(c.Samples) != market.ContentSampleValues {
		t.Fatalf("%d values, want %d", len(c.Samples), market.ContentSampleValues)
	}
	rsids := 0
	for _, v := range c.Samples {
		if v[:2] == "rs" {
			rsids++
		}
	}
	if rsids < market.ContentSampleValues/5 {
		t.Fatalf("%d of %d values are SNP identifiers, want about a quarter", rsids, len(c.Samples))
	}
	rs := market.DefaultRuleSet()
	scan := market.ScanContent(rs, p, int64(tab.Rows()))
	found := false
	for _, s := range scan.Signatures {
		for _, vc := range s.Columns {
			found = found || s.Rule == "content-human-genetic-resources" && vc.Column == "c2" && vc.Matched == rsids
		}
	}
	if !found {
		t.Fatalf("the scan %+v does not count the SNP identifiers in c2", scan.Signatures)
	}

	small, err := anonymizer.NewTable("s.csv", []string{"c"})
	if err != nil {
		t.Fatal(err)
	}
	for r := range 300 {
		if err := small.AppendRow([]string{fmt.Sprint(r % 250)}, r+2); err != nil {
			t.Fatal(err)
		}
	}
	if got := ContentProfile(small, nil).Columns[0].Samples; len(got) != 250 || !slices.Contains(got, "249") {
		t.Fatalf("a small table gave %d values, want its 250 distinct ones", len(got))
	}
}
