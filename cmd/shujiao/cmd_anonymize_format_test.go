package main

import (
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

func TestOutputFormat_InputsFormatUnlessTheOutputNamesAnotherKind(t *testing.T) {
	for _, tt := range []struct {
		input anonymizer.Format
		out   string
		want  anonymizer.Format
	}{
		{anonymizer.FormatCSV, "release.csv", anonymizer.FormatCSV},
		{anonymizer.FormatCSV, "release", anonymizer.FormatCSV},
		{anonymizer.FormatCSV, "release.tsv", anonymizer.FormatCSV}, // one kind: the input's delimiter stays
		{anonymizer.FormatTSV, "release.csv", anonymizer.FormatTSV},
		{anonymizer.FormatCSV, "release.xlsx", anonymizer.FormatXLSX},
		{anonymizer.FormatCSV, "release.jsonl", anonymizer.FormatJSONL},
		{anonymizer.FormatXLSX, "release.csv", anonymizer.FormatCSV},
		{anonymizer.FormatXLSX, "release.out", anonymizer.FormatXLSX},
		{anonymizer.FormatJSONL, "release.XLSX", anonymizer.FormatXLSX},
	} {
		if got := outputFormat(tt.input, tt.out); got != tt.want {
			t.Errorf("outputFormat(%s, %q) = %s, want %s", tt.input, tt.out, got, tt.want)
		}
	}
}
