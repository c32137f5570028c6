package delivery

import (
	"bytes"
	"io"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/market"
)

func TestSelectContent_ARowsOrderOfAParquetReleaseIsDeliveredAsParquet(t *testing.T) {
	blobs, err := blob.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	release := anonymizer.SynthesizeTable(2500, 3)
	var pq bytes.Buffer
	if err := anonymizer.WriteTable(&pq, release, anonymizer.FormatParquet, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	ref, err := blobs.Put(bytes.NewReader(pq.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	s := &Service{blobs: blobs}
	c, err := s.selectContent(market.DeliverySource{Order: &market.Order{ID: market.NewID(), Quantity: decimal.RequireFromString("1")},
		Unit: market.UnitPer1000Records, ArtifactName: "people.deid.parquet", ArtifactSHA: ref.SHA256, ArtifactSize: ref.Size})
	if err != nil {
		t.Fatal(err)
	}
	if c.File != "people.deid.first-1000-rows.parquet" || c.RowsDelivered == nil || *c.RowsDelivered != 1000 {
		t.Errorf("file %q rows %v, want people.deid.first-1000-rows.parquet with 1000 rows", c.File, c.RowsDelivered)
	}
	rc, err := c.open()
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	got, f, err := anonymizer.ReadTable(bytes.NewReader(data), c.File, anonymizer.ReadOptions{})
	if err != nil || f != anonymizer.FormatParquet {
		t.Fatalf("the delivered file is not Parquet: %v (%s)", err, f)
	}
	if got.Rows() != 1000 {
		t.Fatalf("%d rows delivered, want 1000", got.Rows())
	}
	for r := range 1000 {
		for c := range release.Columns {
			if got.Value(r, c) != release.Value(r, c) {
				t.Fatalf("row %d column %d: %q, want %q", r, c, got.Value(r, c), release.Value(r, c))
			}
		}
	}
}
