package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// TestCases_ShaanxiArt75_RegulatorTakesFlagToPenaltyWithDocuments follows
// an Art. 37 flag through the API: the queue, a case, a note, a correction
// order served on 30 Sep 2026 with 3 working days (due Sat 10 Oct, the
// make-up workday after National Day), no correction by then, the penalty
// (Art. 75 fine for refusing to correct, heavier band for a repeat) and
// the three documents, every step in the ledger.
func TestCases_ShaanxiArt75_RegulatorTakesFlagToPenaltyWithDocuments(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	flag := cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence())
	cw.raise(t, cw.sellerB, "shaanxi-36", "Shaanxi Art. 36", "repeated_submission", map[string]any{"submissions": 2})

	var queue struct{ Flags []market.Flag }
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/regulator/flags?article=Shaanxi+Art.+37&status=open", token: cw.tokRegulator}), 200, &queue)
	if len(queue.Flags) != 1 || queue.Flags[0].ID != flag.ID {
		t.Fatalf("queue filtered on Art. 37 = %+v, want the one Art. 37 flag", queue.Flags)
	}
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/regulator/flags?party_id=" + cw.sellerB.ID.String(), token: cw.tokRegulator}), 200, &queue)
	if len(queue.Flags) != 1 || queue.Flags[0].Rule != "shaanxi-36" {
		t.Fatalf("queue filtered on party B = %+v, want B's Art. 36 flag", queue.Flags)
	}

	c := cw.openCase(t, flag)
	if c.Status != "open" {
		t.Fatalf("new case status = %q", c.Status)
	}
	var got market.Flag
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/regulator/flags/" + flag.ID.String(), token: cw.tokRegulator}), 200, &got)
	if got.Status != market.FlagInCase {
		t.Errorf("flag status after opening the case = %q, want in_case", got.Status)
	}
	cw.call(t, "POST", "/v1/regulator/cases/"+c.ID+"/notes", cw.tokRegulator,
		`{"text": "询问笔录已归档", "document": {"title": "询问笔录", "sha256": "`+strings.Repeat("ab", 32)+`"}}`, http.StatusCreated)

	c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 3, "requirement": "按价格方案向交易条件相同的买方统一定价，退还多收价款"}`)
	if c.Status != "correction_ordered" || c.Correction == nil || c.Correction.Deadline != "2026-10-10" {
		t.Fatalf("after ordering correction: %+v, want deadline 2026-10-10 (3 working days after 30 Sep across National Day)", c.Correction)
	}
	cw.cases.Add(12 * 24 * time.Hour) // Mon 12 Oct: the deadline has passed
	c = cw.decide(t, c.ID, `{"action": "proceed_to_penalty", "reason": "逾期未改正"}`)
	if c.Correction.Status != "refused" || c.Correction.Corrected == nil || *c.Correction.Corrected {
		t.Fatalf("correction after the deadline = %+v, want refused with corrected false", c.Correction)
	}
	c = cw.call(t, "POST", "/v1/regulator/cases/"+c.ID+"/penalty", cw.tokRegulator,
		`{"violations": [{"article": "shaanxi-37", "factors": ["repeat"]}]}`, http.StatusOK)
	r := c.Penalty.Result
	if len(r.Violations) != 1 {
		t.Fatalf("penalty violations = %+v", r.Violations)
	}
	v := r.Violations[0]
	for _, chk := range []struct{ name, got, want string }{
		{"article", v.Article, "Shaanxi Art. 75"},
		{"transaction amount", v.TransactionAmount.String(), "3800.00"},
		{"confiscation", v.Confiscation.String(), "800.00"},
		{"fine_min", v.FineMin.String(), "10000.00"},
		{"fine_max", v.FineMax.String(), "100000.00"},
		{"fine_recommended", v.FineRecommended.String(), "86500.00"},
		{"total_fine", r.TotalFine.String(), "86500.00"},
	} {
		if chk.got != chk.want {
			t.Errorf("%s = %s, want %s", chk.name, chk.got, chk.want)
		}
	}
	if !v.FineApplies || r.HearingNotice {
		t.Errorf("fine_applies = %v, hearing_notice = %v; want a fine and no Art. 77 notice under 200,000", v.FineApplies, r.HearingNotice)
	}

	for kind, want := range map[string][]string{
		"correction":       {"责令改正通知书", "2026年10月10日", "第三十七条"},
		"penalty-notice":   {"行政处罚告知书", "86,500.00元", "800.00元", "第七十五条"},
		"penalty-decision": {"行政处罚决定书", "86,500.00元", "甲数据公司"},
	} {
		rec := cw.do(t, req{method: "GET", path: "/v1/regulator/cases/" + c.ID + "/documents/" + kind, token: cw.tokRegulator})
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("%s: status %d, type %q: %s", kind, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		for _, s := range want {
			if !strings.Contains(rec.Body.String(), s) {
				t.Errorf("%s does not say %q", kind, s)
			}
		}
	}

	var kinds []string
	rows, err := cw.pool.Query(context.Background(), `SELECT kind FROM ledger_entries WHERE subject_id = $1 ORDER BY seq`, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, k)
	}
	want := []string{"case.opened", "case.note_added", "case.correction_ordered", "case.decided", "case.decided", "case.penalty_computed"}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Errorf("ledger events of the case = %v, want %v", kinds, want)
	}
}

// TestCases_ShaanxiArt74_And75_OneCaseTwoViolations computes a case with
// an Art. 36 flag recording a 10,000.00 trade (upper band, 一万元以上
// includes the bound) and an Art. 37 flag, with an override and a hearing
// notice (Shaanxi Art. 77); the stored case file is what `shujiao penalty`
// reads and gives the same figures.
func TestCases_ShaanxiArt74_And75_OneCaseTwoViolations(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	f36 := cw.raise(t, cw.sellerA, "shaanxi-36", "Shaanxi Art. 36(1)", "unauthorized_source",
		map[string]any{"trades": []map[string]string{{"id": "o-1", "amount": "10000.00", "refunded": "1000.00"}}})
	f37 := cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence())
	c := cw.openCase(t, f36, f37)
	cw.decide(t, c.ID, `{"action": "proceed_to_penalty"}`)
	c = cw.call(t, "POST", "/v1/regulator/cases/"+c.ID+"/penalty", cw.tokRegulator,
		`{"violations": [{"article": "shaanxi-36", "factors": [], "override": {"fine": "250000.00", "reason": "违法所得已部分退还"}}]}`, http.StatusOK)
	r := c.Penalty.Result
	if len(r.Violations) != 2 {
		t.Fatalf("violations = %d, want Art. 74 and Art. 75", len(r.Violations))
	}
	v74, v75 := r.Violations[0], r.Violations[1]
	if v74.Article != "Shaanxi Art. 74" || v74.FineMin.String() != "200000.00" || v74.Confiscation.String() != "9000.00" || v74.Fine.String() != "250000.00" {
		t.Errorf("Art. 74 = %s range %s–%s confiscation %s fine %s; want the upper band, 9000.00 confiscated, the 250000.00 override",
			v74.Article, v74.FineMin, v74.FineMax, v74.Confiscation, v74.Fine)
	}
	if v75.Article != "Shaanxi Art. 75" || v75.FineApplies || v75.Corrected != nil {
		t.Errorf("Art. 75 without a correction order: fine_applies %v corrected %v; want no fine while pending", v75.FineApplies, v75.Corrected)
	}
	if !r.HearingNotice || r.TotalFine.String() != "250000.00" || r.TotalConfiscation.String() != "9800.00" {
		t.Errorf("totals %s / %s, hearing %v; want 250000.00 fine, 9800.00 confiscated, Art. 77 notice due", r.TotalFine, r.TotalConfiscation, r.HearingNotice)
	}

	// The stored case file computes the same figures as the engine `shujiao penalty` runs.
	pc, err := market.ParsePenaltyCase(c.Penalty.Input)
	if err != nil {
		t.Fatalf("stored case file does not parse as a CLI case file: %v\n%s", err, c.Penalty.Input)
	}
	offline, err := market.ComputePenalty(pc)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(offline)
	b, _ := json.Marshal(r)
	if string(a) != string(b) {
		t.Errorf("offline result differs from the API's:\n%s\n%s", a, b)
	}
}
