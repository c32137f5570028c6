package market

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const validCase = `{"party": {"id": "P1", "kind": "organization"},
 "violations": [{"article": "shaanxi-36",
   "trades": [{"id": "t1", "amount": "12000.00", "refunded": "0.00", "overcharge": "0.00"}],
   "corrected": null, "factors": ["first_offence"]}]}`

func TestParsePenaltyCase_AcceptsTheDocumentedSchema(t *testing.T) {
	c, err := ParsePenaltyCase([]byte(validCase))
	if err != nil {
		t.Fatalf("ParsePenaltyCase: %v", err)
	}
	if got, want := c.Violations[0].Trades[0].Amount.String(), "12000.00"; got != want {
		t.Errorf("amount = %s, want %s", got, want)
	}
	if c.Violations[0].Corrected != nil {
		t.Errorf("corrected = %v, want nil for null (pending)", *c.Violations[0].Corrected)
	}
	// Numbers are accepted as money too, and an absent "corrected" is pending.
	c, err = ParsePenaltyCase([]byte(`{"party":{"id":"P","kind":"individual"},"violations":[{"article":"shaanxi-37","trades":[{"id":"t","amount":100,"overcharge":2.5}]}]}`))
	if err != nil {
		t.Fatalf("ParsePenaltyCase with numbers: %v", err)
	}
	if got, want := c.Violations[0].Trades[0].Overcharge.String(), "2.50"; got != want {
		t.Errorf("overcharge = %s, want %s", got, want)
	}
}

func TestParsePenaltyCase_ErrorsNameTheField(t *testing.T) {
	tests := []struct {
		name, input, field, says string
	}{
		{"a JSON syntax error gives line and column", "{\"party\": {\"id\": \"P1\",\n \"kind\": }}", "", "line 2, column"},
		{"an unknown top-level key is rejected", `{"party":{"id":"P","kind":"organization"},"violation":[]}`, "violation", "unknown key"},
		{"a missing party is rejected", `{"violations":[]}`, "party", "missing"},
		{"a party kind outside Art. 77's two kinds is rejected", `{"party":{"id":"P","kind":"company"},"violations":[]}`, "party.kind", "organization"},
		{"an empty party id is rejected", `{"party":{"id":" ","kind":"organization"},"violations":[]}`, "party.id", "missing"},
		{"a case without violations is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[]}`, "violations", "at least one"},
		{"an unknown article is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-38","trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].article", "shaanxi-36"},
		{"a bad amount names the trade", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"1"},{"id":"u","amount":"12,000"}]}]}`, "violations[0].trades[1].amount", "12,000"},
		{"an amount with fractions of a fen is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"1.005"}]}]}`, "violations[0].trades[0].amount", "fen"},
		{"a negative amount is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"-1.00"}]}]}`, "violations[0].trades[0].amount", "negative"},
		{"a missing amount is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t"}]}]}`, "violations[0].trades[0].amount", "missing"},
		{"a refund above the amount is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"10.00","refunded":"10.01"}]}]}`, "violations[0].trades[0].refunded", "more than"},
		{"an overcharge above the revenue kept is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-37","trades":[{"id":"t","amount":"10.00","refunded":"5.00","overcharge":"6.00"}]}]}`, "violations[0].trades[0].overcharge", "more than"},
		{"a trade counted twice under one article is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"1"}]},{"article":"shaanxi-36","trades":[{"id":"t","amount":"1"}]}]}`, "violations[1].trades[0].id", "twice"},
		{"a wrong JSON type names the field", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","corrected":"yes","trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].corrected", "true, false or null"},
		{"factors that are not an array are rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","factors":"repeat","trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].factors", "an array"},
		{"a party kind that is not a string is rejected", `{"party":{"id":"P","kind":1},"violations":[]}`, "party.kind", "a string"},
		{"an unknown factor is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","factors":["remorse"],"trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].factors[0]", "remorse"},
		{"a repeated factor is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","factors":["repeat","repeat"],"trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].factors[1]", "once"},
		{"first_offence with repeat is contradictory", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","factors":["first_offence","repeat"],"trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].factors[0]", "contradicts"},
		{"prompt_correction by a party that refused to correct is contradictory (Art. 75)", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-37","corrected":false,"factors":["prompt_correction"],"trades":[{"id":"t","amount":"1"}]}]}`, "violations[0].factors[0]", "refused"},
		{"an unknown key in a trade is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"1","ammount":"2"}]}]}`, "violations[0].trades[0].ammount", "unknown key"},
		{"an override fine that is not money is rejected", `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"1"}],"override":{"fine":true,"reason":"x"}}]}`, "violations[0].override.fine", "decimal"},
		{"trailing data after the case is rejected", validCase + ` {}`, "", "after the JSON value"},
		{"a case cut short gives line and column", "{\"party\": {\"id\": \"P1\",\n \"kind\": \"organization\"", "", "line 2, column 23: the JSON ends"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePenaltyCase([]byte(tt.input))
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("err = %v, want an ErrInvalid *Error", err)
			}
			if e.Field != tt.field {
				t.Errorf("field = %q, want %q (message %q)", e.Field, tt.field, e.Message)
			}
			if tt.field != "" && !strings.HasPrefix(err.Error(), tt.field+": ") {
				t.Errorf("message %q does not start with the field %q", err.Error(), tt.field)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("message %q does not say %q", err.Error(), tt.says)
			}
		})
	}
}

// FuzzParsePenaltyCase: no input panics; an accepted case computes or
// fails only on its override; every error names its field in its message.
func FuzzParsePenaltyCase(f *testing.F) {
	f.Add([]byte(validCase))
	f.Add([]byte(`{"party":{"id":"P","kind":"individual"},"violations":[{"article":"shaanxi-37","corrected":false,"trades":[{"id":"t","amount":100,"overcharge":2.5}],"override":{"fine":"20000","reason":"r"}}]}`))
	f.Add([]byte(`{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"1e3"}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParsePenaltyCase(data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Field != "" && !strings.HasPrefix(e.Message, e.Field+": ") {
				t.Fatalf("message %q does not start with its field %q", e.Message, e.Field)
			}
			return
		}
		r, err := ComputePenalty(c)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Field, "override") {
				t.Fatalf("a parsed case failed to compute on %v", err)
			}
			return
		}
		if r.TotalFine.IsNegative() || r.TotalConfiscation.IsNegative() {
			t.Fatalf("negative totals: %s, %s", r.TotalFine, r.TotalConfiscation)
		}
	})
}

func TestPenaltyCase_JSONRoundTripsThroughParse(t *testing.T) {
	c := penaltyCaseOf(PartyIndividual, PenaltyViolation{
		Article: BreachArt37, Corrected: penaltyBool(false), Factors: []PenaltyFactor{FactorCooperation},
		Trades:   []PenaltyTrade{penaltyTrade("t1", "3000.00", "100.00", "250.00")},
		Override: &PenaltyOverride{Fine: MustMoney("20000.00"), Reason: "r"},
	})
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParsePenaltyCase(b)
	if err != nil {
		t.Fatalf("ParsePenaltyCase(json.Marshal(c)): %v\n%s", err, b)
	}
	want, got := mustPenalty(t, c), mustPenalty(t, back)
	if got.TotalFine.Cmp(want.TotalFine) != 0 || got.TotalConfiscation.Cmp(want.TotalConfiscation) != 0 || got.HearingNotice != want.HearingNotice {
		t.Errorf("round trip changed the totals: fine %s, confiscation %s; want %s, %s", got.TotalFine, got.TotalConfiscation, want.TotalFine, want.TotalConfiscation)
	}
}
