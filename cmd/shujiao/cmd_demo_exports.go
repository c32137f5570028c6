package main

import (
	"context"
	"fmt"

	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// demoImportantTitle is the demo's listing of important data, exported
// under a security assessment (Shaanxi Art. 72).
const demoImportantTitle = "关中电网负荷曲线 2026（重要数据）"

// seedExportFilings registers, as the sellers themselves, the evidence the
// demo's exports are checked against (Shaanxi Art. 72): seller A's
// personal-information standard contract filing for its certified
// dataset, and seller B's data-export security assessment for its
// important data.
func seedExportFilings(ctx context.Context, w *demoWorld, listings map[string]*market.ListingRecord) error {
	svc := market.NewExportFilings(postgres.NewExportFilingStore(w.ledger.pool), func() time.Time { return w.now })
	from, to := market.MustDate(w.now.AddDate(0, -2, 0).Format("2006-01-02")), market.MustDate(w.now.AddDate(2, 0, 0).Format("2006-01-02"))
	filings := []struct {
		seller, title string
		kind          market.FilingKind
		issuer, num   string
	}{
		{"seller-a", "西安市民出行与健康画像 2026（去标识化）", market.FilingStandardContract, "陕西省互联网信息办公室", "陕网信备〔2026〕0117号"},
		{"seller-b", demoImportantTitle, market.FilingSecurityAssessment, "国家互联网信息办公室", "国网信评〔2026〕0042号"},
	}
	for _, f := range filings {
		l, ok := listings[f.title]
		if !ok {
			return fmt.Errorf("export filing: no listed product %q", f.title)
		}
		if _, err := svc.Register(ctx, w.accounts[f.seller].Actor, market.ExportFiling{Kind: f.kind, Issuer: f.issuer, Number: f.num,
			ListingIDs: []uuid.UUID{l.ID}, ValidFrom: from, ValidTo: to}); err != nil {
			return fmt.Errorf("export filing %s: %w", f.num, err)
		}
	}
	return nil
}
