package anonymizer

import (
	"os"
	"strconv"
	"syscall"
	"testing"
)

// gateCPUSeconds is the CPU time (user + system) the process has used so far.
func gateCPUSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// benchRows is the population size of the gate benchmark: 1,000,000 unless
// SHUJIAO_GATE_BENCH_ROWS says otherwise.
func benchRows() int {
	if n, err := strconv.Atoi(os.Getenv("SHUJIAO_GATE_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkCheckRelease runs the whole gate over a generated population and
// its release: identifiers dropped, a platform pseudonym (HMAC-SM3) of the resident ID,
// birth date generalized to the year, division to the prefecture, sex kept,
// occupation, education, income and diagnosis released. Setup is not timed.
func BenchmarkCheckRelease(b *testing.B) {
	n := benchRows()
	raw := mustPopulation(b, n, 2024)
	key := PseudonymKey{ID: "pk-bench", Method: MethodHMACSM3, Secret: []byte("benchmark platform pseudonym key")}
	rel := mustRelease(b, raw,
		derive("pid", "身份证号", func(v string) string { return KeyedPseudonym(key, v) }),
		derive("出生日期", "出生日期", func(v string) string { return v[:4] }),
		derive("行政区划", "行政区划", func(v string) string { return v[:4] + "00" }),
		keep("性别"), keep("职业"), keep("学历"), keep("收入"), keep("诊断"))
	pol := synthPolicy()
	pol.AcceptHomogeneity = true
	b.ReportAllocs()
	cpu0 := gateCPUSeconds()
	b.ResetTimer()
	var res *GateResult
	for range b.N {
		res = CheckRelease(raw, rel, GateOptions{Policy: pol, PseudonymKeys: []PseudonymKey{key}})
	}
	b.StopTimer()
	// CPU seconds (user + system) show the work done even when other
	// processes share the cores and stretch the wall-clock time.
	b.ReportMetric((gateCPUSeconds()-cpu0)/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(n), "rows")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.Logf("%d rows: level %s, %d reasons, %d classes, max θ %.4f, pseudonyms %v", n, res.Level, len(res.Reasons), res.Classes, res.RiskMax, res.Pseudonyms)
}
