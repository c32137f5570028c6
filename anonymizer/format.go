package anonymizer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
)

// Format is a table file format.
type Format string

// Table file formats read by ReadFile/ReadTable and written by WriteTable.
const (
	// FormatCSV is delimiter-separated text (the delimiter sniffed or given).
	FormatCSV Format = "csv"
	// FormatTSV is tab-separated text.
	FormatTSV Format = "tsv"
	// FormatJSONL is JSON Lines: one object per line, keys are column names.
	FormatJSONL Format = "jsonl"
	// FormatXLSX is an Office Open XML workbook (one sheet is one table).
	FormatXLSX Format = "xlsx"
	// FormatParquet is an Apache Parquet file of flat columns.
	FormatParquet Format = "parquet"
)

// ParseFormat returns the Format named by s ("csv", "tsv", "jsonl", "xlsx", "parquet";
// "ndjson" and "json" are read as JSON Lines). It returns an error naming the
// accepted formats for anything else.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "csv", "txt":
		return FormatCSV, nil
	case "tsv", "tab":
		return FormatTSV, nil
	case "jsonl", "ndjson", "json":
		return FormatJSONL, nil
	case "xlsx":
		return FormatXLSX, nil
	case "parquet":
		return FormatParquet, nil
	}
	return "", fmt.Errorf("unknown format %q (want csv, tsv, jsonl, xlsx or parquet)", s)
}

// FormatFromPath returns the format implied by a file name's extension, or
// "" when the extension says nothing (the reader then sniffs the content).
func FormatFromPath(path string) Format {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv", ".txt":
		return FormatCSV
	case ".tsv", ".tab":
		return FormatTSV
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL
	case ".xlsx", ".xlsm":
		return FormatXLSX
	case ".parquet", ".parq", ".pq":
		return FormatParquet
	}
	return ""
}

// sniffFormat guesses the format of content from its first bytes: PAR1 is
// Parquet, a ZIP signature is XLSX, a leading '{' is JSON Lines, anything
// else is CSV.
func sniffFormat(head []byte) Format {
	if isParquetHead(head) {
		return FormatParquet
	}
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return FormatXLSX
	}
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '{' {
		return FormatJSONL
	}
	return FormatCSV
}

// cleanName trims white space and zero-width no-break spaces (stray byte
// order marks) from a column name.
func cleanName(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\ufeff' })
}
