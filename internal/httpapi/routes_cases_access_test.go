package httpapi

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// TestCases_ShaanxiArt74_75_CrossPartyAccess: only regulators see the
// queue and decide (Shaanxi Art. 74, 75: the penalty is the
// administration's); a seller sees and answers only its own party's flags
// and correction orders; a buyer sees neither.
func TestCases_ShaanxiArt74_75_CrossPartyAccess(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	fa := cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence())
	fb := cw.raise(t, cw.sellerB, "shaanxi-36", "Shaanxi Art. 36", "repeated_submission", map[string]any{"submissions": 2})
	c := cw.openCase(t, fa)
	c = cw.decide(t, c.ID, `{"action": "order_correction", "workdays": 3, "requirement": "统一定价"}`)
	orderPath := "/v1/correction-orders/" + c.Correction.ID + "/response"

	t.Run("sellers and buyers are refused every regulator route with 403 forbidden_role", func(t *testing.T) {
		for _, tok := range []string{cw.tokSellerA, cw.tokSellerB, cw.tokBuyer, cw.tokOp} {
			for _, r := range []req{
				{method: "GET", path: "/v1/regulator/flags"},
				{method: "GET", path: "/v1/regulator/flags/" + fa.ID.String()},
				{method: "POST", path: "/v1/regulator/cases", body: `{"flag_ids": ["` + fb.ID.String() + `"]}`},
				{method: "GET", path: "/v1/regulator/cases"},
				{method: "GET", path: "/v1/regulator/cases/" + c.ID},
				{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/notes", body: `{"text": "x"}`},
				{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/decision", body: `{"action": "dismiss", "reason": "x"}`},
				{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/penalty", body: `{}`},
				{method: "GET", path: "/v1/regulator/cases/" + c.ID + "/documents/correction"},
			} {
				r.token = tok
				mustProblem(t, cw.do(t, r), http.StatusForbidden, "forbidden_role")
			}
		}
	})
	t.Run("a seller sees only its own party's flags", func(t *testing.T) {
		for _, tc := range []struct {
			tok  string
			want market.Flag
		}{{cw.tokSellerA, fa}, {cw.tokSellerB, fb}} {
			var got struct{ Flags []market.Flag }
			mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/flags", token: tc.tok}), 200, &got)
			if len(got.Flags) != 1 || got.Flags[0].ID != tc.want.ID {
				t.Errorf("flags = %+v, want only %s", got.Flags, tc.want.ID)
			}
		}
		var got struct{ Flags []market.Flag }
		mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/flags?party_id=" + cw.sellerA.ID.String(), token: cw.tokSellerB}), 200, &got)
		if len(got.Flags) != 1 || got.Flags[0].ID != fb.ID {
			t.Errorf("seller B asking for A's flags got %+v, want only its own", got.Flags)
		}
	})
	t.Run("a seller sees only its own party's correction orders", func(t *testing.T) {
		var a, b struct {
			Orders []market.CorrectionOrder `json:"correction_orders"`
		}
		mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/correction-orders", token: cw.tokSellerA}), 200, &a)
		mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/correction-orders", token: cw.tokSellerB}), 200, &b)
		if len(a.Orders) != 1 || a.Orders[0].ID.String() != c.Correction.ID || a.Orders[0].Deadline != "2026-10-10" {
			t.Errorf("seller A's orders = %+v, want its one order due 2026-10-10", a.Orders)
		}
		if len(b.Orders) != 0 {
			t.Errorf("seller B sees %d orders of another party", len(b.Orders))
		}
	})
	t.Run("another party's seller cannot answer the order: 404, nothing recorded", func(t *testing.T) {
		mustProblem(t, cw.do(t, req{method: "POST", path: orderPath, token: cw.tokSellerB, body: `{"action": "correct", "statement": "x"}`}),
			http.StatusNotFound, "correction_order_not_found")
		mustProblem(t, cw.do(t, req{method: "POST", path: orderPath, token: cw.tokBuyer, body: `{"action": "correct", "statement": "x"}`}),
			http.StatusForbidden, "forbidden_role")
		mustProblem(t, cw.do(t, req{method: "GET", path: "/v1/flags", token: cw.tokBuyer}), http.StatusForbidden, "forbidden_role")
		v := cw.call(t, "GET", "/v1/regulator/cases/"+c.ID, cw.tokRegulator, "", 200)
		if v.Correction.Status != "pending" {
			t.Errorf("order status = %s, want pending", v.Correction.Status)
		}
	})
	t.Run("the party's own seller answers; delist needs a flagged listing", func(t *testing.T) {
		mustProblem(t, cw.do(t, req{method: "POST", path: orderPath, token: cw.tokSellerA, body: `{"action": "delist"}`}),
			http.StatusBadRequest, "no_listing_to_delist")
		mustProblem(t, cw.do(t, req{method: "POST", path: orderPath, token: cw.tokSellerA, body: `{"action": "contest"}`}),
			http.StatusBadRequest, "statement_required")
		rec := cw.do(t, req{method: "POST", path: orderPath, token: cw.tokSellerA, body: `{"action": "contest", "statement": "差价系批量折扣"}`})
		var o market.CorrectionOrder
		mustJSON(t, rec, http.StatusCreated, &o)
		if o.Status != market.CorrectionContested || len(o.Responses) != 1 || o.Responses[0].OnTime == nil || !*o.Responses[0].OnTime {
			t.Errorf("after contesting: %+v", o)
		}
	})
}

// TestCases_DecisionsFollowTheStateMachine: a dismissal needs a reason and
// dismisses the flags; a dismissed case takes no further decision; a flag
// already in a case opens no second one; a case concerns one party.
func TestCases_DecisionsFollowTheStateMachine(t *testing.T) {
	t.Parallel()
	cw := mustCaseWorld(t, time.Date(2026, 9, 30, 10, 0, 0, 0, chinaCST))
	fa := cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence())
	fb := cw.raise(t, cw.sellerB, "shaanxi-36", "Shaanxi Art. 36", "repeated_submission", map[string]any{"submissions": 2})
	ids := func(fs ...market.Flag) string {
		b, _ := json.Marshal(caseFlagIDs(fs))
		return `{"flag_ids": ` + string(b) + `}`
	}
	mustProblem(t, cw.do(t, req{method: "POST", path: "/v1/regulator/cases", token: cw.tokRegulator, body: ids(fa, fb)}),
		http.StatusBadRequest, "flags_of_several_parties")
	c := cw.openCase(t, fa)
	mustProblem(t, cw.do(t, req{method: "POST", path: "/v1/regulator/cases", token: cw.tokRegulator, body: ids(fa)}),
		http.StatusConflict, "flag_not_open")
	decide := func(body string) *httptest.ResponseRecorder {
		return cw.do(t, req{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/decision", token: cw.tokRegulator, body: body})
	}
	mustProblem(t, decide(`{"action": "dismiss"}`), http.StatusBadRequest, "reason_required")
	mustProblem(t, decide(`{"action": "order_correction", "workdays": 0, "requirement": "x"}`), http.StatusBadRequest, "invalid_workdays")
	mustProblem(t, cw.do(t, req{method: "POST", path: "/v1/regulator/cases/" + c.ID + "/penalty", token: cw.tokRegulator, body: `{}`}),
		http.StatusConflict, "penalty_not_decided")
	mustProblem(t, cw.do(t, req{method: "GET", path: "/v1/regulator/cases/" + c.ID + "/documents/penalty-notice", token: cw.tokRegulator}),
		http.StatusConflict, "no_penalty")
	c = cw.decide(t, c.ID, `{"action": "dismiss", "reason": "差价有批量折扣依据"}`)
	if c.Status != "dismissed" {
		t.Fatalf("status = %s", c.Status)
	}
	var f market.Flag
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/regulator/flags/" + fa.ID.String(), token: cw.tokRegulator}), 200, &f)
	if f.Status != market.FlagDismissed {
		t.Errorf("flag after dismissal = %s, want dismissed", f.Status)
	}
	mustProblem(t, decide(`{"action": "proceed_to_penalty"}`), http.StatusConflict, "invalid_decision")
	var list struct{ Cases []market.CaseSummary }
	mustJSON(t, cw.do(t, req{method: "GET", path: "/v1/regulator/cases?status=dismissed", token: cw.tokRegulator}), 200, &list)
	if len(list.Cases) != 1 || list.Cases[0].Status != market.CaseDismissed || !strings.Contains(strings.Join(list.Cases[0].Articles, ","), "Art. 37") {
		t.Errorf("dismissed cases = %+v", list.Cases)
	}
}
