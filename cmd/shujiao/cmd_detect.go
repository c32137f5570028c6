package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shujiao/shujiao/anonymizer"
)

// runDetect reports the personal information found in a table (Issue 4,
// item 1):
//
//	shujiao detect FILE [--json] [--delimiter D] [--sheet S] [--max-rows N]
//
// For each column: the identifier types with their match rates and a masked
// example, identifiers found inside free text, and a proposed role with a
// confidence.
func runDetect(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "detect", "FILE [--json] [--delimiter D] [--sheet S] [--max-rows N]")
	asJSON := fs.Bool("json", false, "print the detection as JSON")
	delim := fs.String("delimiter", "", "CSV delimiter (default: sniffed among , ; TAB |); 'tab' or '\\t' for TAB")
	sheet := fs.String("sheet", "", "XLSX sheet (default: the first)")
	format := fs.String("format", "", "input format: csv, tsv, jsonl, xlsx or parquet (default: from the extension, else sniffed)")
	maxRows := fs.Int("max-rows", 0, "examine at most N rows per column, evenly spaced (0: all)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("detect: want exactly one FILE (usage: shujiao detect FILE [--json] [--delimiter D] [--sheet S])")
	}
	opt := anonymizer.ReadOptions{Sheet: *sheet}
	if opt.Delimiter, err = parseDelimiter(*delim); err != nil {
		return usageErrorf("detect: --delimiter: %s", err)
	}
	if *format != "" {
		if opt.Format, err = anonymizer.ParseFormat(*format); err != nil {
			return usageErrorf("detect: --format: %s", err)
		}
	}
	if isTerminal(env.stderr) {
		opt.Progress = progressPrinter(env.stderr, "reading")
	}
	t, _, err := anonymizer.ReadFile(pos[0], opt)
	if err != nil {
		return inputError(err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d := anonymizer.Detect(t, anonymizer.DetectOptions{MaxRows: *maxRows})
	d.File = pos[0]
	if *asJSON {
		return writeJSON(env.stdout, d)
	}
	return printDetection(env.stdout, d)
}

// parseDelimiter reads a --delimiter value: one character, or "tab"/"\t".
func parseDelimiter(s string) (rune, error) {
	switch s {
	case "":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r == '"' || r == '\n' || r == '\r' || r == utf8.RuneError {
		return 0, fmt.Errorf("%q: want one character other than a quote or line break", s)
	}
	return r, nil
}

// printDetection writes the detection as a table aligned for a terminal
// (Chinese characters take two columns).
func printDetection(w io.Writer, d *anonymizer.Detection) error {
	fmt.Fprintf(w, "%s: %d rows, %d columns\n\n", d.File, d.Rows, len(d.Columns))
	rows := [][]string{{"COLUMN", "ROLE", "CONFIDENCE", "TYPES (match rate, masked example)", "FREE TEXT", "REASON"}}
	for _, c := range d.Columns {
		var types, hits []string
		for _, m := range c.Types {
			types = append(types, fmt.Sprintf("%s %.1f%% %s", m.Type, 100*m.MatchRate, m.Example))
		}
		for _, h := range c.FreeTextHits {
			hits = append(hits, fmt.Sprintf("%s in %d cells", h.Type, h.Cells))
		}
		rows = append(rows, []string{c.Name, string(c.ProposedRole), fmt.Sprintf("%.2f", c.Confidence),
			orDash(strings.Join(types, "; ")), orDash(strings.Join(hits, "; ")), c.Reason})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
	}
	return nil
}

// displayWidth is the number of terminal columns s takes: two for East Asian
// wide characters (CJK ideographs, full-width forms, Hangul), one otherwise.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3,
			r >= 0xF900 && r <= 0xFAFF, r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60, r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// progressPrinter returns a ReadOptions.Progress callback that redraws one
// status line on a terminal.
func progressPrinter(w io.Writer, what string) func(n, total int64) {
	return func(n, total int64) {
		if total > 0 {
			fmt.Fprintf(w, "\r%s %5.1f%% (%d of %d MB)", what, 100*float64(n)/float64(total), n>>20, total>>20)
			if n >= total {
				fmt.Fprint(w, "\r\033[K")
			}
			return
		}
		fmt.Fprintf(w, "\r%s %d MB", what, n>>20)
	}
}
