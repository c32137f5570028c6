package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shujiao/shujiao/anonymizer"
)

const anonymizeSynopsis = "--out OUT [--k 5] [--l distinct:2|entropy:2|recursive:4,2] [--t 0.2] [--suppression 0.05] " +
	"[--metric loss|precision|discernibility|entropy] [--algorithm optimal|mondrian] [--qi a,b] [--sensitive c] " +
	"[--drop d] [--pseudonymize e] [--pseudonym-key-file F] [--hierarchy col=file|col=generator ...] " +
	"[--policy policy.json] [--report FILE] [--json] [--delimiter ;] [--format csv|tsv|jsonl|xlsx|parquet] [--sheet S] " +
	"[--drop-suppressed] [--suppress-sensitive] [--memory-limit 2560MiB|off] [--progress auto|plain|none] INPUT"

type anonymizeFlags struct {
	out, l, metric, algorithm, keyFile, policy, report, delimiter, format, sheet, tDistance, memLimit, progress string
	dataDir                                                                                                     string
	k                                                                                                           int
	t, suppression                                                                                              float64
	qi, sensitive, drop, pseudo                                                                                 stringList
	hierarchies                                                                                                 repeated
	json, dropSuppressed, suppressSensitive                                                                     bool
}

func runAnonymize(ctx context.Context, env *cliEnv, args []string) error {
	var f anonymizeFlags
	fs := newFlags(env, "anonymize", anonymizeSynopsis)
	fs.StringVar(&f.out, "out", "", "output file (written atomically; format of the input unless --format, or unless its extension names another of xlsx, jsonl or csv/tsv)")
	fs.IntVar(&f.k, "k", 0, "k of k-anonymity (default 5 unless another model or a policy is given)")
	fs.StringVar(&f.l, "l", "", "l-diversity of the sensitive columns: distinct:L, entropy:L or recursive:C,L")
	fs.Float64Var(&f.t, "t", 0, "t of t-closeness of the sensitive columns")
	fs.StringVar(&f.tDistance, "t-distance", "", "t-closeness ground distance: equal, ordered or hierarchical (default: hierarchical with a hierarchy, ordered for numbers, else equal)")
	fs.Float64Var(&f.suppression, "suppression", 0, "largest share of records that may be suppressed (0..1)")
	fs.StringVar(&f.metric, "metric", "", "metric to minimize: loss (default), precision, discernibility, entropy")
	fs.StringVar(&f.algorithm, "algorithm", "", "optimal (full-domain lattice search, default) or mondrian")
	fs.Var(&f.qi, "qi", "quasi-identifier columns (comma-separated, repeatable)")
	fs.Var(&f.sensitive, "sensitive", "sensitive columns")
	fs.Var(&f.drop, "drop", "identifying columns to drop")
	fs.Var(&f.pseudo, "pseudonymize", "identifying columns to replace by a platform pseudonym (HMAC-SM3 or HMAC-SHA256 under the platform key)")
	fs.StringVar(&f.keyFile, "pseudonym-key-file", "", "a key of your own instead of the platform's (the gate refuses pseudonyms it cannot recompute)")
	fs.StringVar(&f.dataDir, "data-dir", platformDataDir(env), "data directory holding the platform pseudonymization key (default $SHUJIAO_DATA_DIR or ./var)")
	fs.Var(&f.hierarchies, "hierarchy", "col=file (ARX format) or col=generator (interval:5,10,20, date, mask, mask:N, division, ordered:a,b,c); repeatable")
	fs.StringVar(&f.policy, "policy", "", "policy file (JSON: column roles, hierarchies, models); flags override it")
	fs.StringVar(&f.report, "report", "", "write the JSON report to FILE")
	fs.BoolVar(&f.json, "json", false, "print the JSON report on stdout")
	fs.StringVar(&f.delimiter, "delimiter", "", "CSV delimiter of input and output (default: sniffed)")
	fs.StringVar(&f.format, "format", "", "output format: csv, tsv, jsonl, xlsx or parquet (default: the input's, or the one --out's extension names)")
	fs.StringVar(&f.sheet, "sheet", "", "XLSX sheet to read (default: the first)")
	fs.BoolVar(&f.dropSuppressed, "drop-suppressed", false, "leave suppressed records out instead of writing * in their quasi-identifiers")
	fs.BoolVar(&f.suppressSensitive, "suppress-sensitive", false, "write * in the sensitive columns of suppressed records too (they form one more class otherwise)")
	fs.StringVar(&f.memLimit, "memory-limit", "", "soft memory budget (512MiB, 4GiB, off); the collector works harder near it (default: $GOMEMLIMIT, else 2560MiB)")
	fs.StringVar(&f.progress, "progress", "auto", "progress on stderr: auto (a bar on a terminal), plain (a line per phase and second, with the rate), none")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("anonymize: want one INPUT file, got %d arguments (usage: shujiao anonymize %s)", len(pos), anonymizeSynopsis)
	}
	if f.out == "" {
		return usageErrorf("anonymize: --out is required")
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	return anonymizeRun(ctx, env, f, set, pos[0])
}

func anonymizeRun(ctx context.Context, env *cliEnv, f anonymizeFlags, set map[string]bool, input string) error {
	began := time.Now()
	stopProfile, err := startProfile(env, "anonymize")
	if err != nil {
		return err
	}
	defer stopProfile()
	cfg, specs, err := anonymizeConfig(f, set)
	if err != nil {
		return err
	}
	budget, err := anonymizeMemoryLimit(env, f.memLimit)
	if err != nil {
		return err
	}
	defer budget.restore()
	ctx, watch := watchMemory(ctx, budget.hard)
	defer watch.stop()
	// Dropped columns are checked as they are read but never held;
	// pseudonymized ones are carried, not looked up, where they barely
	// repeat (ReadOptions.Carry) — unless also named in another role,
	// which Anonymize refuses with its own error.
	ropt := anonymizer.ReadOptions{Sheet: f.sheet, Skip: cfg.Drop, Carry: carriedColumns(cfg)}
	wopt := anonymizer.WriteOptions{}
	if f.delimiter != "" {
		d, err := anonymizeDelimiter(f.delimiter)
		if err != nil {
			return err
		}
		ropt.Delimiter, wopt.Delimiter = d, d
	}
	bar, err := newProgress(env.stderr, f.progress)
	if err != nil {
		return err
	}
	if bar != nil {
		ropt.Progress = func(done, total int64) { bar.show("read", done, total, "bytes") }
		cfg.Progress = func(done, total int64) { bar.show("search", done, total, "nodes") }
	}
	spill, streamIDs, err := planMemory(env, budget.hard, input, cfg, ropt.Delimiter)
	if err != nil {
		return err
	}
	if streamIDs { // identifiers to pseudonymize are streamed into the spill after the read
		ropt.Skip = append(slices.Clone(ropt.Skip), cfg.Pseudonymize...)
	}
	start := time.Now()
	bar.begin("read")
	t, format, err := anonymizer.ReadFile(input, ropt)
	if err != nil {
		bar.clear()
		return inputError(err)
	}
	bar.end("read", int64(t.Rows()))
	if ropt.Delimiter == 0 && format == anonymizer.FormatCSV {
		wopt.Delimiter = sniffedDelimiter(input)
	}
	readTime := time.Since(start)
	prepStart := time.Now()
	t.CompactLines()
	if budget.hard > 0 {
		runtime.GC() // the live heap of the table read, for the check
		if err := watch.check("the table read"); err != nil {
			return err
		}
		rs, err := spillTable(env, spill, t, budget.hard)
		if err != nil {
			return err
		}
		defer rs.close()
		if rs != nil {
			watch.trimWith(rs.s.Trim)
		}
		if spill != nil {
			delim := wopt.Delimiter
			if delim == 0 && format == anonymizer.FormatTSV {
				delim = '\t'
			}
			for _, name := range cfg.Pseudonymize {
				if c := t.Column(name); c != nil && c.Skipped() {
					if err := spill.Column(t, input, delim, name); err != nil {
						return inputError(fmt.Errorf("anonymize: --memory-limit: %w", err))
					}
				}
			}
		}
	}
	budget.afterRead()
	cfg.Hierarchies = map[string]*anonymizer.Hierarchy{}
	for col, spec := range specs {
		h, err := anonymizer.ResolveHierarchy(t, col, spec)
		if err != nil {
			return inputError(err)
		}
		cfg.Hierarchies[col] = h
	}
	if err := capPolicyLevels(f.policy, t, &cfg); err != nil {
		return inputError(err)
	}
	if len(cfg.Pseudonymize) > 0 {
		if err = setPseudonymKey(env, &cfg, f.keyFile, f.dataDir); err != nil {
			return err
		}
	}
	prepTime := time.Since(prepStart)
	bar.begin("search")
	res, err := anonymizer.Anonymize(ctx, t, cfg)
	if err == nil {
		bar.end("search", int64(t.Rows()))
	} else {
		bar.clear()
	}
	if cause := context.Cause(ctx); errors.Is(cause, errMemoryLimit) {
		return cause
	}
	if err != nil {
		if errors.Is(err, anonymizer.ErrNoSolution) || errors.Is(err, context.Canceled) {
			return err
		}
		return inputError(err)
	}
	outFormat := outputFormat(format, f.out)
	if f.format != "" {
		if outFormat, err = anonymizer.ParseFormat(f.format); err != nil {
			return usageErrorf("anonymize: --format: %s", err.Error())
		}
	}
	start = time.Now()
	bar.begin("write")
	if err := anonymizer.WriteFileAtomic(f.out, res.Table, outFormat, wopt); err != nil {
		return err
	}
	bar.end("write", int64(res.Table.Rows()))
	writeTime := time.Since(start)
	start = time.Now()
	rep := anonymizer.NewReport(res, cfg, input, f.out, specs)
	rep.TimingsMS.Read, rep.TimingsMS.Write = anonymizer.Millis(readTime), anonymizer.Millis(writeTime)
	rep.TimingsMS.Prepare, rep.TimingsMS.Report = anonymizer.Millis(prepTime), anonymizer.Millis(time.Since(start))
	rep.TimingsMS.Total = anonymizer.Millis(time.Since(began))
	if f.report != "" {
		if err := writeReportFile(f.report, rep); err != nil {
			return err
		}
	}
	if err := rep.WriteSummary(env.stderr); err != nil {
		return err
	}
	if f.json {
		return writeJSON(env.stdout, rep)
	}
	return nil
}

// carriedColumns are the columns only pseudonymized: their values are
// never looked at but to be replaced (ReadOptions.Carry).
func carriedColumns(cfg anonymizer.Config) []string {
	var out []string
	for _, c := range cfg.Pseudonymize {
		if !slices.Contains(cfg.QuasiIdentifiers, c) && !slices.Contains(cfg.Sensitive, c) && !slices.Contains(cfg.Drop, c) {
			out = append(out, c)
		}
	}
	return out
}

// anonymizeConfig merges the policy file (if any) with the flags, flags
// winning. It returns the config and the hierarchy spec of each column.
func anonymizeConfig(f anonymizeFlags, set map[string]bool) (anonymizer.Config, map[string]string, error) {
	var cfg anonymizer.Config
	specs := map[string]string{}
	if f.policy != "" {
		p, err := anonymizer.LoadPolicy(f.policy)
		if err != nil {
			return cfg, nil, inputError(err)
		}
		if err := p.Apply(&cfg, specs); err != nil {
			return cfg, nil, inputError(fmt.Errorf("%s: %w", f.policy, err))
		}
	}
	if set["k"] {
		cfg.Models.K = f.k
	}
	if set["l"] {
		l, err := anonymizer.ParseLDiversity(f.l)
		if err != nil {
			return cfg, nil, usageErrorf("anonymize: --l: %s", err.Error())
		}
		cfg.Models.L = &l
	}
	if set["t"] {
		cfg.Models.T = f.t
	}
	if set["t-distance"] {
		cfg.Models.TDistance = anonymizer.TDistance(f.tDistance)
	}
	if set["suppression"] {
		cfg.Models.Suppression = f.suppression
	}
	if f.policy == "" && !set["k"] && cfg.Models.L == nil && cfg.Models.T == 0 {
		cfg.Models.K = 5
	}
	if set["metric"] {
		cfg.Metric = anonymizer.Metric(f.metric)
	}
	if set["algorithm"] {
		cfg.Algorithm = anonymizer.Algorithm(f.algorithm)
	}
	if err := cfg.Models.Validate(); err != nil {
		return cfg, nil, usageErrorf("anonymize: %s", err.Error())
	}
	if _, err := anonymizer.ParseMetric(string(cfg.Metric)); err != nil {
		return cfg, nil, usageErrorf("anonymize: --metric: %s", err.Error())
	}
	roles := []struct {
		list *[]string
		flag stringList
	}{{&cfg.QuasiIdentifiers, f.qi}, {&cfg.Sensitive, f.sensitive}, {&cfg.Drop, f.drop}, {&cfg.Pseudonymize, f.pseudo}}
	for _, r := range roles {
		for _, name := range r.flag {
			for _, other := range roles {
				*other.list = remove(*other.list, name)
			}
		}
	}
	for _, r := range roles {
		*r.list = append(*r.list, r.flag...)
	}
	for _, h := range f.hierarchies {
		col, spec, ok := strings.Cut(h, "=")
		if !ok || col == "" || spec == "" {
			return cfg, nil, usageErrorf("anonymize: --hierarchy %q: want col=file or col=generator", h)
		}
		specs[col] = spec
	}
	if len(cfg.QuasiIdentifiers) == 0 && cfg.Algorithm != anonymizer.AlgorithmMondrian {
		return cfg, nil, usageErrorf("anonymize: no quasi-identifier: name them with --qi or in a --policy file")
	}
	cfg.DropSuppressed = f.dropSuppressed
	cfg.SuppressSensitive = cfg.SuppressSensitive || f.suppressSensitive
	return cfg, specs, nil
}

func remove(list []string, name string) []string {
	out := list[:0]
	for _, x := range list {
		if x != name {
			out = append(out, x)
		}
	}
	return out
}

func anonymizeDelimiter(s string) (rune, error) {
	switch s {
	case `\t`, "tab", "TAB":
		return '\t', nil
	}
	r, size := utf8.DecodeRuneInString(s)
	if size != len(s) || r == utf8.RuneError || r == '"' || r == '\n' || r == '\r' {
		return 0, usageErrorf("anonymize: --delimiter %q: want one character", s)
	}
	return r, nil
}

// sniffedDelimiter returns the delimiter of the CSV file's header line, so
// that the release keeps the input's delimiter.
func sniffedDelimiter(path string) rune {
	f, err := os.Open(path)
	if err != nil {
		return ','
	}
	defer f.Close()
	b := make([]byte, 64*1024)
	n, _ := io.ReadFull(f, b)
	line, _, _ := strings.Cut(string(b[:n]), "\n")
	best, n := ',', 0
	for _, d := range []rune{',', ';', '\t', '|'} {
		if c := strings.Count(line, string(d)); c > n {
			best, n = d, c
		}
	}
	return best
}

func pseudonymKey(env *cliEnv, file string) ([]byte, error) {
	if file == "" {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("anonymize: pseudonym key: %w", err)
		}
		fmt.Fprintln(env.stderr, "anonymize: no --pseudonym-key-file: pseudonyms use a random key that is not kept (they cannot be linked to later releases)")
		return key, nil
	}
	key, err := os.ReadFile(file)
	if err != nil {
		return nil, usageErrorf("anonymize: --pseudonym-key-file: %s", err.Error())
	}
	if len(strings.TrimSpace(string(key))) < 16 {
		return nil, usageErrorf("anonymize: %s: line 1: pseudonym key shorter than 16 bytes", file)
	}
	return []byte(strings.TrimSpace(string(key))), nil
}

func writeReportFile(path string, rep *anonymizer.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("anonymize: report: %w", err)
	}
	if err := writeJSON(f, rep); err != nil {
		f.Close()
		return fmt.Errorf("anonymize: report %s: %w", path, err)
	}
	return f.Close()
}

// outputFormat is the format a release is written in without --format: the
// input's, unless the output's extension names a different kind of file
// (an .xlsx or .jsonl output of a CSV input, a .csv output of a workbook);
// CSV and TSV count as one kind, so a ';'-separated input keeps its
// delimiter in an output named .csv.
func outputFormat(input anonymizer.Format, out string) anonymizer.Format {
	text := func(f anonymizer.Format) bool { return f == anonymizer.FormatCSV || f == anonymizer.FormatTSV }
	named := anonymizer.FormatFromPath(out)
	if named == "" || named == input || (text(named) && text(input)) {
		return input
	}
	return named
}

// defaultAnonymizeMemory is anonymize's soft memory budget when neither
// --memory-limit nor GOMEMLIMIT sets one. Without a budget the collector
// lets the heap grow to twice what is live: ten million rows would take
// 4.3 GB where 2.6 GB suffice. A table that holds more than half the
// budget once read raises it to twice the table (see afterRead), so a
// larger input costs memory, not a collector that never stops.
const defaultAnonymizeMemory = 2560 << 20

// memoryBudget is the soft memory limit of one anonymize run.
type memoryBudget struct {
	prev int64 // the limit before the run, restored after it
	auto bool  // the default budget, which grows with the table
	hard int64 // --memory-limit given: a promise the run stops rather than break
}

// anonymizeMemoryLimit sets the Go runtime's soft memory limit for the run.
func anonymizeMemoryLimit(env *cliEnv, flagValue string) (*memoryBudget, error) {
	b := &memoryBudget{prev: debug.SetMemoryLimit(-1)}
	switch v := strings.TrimSpace(flagValue); {
	case v == "off" || v == "0":
		debug.SetMemoryLimit(math.MaxInt64)
	case v != "":
		n, err := parseByteSize(v)
		if err != nil {
			return nil, usageErrorf("anonymize: --memory-limit %s", err.Error())
		}
		debug.SetMemoryLimit(n)
		b.hard = n
	case env.getenv("GOMEMLIMIT") != "":
		// the runtime applied it at start
	default:
		b.auto = true
		debug.SetMemoryLimit(defaultAnonymizeMemory)
	}
	return b, nil
}

// afterRead raises the default budget to twice the live heap (as of the
// last collection) when the table read holds more than half of it.
func (b *memoryBudget) afterRead() {
	if !b.auto {
		return
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	debug.SetMemoryLimit(budgetFor(int64(s[0].Value.Uint64())))
}

// budgetFor is the default budget for a run whose table holds live bytes:
// defaultAnonymizeMemory, or twice the table when that is more.
func budgetFor(live int64) int64 {
	return max(defaultAnonymizeMemory, 2*live)
}

// restore puts back the limit the process had before the run.
func (b *memoryBudget) restore() { debug.SetMemoryLimit(b.prev) }
