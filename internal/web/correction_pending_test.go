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

// APL Art. 64(1), 85: a statement window and periods that reach a year the
// working-day calendar does not cover are shown as pending on the
// procedure page, never as an empty or guessed date.
func TestProcedurePage_APL85_PendingDatesAreShownAsPending(t *testing.T) {
	h := mustHandler(t)
	served := market.MustDate("2026-12-28")
	p := &market.Procedure{CaseID: uuid.New(), State: market.ProcDecisionServed,
		NoticeService: &market.Service{Method: "direct", ServedOn: served, Receipt: "签收"},
		Window:        &market.ProcedureWindow{Start: market.MustDate("2026-12-29"), Workdays: 5, EndPending: "the working-day calendar does not cover 2027"},
		Decision:      &market.ProcedureDecision{DecidedOn: market.MustDate("2026-12-30")}, ServeByPending: "the working-day calendar does not cover 2027",
		PaymentDue: market.MustDate("2027-01-14"), ReviewBy: market.MustDate("2027-02-28"), SueBy: market.MustDate("2027-06-30"),
		PeriodsPending: "the working-day calendar does not cover 2027"}
	for lang, want := range map[string][2]string{"en": {"not known yet", "earliest they can be"}, "zh": {"待定", "最早可能日期"}} {
		var buf bytes.Buffer
		if err := h.pages[lang]["reg_procedure"].Execute(&buf, &page{Lang: lang, Data: procedureView{CaseID: p.CaseID, Proc: p}}); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		got := buf.String()
		if strings.Count(got, want[0]) < 2 || !strings.Contains(got, want[1]) {
			t.Errorf("%s procedure page: want the window end and serve-by shown pending (%q twice) and the periods' note (%q)", lang, want[0], want[1])
		}
	}
}
