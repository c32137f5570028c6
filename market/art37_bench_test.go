package market

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// genTradesCSV writes n synthetic trades in the offline CSV format: 1,000
// listings of 200 sellers, 36 condition keys each, list prices with 2 % of
// trades overcharged by 5–30 %, 1 % at a new-customer promotion, and every
// 50th listing charging its loyal buyers a little more.
func genTradesCSV(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.Grow(n * 190)
	b.WriteString(tradeHeader)
	modes := []string{"encrypted_file", "api", "sandbox"}
	credits := []string{"A", "B"}
	stages := []string{"direct", "intermediary"}
	durations := []string{"6", "12", "24"}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		listing := rng.IntN(1000)
		seller := listing / 5
		buyer := rng.IntN(50000)
		prior := rng.IntN(30)
		base := int64(10000 + listing*37%9000) // fen
		price := base
		promo, first := "", "2025-01-01T00:00:00Z"
		switch r := rng.IntN(100); {
		case r < 2:
			price = base * int64(105+rng.IntN(26)) / 100
		case r < 3:
			price = base * 80 / 100
			prior = 0
			promo, first = "welcome,new_customer,2026-01-01T00:00:00Z,2026-03-01T00:00:00Z", ""
		}
		if listing%50 == 0 {
			price += base * int64(prior) / 1000
		}
		if promo == "" {
			promo = ",,,"
		}
		at := start.Add(time.Duration(rng.IntN(60*24*3600)) * time.Second)
		fmt.Fprintf(&b, "t%d,%s,S%d,L%d,B%d,organization,%s,1,,%s,standard,%s,%s,%s,%s,%d,%s,,,,\n",
			i, at.Format(time.RFC3339), seller, listing, buyer, strconv.FormatInt(price/100, 10)+"."+fmt.Sprintf("%02d", price%100),
			modes[rng.IntN(3)], credits[rng.IntN(2)], stages[rng.IntN(2)], durations[rng.IntN(3)], first, prior, promo)
	}
	return b.Bytes()
}

var benchCSV = sync.OnceValue(func() []byte {
	n := 1_000_000
	if s := os.Getenv("SHUJIAO_BENCH_TRADES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	return genTradesCSV(n)
})

// BenchmarkAudit1M measures the offline audit of 1 million trades
// (SHUJIAO_BENCH_TRADES overrides the count): reading the CSV, the
// detector alone, and both, as shujiao audit-prices runs them.
// cpuSeconds returns the user and system CPU time of the process so far:
// on a shared machine it measures the work, where wall time measures the load.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// reportCPU runs f and reports the CPU seconds it used per iteration.
func reportCPU(b *testing.B, f func()) {
	start := cpuSeconds()
	f()
	b.ReportMetric((cpuSeconds()-start)/float64(b.N), "cpu-s/op")
}

func BenchmarkAudit1M(b *testing.B) {
	data := benchCSV()
	rs := DefaultRuleSet()
	var trades []Trade
	b.Run("read", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		reportCPU(b, func() {
			for b.Loop() {
				var err error
				if trades, err = ReadTrades(bytes.NewReader(data), "bench.csv"); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("audit", func(b *testing.B) {
		if trades == nil {
			var err error
			if trades, err = ReadTrades(bytes.NewReader(data), "bench.csv"); err != nil {
				b.Fatal(err)
			}
		}
		var res AuditResult
		reportCPU(b, func() {
			for b.Loop() {
				res = Audit(trades, rs, nil)
			}
		})
		b.ReportMetric(float64(len(res.Flags)), "flags")
		b.ReportMetric(float64(res.Groups), "groups")
	})
	trades = nil // free the first copy before measuring both steps together
	runtime.GC()
	b.Run("read+audit", func(b *testing.B) {
		reportCPU(b, func() {
			for b.Loop() {
				t, err := ReadTrades(bytes.NewReader(data), "bench.csv")
				if err != nil {
					b.Fatal(err)
				}
				Audit(t, rs, nil)
			}
		})
	})
}

func TestGenTradesCSV_FlagsTheOverchargesItPlants(t *testing.T) {
	trades, err := ReadTrades(bytes.NewReader(genTradesCSV(20000)), "gen.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := Audit(trades, DefaultRuleSet(), nil)
	if res.Trades != 20000 || len(flagsOf(res, KindPriceDifference)) == 0 {
		t.Errorf("%d trades, %d flags", res.Trades, len(res.Flags))
	}
}
