package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// Issue 16: a delivery of rows chosen from the certified release opens
// when content.json names the certified release and the delivered file's
// hash; rows not chosen from it, or changed, are refused.
func TestOpenDelivery_RowsChosenFromTheCertifiedRelease(t *testing.T) {
	f := newDeliveryFixture(t)
	all := f.entries(t)
	rows := []byte(strings.Join(strings.SplitAfter(string(all[0].body), "\n")[:4], "")) // header and 3 rows
	body, _ := os.ReadFile(f.cert)
	cert, err := anonymizer.ParseCertificate(body)
	if err != nil {
		t.Fatal(err)
	}
	record := func(release string, data []byte) []byte {
		sum := sha256.Sum256(data)
		n := int64(3)
		b, _ := json.Marshal(market.DeliveredContent{Unit: market.UnitPer1000Records, Quantity: decimal.RequireFromString("0.003"),
			Selection: market.SelectFirstRows, RowsDelivered: &n, File: "part.csv", SHA256: hex.EncodeToString(sum[:]), ReleaseSHA256: release})
		return b
	}
	sealed := func(data, content []byte) string {
		return f.seal(t, f.platform, tarEntry{"part.csv", data}, all[1], all[2], all[3], tarEntry{"content.json", content})
	}

	out := filepath.Join(t.TempDir(), "order")
	code, stdout, stderr := shujiaoCLI(t, "open-delivery", sealed(rows, record(cert.Release.SHA256, rows)), "--key", f.buyerKeyFile,
		"--signer", f.platformKeyFile, "--out", out)
	if code != 0 || !strings.Contains(stdout, "part.csv holds 3 rows (first_rows") {
		t.Fatalf("exit %d: %s%s, want OK naming the 3 rows", code, stdout, stderr)
	}
	changed := append([]byte{}, rows...)
	changed[len(changed)-2] ^= 1
	for _, tt := range []struct{ name, delivery, want string }{
		{"rows not chosen from the certified release", sealed(rows, record(strings.Repeat("0", 64), rows)), "not chosen from the certified release"},
		{"rows changed after delivery was sealed", sealed(changed, record(cert.Release.SHA256, rows)), "is not the delivered content"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "order")
			code, stdout, stderr := shujiaoCLI(t, "open-delivery", tt.delivery, "--key", f.buyerKeyFile, "--signer", f.platformKeyFile, "--out", out)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d: %s%s, want exit 1 saying %q", code, stdout, stderr, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a refused delivery left its directory behind")
			}
		})
	}
}
