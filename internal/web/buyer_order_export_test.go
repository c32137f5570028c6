package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Shaanxi Art. 72: the order page shows the class the order was placed in,
// why, its source, the exemption and the seller's filing, in both
// languages; an export placed before orders were classified says so.
func TestOrderPage_ShaanxiArt72_ShowsTheExportClass(t *testing.T) {
	h := mustHandler(t)
	o := &market.Order{ID: uuid.New(), State: market.OrderPaid, ExportClass: &market.ExportDecision{
		Class: market.ExportStandardContract, Why: "the buyer's party is overseas", Basis: "120000 individuals' personal information",
		Filing: &market.ExportFiling{Issuer: "陕西省互联网信息办公室", Number: "陕网信备〔2026〕0117号"}}}
	render := func(lang string, o *market.Order) string {
		var buf bytes.Buffer
		if err := h.pages[lang]["buyer_order"].Execute(&buf, &page{Lang: lang, Data: orderView{Order: o}}); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	for lang, want := range map[string]string{"en": "export under a standard contract or certification", "zh": "出境，须标准合同备案或认证"} {
		if got := render(lang, o); !strings.Contains(got, want) || !strings.Contains(got, "陕网信备〔2026〕0117号") || !strings.Contains(got, "120000 individuals") {
			t.Errorf("%s order page lacks the export class %q and the seller's filing", lang, want)
		}
	}
	exempt := *o
	exempt.ExportClass = &market.ExportDecision{Class: market.ExportExempt, Exemption: "contract_with_individual"}
	if got := render("en", &exempt); !strings.Contains(got, "export, exempt") || !strings.Contains(got, "contract_with_individual") {
		t.Error("the order page lacks the exemption applied")
	}
	old := *o
	old.Export, old.ExportClass = true, nil
	if got := render("en", &old); !strings.Contains(got, "placed before orders were classified") {
		t.Error("an export placed before classification is not marked as such")
	}
}
