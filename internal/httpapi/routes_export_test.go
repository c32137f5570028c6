package httpapi

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Shaanxi Art. 72: every order is classified; the evidence is the seller's
// registered filing, checked at order time, never a string from the buyer.
func TestOrders_ShaanxiArt72_ExportClassesFromTheSellersFiling(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	overseas := w.mustPartyIn("Pacific Analytics Ltd.", market.JurisdictionOverseas, market.RoleBuyer)
	domestic := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)
	plain := w.mustListed(ownDataDeclaration("城市出行统计 2026"))
	important := ownDataDeclaration("关中电网负荷数据")
	important["classification"], important["security_assessment_ref"] = "important", "陕网信评〔2026〕3号"
	imp := w.mustListed(important)
	ds, job := w.seller.mustCertifiedDataset(200)
	personal := ownDataDeclaration("西安市民出行健康数据集 2026")
	personal["contains_personal_info"], personal["dataset_id"], personal["certificate_id"] = true, ds.ID, job.Result.CertificateID
	personal["personal_info_subjects"] = 150000
	pi := w.mustListed(personal)
	for _, l := range []string{plain, imp, pi} {
		w.mustPlan(l, simplePlan("100.00"))
	}
	overseas.mustDeposit("1000.00")
	domestic.mustDeposit("1000.00")

	placed := func(t *testing.T, buyer *client, listing string, edit func(map[string]any)) (int, []byte) {
		body := orderRequest(buyer.mustQuote(listing, "1").ID)
		if edit != nil {
			edit(body)
		}
		return buyer.order(uuid.NewString(), body)
	}
	wantClass := func(t *testing.T, st int, b []byte, class market.ExportClass) market.Order {
		t.Helper()
		var o market.Order
		if st != http.StatusCreated {
			t.Fatalf("%d %s, want 201", st, b)
		}
		mustJSONBody(t, b, &o)
		if o.ExportClass == nil || o.ExportClass.Class != class || o.Export != (class != market.ExportNone) {
			t.Fatalf("export class %+v (export %v), want %s", o.ExportClass, o.Export, class)
		}
		// Read back, the order carries the same decision (order_exports).
		var back market.Order
		w.seller.mustDo(http.StatusOK, http.MethodGet, "/v1/orders/"+o.ID.String(), nil, &back)
		if back.ExportClass == nil || back.ExportClass.Class != class || back.ExportClass.Basis != o.ExportClass.Basis ||
			(o.ExportClass.Filing == nil) != (back.ExportClass.Filing == nil) {
			t.Errorf("read back: export class %+v, want %+v", back.ExportClass, o.ExportClass)
		}
		return o
	}
	wantRefused := func(t *testing.T, st int, b []byte, code string) {
		t.Helper()
		p := mustAPIProblem(t, b)
		if st != http.StatusUnprocessableEntity || p.Code != code || p.Article != "Shaanxi Art. 72" {
			t.Fatalf("%d %s, want 422 %s citing Shaanxi Art. 72", st, b, code)
		}
	}

	t.Run("TestOrders_ShaanxiArt72_OverseasBuyerOfGeneralNonPersonalDataIsExempt", func(t *testing.T) {
		st, b := placed(t, overseas, plain, nil)
		wantClass(t, st, b, market.ExportExempt)
	})
	t.Run("TestOrders_ShaanxiArt72_DomesticBuyerIsNoExport", func(t *testing.T) {
		st, b := placed(t, domestic, plain, nil)
		wantClass(t, st, b, market.ExportNone)
	})
	t.Run("TestOrders_ShaanxiArt72_MainlandBuyerDeclaringOnwardTransferIsAnExport", func(t *testing.T) {
		st, b := placed(t, domestic, imp, func(m map[string]any) { m["onward_transfer_abroad"] = true })
		wantRefused(t, st, b, "export_assessment_required")
	})
	t.Run("TestOrders_ShaanxiArt72_MainlandBuyerWithOverseasControllerIsAnExport", func(t *testing.T) {
		controlled := w.mustParty("深圳外资控股数据公司", market.PartyParticipant, market.RoleBuyer)
		// the party declares it itself (PUT /v1/parties/{id}/controller)
		controlled.mustDo(http.StatusOK, http.MethodPut, "/v1/parties/"+controlled.partyID.String()+"/controller",
			map[string]any{"controller_overseas": true}, nil)
		controlled.mustDeposit("100.00")
		st, b := placed(t, controlled, plain, nil)
		wantClass(t, st, b, market.ExportExempt)
	})
	t.Run("TestOrders_ShaanxiArt72_BuyersStringIsNoEvidence", func(t *testing.T) {
		st, b := placed(t, overseas, pi, func(m map[string]any) { m["export_assessment_ref"] = "CAC-SJ-2026-0042" })
		wantRefused(t, st, b, "export_filing_required")
		if n := w.count(`SELECT 1 FROM flags WHERE rule = 'shaanxi-72' AND article = 'Shaanxi Art. 72'`); n < 1 {
			t.Errorf("no regulator flag for the refused export")
		}
	})
	t.Run("TestOrders_ShaanxiArt72_SellersFilingCoversTheExport", func(t *testing.T) {
		// Only the seller registers, only for its own listings.
		filing := map[string]any{"kind": "standard_contract", "issuer": "陕西省互联网信息办公室", "number": "陕网信备〔2026〕017号",
			"listing_ids": []string{pi}, "valid_from": "2026-01-01", "valid_to": "2099-12-31"}
		if st, b := overseas.do(http.MethodPost, "/v1/export-filings", filing); st != http.StatusForbidden {
			t.Fatalf("a buyer registered a filing: %d %s", st, b)
		}
		var f market.ExportFiling
		w.seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/export-filings", filing, &f)
		st, b := placed(t, overseas, pi, nil)
		o := wantClass(t, st, b, market.ExportStandardContract)
		if o.ExportClass.Filing == nil || o.ExportClass.Filing.ID != f.ID || o.ExportClass.CumulativePersonal < 150000 {
			t.Errorf("export %+v, want the seller's filing %s and the cumulative count", o.ExportClass, f.ID)
		}
		var list struct {
			Items []market.ExportFiling `json:"items"`
		}
		w.seller.mustDo(http.StatusOK, http.MethodGet, "/v1/export-filings", nil, &list)
		if len(list.Items) != 1 || list.Items[0].Number != "陕网信备〔2026〕017号" {
			t.Errorf("filings %+v", list.Items)
		}
	})
	t.Run("TestOrders_ShaanxiArt72_2024ProvisionsArt5_1_DeclaredExemptionNeedsNoFiling", func(t *testing.T) {
		// personal information, no filing covering this buyer's order needed: the contract with the individual
		before := w.count(`SELECT 1 FROM order_exports WHERE seller_id = $1 AND personal_subjects = 0 AND decision->>'exemption' = 'contract-with-individual'`, w.seller.partyID)
		st, b := placed(t, overseas, pi, func(m map[string]any) {
			m["export_exemption"] = map[string]any{"exemption": "contract-with-individual", "justification": []string{"跨境寄递"}}
		})
		o := wantClass(t, st, b, market.ExportExempt)
		if o.ExportClass.Exemption != "contract-with-individual" || len(o.ExportClass.Justification) != 1 || o.ExportClass.Justification[0] != "cross_border_delivery" {
			t.Errorf("export %+v, want the declared exemption and its justification", o.ExportClass)
		}
		if n := w.count(`SELECT 1 FROM order_exports WHERE seller_id = $1 AND personal_subjects = 0 AND decision->>'exemption' = 'contract-with-individual'`, w.seller.partyID); n != before+1 {
			t.Errorf("recorded exempt exports %d, want %d (not counted towards the thresholds)", n, before+1)
		}
		st, b = placed(t, overseas, pi, func(m map[string]any) {
			m["export_exemption"] = map[string]any{"exemption": "contract-with-individual", "justification": []string{"市场推广"}}
		})
		if p := mustAPIProblem(t, b); st != http.StatusBadRequest || p.Code != "unknown_justification" || !strings.Contains(p.Detail, "市场推广") {
			t.Errorf("an unknown justification: %d %s, want 400 unknown_justification naming the word", st, b)
		}
	})
	t.Run("TestOrders_ShaanxiArt72_2024ProvisionsArt5_DeclaredExemptionDoesNotCoverImportantData", func(t *testing.T) {
		st, b := placed(t, overseas, imp, func(m map[string]any) {
			m["export_exemption"] = map[string]any{"exemption": "emergency", "justification": []string{"生命健康"}}
		})
		wantRefused(t, st, b, "export_assessment_required")
	})
	t.Run("TestOrders_ShaanxiArt72_SellerCountsAccumulateToTheAssessmentThreshold", func(t *testing.T) {
		// 150,000 individuals per order: the seventh export this year reaches 1,000,000.
		n := w.count(`SELECT 1 FROM order_exports WHERE seller_id = $1`, w.seller.partyID)
		if _, err := w.pool.Exec(t.Context(), `INSERT INTO order_exports (order_id, seller_id, buyer_id, class, personal_subjects, sensitive_subjects, decision, created_at)
SELECT id, seller_id, buyer_id, 'standard_contract_or_certification', 800000, 0, '{}', now() FROM orders WHERE seller_id = $1 LIMIT 1
ON CONFLICT (order_id) DO UPDATE SET personal_subjects = 800000`, w.seller.partyID); err != nil || n == 0 {
			t.Fatalf("seed counts: %v (%d exports)", err, n)
		}
		st, b := placed(t, overseas, pi, nil)
		wantRefused(t, st, b, "export_assessment_required")
	})
	t.Run("TestOrders_ShaanxiArt72_ListsCarryEveryOrdersExportClass", func(t *testing.T) {
		var list struct {
			Orders []market.Order `json:"orders"`
		}
		overseas.mustDo(http.StatusOK, http.MethodGet, "/v1/orders", nil, &list)
		classes := map[market.ExportClass]int{}
		for _, o := range list.Orders {
			if o.ExportClass == nil {
				t.Fatalf("order %s listed without its export class", o.ID)
			}
			classes[o.ExportClass.Class]++
		}
		if classes[market.ExportExempt] == 0 || classes[market.ExportStandardContract] == 0 || classes[market.ExportNone] != 0 {
			t.Errorf("the overseas buyer's orders by class %v: want exempt and standard contract, no not_export", classes)
		}
	})
}
