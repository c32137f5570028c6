package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// TestAuditPrices_ShaanxiArt37_PriceChangeIsNotDiscrimination runs the
// offline audit on the first and third cases of issue 16: a rise for
// everyone on 1 November (no plan_version column: the change is inferred
// and reported, nothing is flagged), and repeat buyers charged 25 % more
// under conditions spelt Standard / Encrypted_File (flagged).
func TestAuditPrices_ShaanxiArt37_PriceChangeIsNotDiscrimination(t *testing.T) {
	var rise, spelt strings.Builder
	rise.WriteString(auditHeader)
	spelt.WriteString(auditHeader)
	for d := 1; d <= 8; d++ {
		fmt.Fprintf(&rise, "o%d,2026-10-%02dT10:00:00Z,S1,L1,B%d,organization,100.00,1,,encrypted_file,standard,A,direct,12,,%d,,,,,,,,\n", d, 20+d, d%4, d)
		fmt.Fprintf(&rise, "n%d,2026-11-%02dT10:00:00Z,S1,L1,B%d,organization,110.00,1,,encrypted_file,standard,A,direct,12,,%d,,,,,,,,\n", d, d, d%4, 8+d)
		if d%2 == 0 {
			fmt.Fprintf(&spelt, "r%d,2026-11-%02dT10:00:00Z,S1,L1,R%d,organization,125.00,1,,Encrypted_File,Standard,A,direct,12,,%d,,,,,,,,\n", d, d, d, d)
		} else {
			fmt.Fprintf(&spelt, "f%d,2026-11-%02dT10:00:00Z,S1,L1,F%d,organization,100.00,1,,encrypted_file,standard,A,direct,12,,0,,,,,,,,\n", d, d, d)
		}
	}
	var out struct {
		Flags []struct {
			Kind     string   `json:"kind"`
			TradeIDs []string `json:"trade_ids"`
		} `json:"flags"`
		Groups       int               `json:"groups"`
		Periods      string            `json:"periods"`
		PriceChanges []json.RawMessage `json:"price_changes"`
		Notes        []string          `json:"notes"`
	}
	code, stdout, stderr := shujiaoCLI(t, "audit-prices", writeFile(t, "rise.csv", rise.String()), "--json")
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || code != 0 {
		t.Fatalf("exit %d (%v): %s%s", code, err, stdout, stderr)
	}
	if len(out.Flags) != 0 || out.Periods != "inferred_price_changes" || len(out.PriceChanges) != 1 || len(out.Notes) != 1 {
		t.Errorf("the rise for everyone: %s", stdout)
	}
	code, stdout, stderr = shujiaoCLI(t, "audit-prices", writeFile(t, "spelt.csv", spelt.String()))
	if code != 1 || !strings.Contains(stdout, "price_difference") || !strings.Contains(stdout, "trade r8 (buyer R8): 125.00") {
		t.Errorf("the 25%% for repeat buyers spelt differently: exit %d\n%s%s", code, stdout, stderr)
	}
}
