package market

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestDecideCase_OnlyRegulatorsDecide_ShaanxiArt74_75(t *testing.T) {
	reg := Actor{Roles: []Role{RoleRegulator}}
	for _, tc := range []struct {
		name  string
		actor Actor
		from  CaseStatus
		req   DecisionRequest
		to    CaseStatus
		kind  error
		code  string
	}{
		{"a regulator orders correction on an open case", reg, CaseOpen, DecisionRequest{Action: DecisionOrderCorrection, Workdays: 5, Requirement: "下架"}, CaseCorrectionOrdered, nil, ""},
		{"a regulator proceeds to penalty after a correction order", reg, CaseCorrectionOrdered, DecisionRequest{Action: DecisionProceedToPenalty}, CaseAtPenalty, nil, ""},
		{"a regulator dismisses with a reason", reg, CaseAtPenalty, DecisionRequest{Action: DecisionDismiss, Reason: "陈述申辩成立"}, CaseDismissed, nil, ""},
		{"a seller may not decide", Actor{Roles: []Role{RoleSeller}}, CaseOpen, DecisionRequest{Action: DecisionDismiss, Reason: "x"}, "", ErrForbidden, "forbidden_role"},
		{"an operator may not decide", Actor{Roles: []Role{RoleOperator}}, CaseOpen, DecisionRequest{Action: DecisionProceedToPenalty}, "", ErrForbidden, "forbidden_role"},
		{"a dismissal without a reason is refused", reg, CaseOpen, DecisionRequest{Action: DecisionDismiss, Reason: "  "}, "", ErrInvalid, "reason_required"},
		{"a correction order of 61 working days is refused", reg, CaseOpen, DecisionRequest{Action: DecisionOrderCorrection, Workdays: 61, Requirement: "x"}, "", ErrInvalid, "invalid_workdays"},
		{"a correction order without a requirement is refused", reg, CaseOpen, DecisionRequest{Action: DecisionOrderCorrection, Workdays: 3}, "", ErrInvalid, "missing_field"},
		{"workdays on a dismissal are refused", reg, CaseOpen, DecisionRequest{Action: DecisionDismiss, Reason: "x", Workdays: 3}, "", ErrInvalid, "invalid_field"},
		{"a second correction order is a conflict", reg, CaseCorrectionOrdered, DecisionRequest{Action: DecisionOrderCorrection, Workdays: 3, Requirement: "x"}, "", ErrConflict, "invalid_decision"},
		{"a dismissed case takes no decision", reg, CaseDismissed, DecisionRequest{Action: DecisionProceedToPenalty}, "", ErrConflict, "invalid_decision"},
		{"an unknown action is refused", reg, CaseOpen, DecisionRequest{Action: "fine"}, "", ErrInvalid, "invalid_action"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			to, err := DecideCase(tc.actor, tc.from, tc.req)
			if tc.kind == nil {
				if err != nil || to != tc.to {
					t.Fatalf("DecideCase = %q, %v; want %q", to, err, tc.to)
				}
				return
			}
			var me *Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &me) || me.Code != tc.code {
				t.Fatalf("DecideCase error = %v, want %v with code %s", err, tc.kind, tc.code)
			}
		})
	}
}

func TestCorrectionOrder_ShaanxiArt75_Evaluate(t *testing.T) {
	o, err := NewCorrectionOrder(DefaultCalendar(), time.Date(2026, 9, 30, 10, 0, 0, 0, ChinaTime), 3, "统一定价", []PenaltyArticle{BreachArt37})
	if err != nil {
		t.Fatal(err)
	}
	if o.Deadline != "2026-10-10" {
		t.Fatalf("deadline = %s, want 2026-10-10 (the make-up Saturday after National Day)", o.Deadline)
	}
	at := func(d, h int) time.Time { return time.Date(2026, 10, d, h, 0, 0, 0, ChinaTime) }
	resp := func(a ResponseAction, when time.Time) CorrectionResponse {
		return CorrectionResponse{Action: a, RespondedAt: when.UTC(), OnTime: o.OnTimeAt(when)}
	}
	for _, tc := range []struct {
		name      string
		responses []CorrectionResponse
		now       time.Time
		status    CorrectionStatus
		corrected string
	}{
		{"no answer before the deadline is pending", nil, at(10, 23), CorrectionPending, "null"},
		{"no answer the day after the deadline is refused", nil, at(11, 0), CorrectionRefused, "false"},
		{"a contest before the deadline is contested, not corrected", []CorrectionResponse{resp(ResponseContest, at(9, 9))}, at(9, 10), CorrectionContested, "null"},
		{"a contest does not stop the deadline", []CorrectionResponse{resp(ResponseContest, at(9, 9))}, at(12, 9), CorrectionRefused, "false"},
		{"a delisting at 23:00 on the deadline day is in time", []CorrectionResponse{resp(ResponseDelist, at(10, 23))}, at(20, 9), CorrectionCorrected, "true"},
		{"a correction the day after is late, and counts as not corrected", []CorrectionResponse{resp(ResponseCorrect, at(11, 0))}, at(11, 1), CorrectionCorrectedLate, "false"},
		{"a late correction after a contest is still late", []CorrectionResponse{resp(ResponseContest, at(9, 9)), resp(ResponseCorrect, at(12, 9))}, at(12, 10), CorrectionCorrectedLate, "false"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := o
			o.Responses = tc.responses
			o.Evaluate(tc.now)
			got := "null"
			if o.Corrected != nil {
				got = map[bool]string{true: "true", false: "false"}[*o.Corrected]
			}
			if o.Status != tc.status || got != tc.corrected || !strings.Contains(o.Basis, "2026-10-10") {
				t.Errorf("Evaluate: status %s corrected %s (%s); want %s, %s", o.Status, got, o.Basis, tc.status, tc.corrected)
			}
		})
	}
}

func TestBuildPenaltyCase_TradesFromTheRecord(t *testing.T) {
	f := func(rule, evidence string) Flag {
		return Flag{ID: uuid.New(), Rule: rule, Article: "Shaanxi Art. x", Kind: "k", Evidence: json.RawMessage(evidence)}
	}
	no := false
	rec := CaseRecord{
		Party: PenaltyParty{ID: "P", Kind: PartyOrganization},
		Flags: []Flag{
			f("shaanxi-37", `{"overcharges": [{"trade_id": "t1", "unit_price": "300.00", "quantity": "2", "overcharge": "100.00"}]}`),
			f("shaanxi-37", `{"overcharges": [{"trade_id": "t1", "unit_price": "300.00", "quantity": "2", "overcharge": "150.00"}]}`),
			f("shaanxi-36", `{"trades": [{"id": "o1", "amount": "9999.99"}]}`),
			f("tianjin-29", `{"trades": [{"id": "o9", "amount": "1.00"}]}`),
		},
		Refunds:    map[string]Money{"t1": MustMoney("50.00")},
		Correction: &CorrectionOrder{Corrected: &no, Basis: "refused"},
	}
	c, basis, err := BuildPenaltyCase(rec, PenaltyRequest{Violations: []PenaltyChoice{{Article: BreachArt37, Factors: []PenaltyFactor{"repeat"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Violations) != 2 || c.Violations[0].Article != BreachArt36 || c.Violations[1].Article != BreachArt37 {
		t.Fatalf("violations = %+v, want Art. 36 then Art. 37", c.Violations)
	}
	t1 := c.Violations[1].Trades
	if len(t1) != 1 || t1[0].Amount.String() != "600.00" || t1[0].Refunded.String() != "50.00" || t1[0].Overcharge.String() != "100.00" {
		t.Errorf("Art. 37 trades = %+v; want t1 once: 600.00, 50.00 refunded, the larger overcharge 150.00 less the 50.00 returned", t1)
	}
	if c.Violations[1].Corrected == nil || *c.Violations[1].Corrected || len(c.Violations[0].Factors) != 0 {
		t.Errorf("corrected / factors not carried: %+v", c.Violations)
	}
	if joined := strings.Join(basis, "\n"); !strings.Contains(joined, "not fined under Shaanxi Art. 74 or 75") {
		t.Errorf("basis does not say the Tianjin flag was left out:\n%s", joined)
	}
	if _, err := ComputePenalty(c); err != nil {
		t.Errorf("the built case does not compute: %v", err)
	}
	t.Run("a refund beyond the overcharge leaves no illegal gains under Art. 75", func(t *testing.T) {
		r := rec
		r.Refunds = map[string]Money{"t1": MustMoney("700.00")}
		c, _, err := BuildPenaltyCase(r, PenaltyRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if tr := c.Violations[1].Trades[0]; tr.Refunded.String() != "600.00" || !tr.Overcharge.IsZero() {
			t.Errorf("trade = %+v, want refunded capped at the 600.00 amount and no overcharge held", tr)
		}
	})
	t.Run("a choice for an article the case does not breach is refused", func(t *testing.T) {
		_, _, err := BuildPenaltyCase(CaseRecord{Party: rec.Party, Flags: rec.Flags[2:3]}, PenaltyRequest{Violations: []PenaltyChoice{{Article: BreachArt37}}})
		var me *Error
		if !errors.As(err, &me) || me.Code != "article_not_in_case" {
			t.Errorf("err = %v, want article_not_in_case", err)
		}
	})
	t.Run("flags recording no trade give nothing to compute", func(t *testing.T) {
		_, _, err := BuildPenaltyCase(CaseRecord{Party: rec.Party, Flags: []Flag{f("shaanxi-36", `{"submissions": 2}`)}}, PenaltyRequest{})
		if !errors.Is(err, ErrConflict) {
			t.Errorf("err = %v, want a no_recorded_trades conflict", err)
		}
	})
}
