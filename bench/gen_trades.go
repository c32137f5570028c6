//go:build ignore

// gen_trades writes N synthetic trades in the offline CSV format of
// docs/pricing.md to standard output, the same population as the market
// package's BenchmarkAudit1M: 1,000 listings of 200 sellers, 36 condition
// keys each, 2 % of trades overcharged by 5–30 %, 1 % at a new-customer
// promotion, and every 50th listing charging loyal buyers a little more.
//
//	go run bench/gen_trades.go -n 1000000 > trades.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

func main() {
	n := flag.Int("n", 1000000, "number of trades")
	flag.Parse()
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	rng := rand.New(rand.NewPCG(1, 2))
	fmt.Fprint(w, "trade_id,time,seller_id,listing_id,buyer_id,buyer_kind,unit_price,quantity,amount,security,cost,credit,stage,duration_months,buyer_first_trade_at,buyer_prior_trades,promotion_id,promotion_kind,promotion_start,promotion_end,tier_id,tier_criteria_met,random_rule_id,random_draw_id\n")
	modes := []string{"encrypted_file", "api", "sandbox"}
	credits := []string{"A", "B"}
	stages := []string{"direct", "intermediary"}
	durations := []string{"6", "12", "24"}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < *n; i++ {
		listing := rng.IntN(1000)
		seller := listing / 5
		buyer := rng.IntN(50000)
		prior := rng.IntN(30)
		base := int64(10000 + listing*37%9000) // fen
		price := base
		promo, first := ",,,", "2025-01-01T00:00:00Z"
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
		at := start.Add(time.Duration(rng.IntN(60*24*3600)) * time.Second)
		fmt.Fprintf(w, "t%d,%s,S%d,L%d,B%d,organization,%d.%02d,1,,%s,standard,%s,%s,%s,%s,%d,%s,,,,\n",
			i, at.Format(time.RFC3339), seller, listing, buyer, price/100, price%100,
			modes[rng.IntN(3)], credits[rng.IntN(2)], stages[rng.IntN(2)], durations[rng.IntN(3)], first, prior, promo)
	}
}
