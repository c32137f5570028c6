package web

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Shaanxi Art. 74, 75: a correction order whose deadline is pending (its
// working days reach a year the calendar does not cover) shows that the
// deadline is not known yet, on the regulator's case page and the seller's;
// an answer whose timeliness is not known is marked so, not "late".
func TestCorrectionPages_ShaanxiArt75_APendingDeadlineIsShownAsPending(t *testing.T) {
	h := mustHandler(t)
	o, err := market.NewCorrectionOrder(market.DefaultCalendar(), time.Date(2026, 12, 28, 9, 0, 0, 0, market.ChinaTime), 5, "下架", []market.PenaltyArticle{market.BreachArt36})
	if err != nil {
		t.Fatal(err)
	}
	answered := time.Date(2027, 1, 6, 9, 0, 0, 0, market.ChinaTime)
	o.Responses = []market.CorrectionResponse{{ID: uuid.New(), Action: market.ResponseContest, Statement: "已取得授权", RespondedAt: answered, OnTime: o.OnTimeAt(answered)}}
	o.Evaluate(answered)
	c := &market.Case{ID: uuid.New(), Status: market.CaseCorrectionOrdered, Correction: &o}
	pages := map[string]any{"reg_case": caseView{Case: c}, "seller_cases": sellerCasesView{Orders: []market.CorrectionOrder{o}}}
	for lang, want := range map[string][2]string{"en": {"not known yet", "known once the working-day calendar"}, "zh": {"待定", "是否逾期待"}} {
		for name, data := range pages {
			var buf bytes.Buffer
			if err := h.pages[lang][name].Execute(&buf, &page{Lang: lang, Data: data}); err != nil {
				t.Fatalf("%s %s: %v", lang, name, err)
			}
			got := buf.String()
			if !strings.Contains(got, want[0]) {
				t.Errorf("%s %s page does not say the deadline is pending (%q)", lang, name, want[0])
			}
			if name == "reg_case" && (!strings.Contains(got, want[1]) || strings.Contains(got, `badge bad`)) {
				t.Errorf("%s case page: an answer of unknown timeliness is not marked so, or is marked late", lang)
			}
		}
	}
}
