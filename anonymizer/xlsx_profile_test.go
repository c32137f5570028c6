package anonymizer

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// mustXLSX builds a workbook of one sheet named sheet from rows.
func mustXLSX(tb testing.TB, sheet string, rows ...[]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		tb.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			tb.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Profiling a workbook streams its rows into the sample with the checks
// of reading it: the counts match the reader's, and a bad row is an error
// naming the file, the sheet, the line and the column.
func TestProfileXLSX_StreamsRowsWithTheReadersChecks(t *testing.T) {
	ok := mustXLSX(t, "人口", []any{"姓名", "年龄"}, []any{"张三", 30}, []any{}, []any{"李四", 41}, []any{"王五"})
	p, err := ProfileTable(context.Background(), bytes.NewReader(ok), "pop.xlsx", ProfileOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := p.Rows, int64(3); got != want {
		t.Errorf("rows %d, want %d (the empty row skipped)", got, want)
	}
	if got, want := p.Format, FormatXLSX; got != want {
		t.Errorf("format %q, want %q", got, want)
	}
	if got, want := strings.Join(p.Sample.Row(2), ","), "王五,"; got != want {
		t.Errorf("last row %q, want %q (padded to the header)", got, want)
	}
	if got, want := p.Sample.Line(1), 4; got != want {
		t.Errorf("second row from line %d, want %d", got, want)
	}

	wide := mustXLSX(t, "人口", []any{"姓名", "年龄"}, []any{"张三", 30}, []any{"李四", 41, "多余"})
	_, err = ProfileTable(context.Background(), bytes.NewReader(wide), "pop.xlsx", ProfileOptions{})
	if err == nil {
		t.Fatal("a row wider than the header was accepted")
	}
	for _, want := range []string{"pop.xlsx", `sheet "人口"`, "line 3", "column 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}

	if _, err := ProfileTable(context.Background(), strings.NewReader("PK\x03\x04 not a zip"), "bad.xlsx", ProfileOptions{}); err == nil || !strings.Contains(err.Error(), "bad.xlsx") {
		t.Errorf("a damaged workbook: err %v, want an error naming bad.xlsx", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ProfileTable(ctx, bytes.NewReader(ok), "pop.xlsx", ProfileOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled profile: err %v, want context.Canceled", err)
	}
}
