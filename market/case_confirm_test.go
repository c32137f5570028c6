package market

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func art37Flag(tb testing.TB, overcharges ...Overcharge) Flag {
	tb.Helper()
	ev, err := json.Marshal(PriceFlag{Rule: RuleShaanxi37, Overcharges: overcharges})
	if err != nil {
		tb.Fatal(err)
	}
	return Flag{ID: NewID(), Rule: RuleShaanxi37, Article: ArticleShaanxi37, Evidence: ev}
}

// TestCorrectionOrder_ShaanxiArt75_APriceCorrectionCountsOnceConfirmed:
// the seller's "correct" answer to an order for a Shaanxi Art. 37 breach
// counts for Art. 75 only after a regulator confirms it, with the refund
// to each overcharged counterparty in the money postings.
func TestCorrectionOrder_ShaanxiArt75_APriceCorrectionCountsOnceConfirmed(t *testing.T) {
	o, err := NewCorrectionOrder(DefaultCalendar(), time.Date(2026, 9, 30, 10, 0, 0, 0, ChinaTime), 3, "统一定价并退还多收价款", []PenaltyArticle{BreachArt37})
	if err != nil {
		t.Fatal(err)
	}
	answered := time.Date(2026, 10, 9, 9, 0, 0, 0, ChinaTime)
	o.Responses = []CorrectionResponse{{Action: ResponseCorrect, Statement: "已退款", RespondedAt: answered.UTC(), OnTime: o.OnTimeAt(answered)}}
	after := time.Date(2026, 10, 20, 9, 0, 0, 0, ChinaTime)
	o.Evaluate(after)
	if o.Status != CorrectionAwaitingConfirmation || o.Corrected != nil {
		t.Fatalf("unconfirmed: status %s corrected %v, want awaiting_confirmation and null", o.Status, o.Corrected)
	}
	flags := []Flag{art37Flag(t,
		Overcharge{TradeID: "o1", BuyerID: "b1", Overcharge: MustMoney("200.00")},
		Overcharge{TradeID: "o2", BuyerID: "b2", Overcharge: MustMoney("600.00")},
		Overcharge{TradeID: "o3", BuyerID: "b2", Overcharge: MustMoney("0")})}
	reg := Actor{UserID: UserID(NewID()), Roles: []Role{RoleRegulator}}

	t.Run("a counterparty refunded less than its overcharge blocks the confirmation", func(t *testing.T) {
		_, err := ConfirmCorrection(reg, o, flags, map[string]Money{"o1": MustMoney("200.00"), "o2": MustMoney("599.99")}, after)
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrRefused) || e.Code != "refunds_incomplete" || e.Article != "Shaanxi Art. 75" {
			t.Fatalf("error %v, want ErrRefused refunds_incomplete citing Shaanxi Art. 75", err)
		}
	})
	t.Run("only a regulator confirms", func(t *testing.T) {
		seller := Actor{Roles: []Role{RoleSeller}}
		if _, err := ConfirmCorrection(seller, o, flags, nil, after); !errors.Is(err, ErrForbidden) {
			t.Fatalf("error %v, want ErrForbidden", err)
		}
	})
	c, err := ConfirmCorrection(reg, o, flags, map[string]Money{"o1": MustMoney("200.00"), "o2": MustMoney("600.00")}, after)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Refunds) != 2 || c.Refunds[1].BuyerID != "b2" || c.Refunds[1].Overcharge.String() != "600.00" || c.Refunds[1].Refunded.String() != "600.00" {
		t.Fatalf("refunds %+v", c.Refunds)
	}
	o.Confirmation = &c
	o.Evaluate(after)
	if o.Status != CorrectionCorrected || o.Corrected == nil || !*o.Corrected {
		t.Fatalf("confirmed: status %s corrected %v (%s), want corrected true", o.Status, o.Corrected, o.Basis)
	}
	if _, err := ConfirmCorrection(reg, o, flags, nil, after); !errors.Is(err, ErrConflict) {
		t.Errorf("a second confirmation: %v, want ErrConflict", err)
	}
	t.Run("an order for an Art. 36 breach needs no confirmation", func(t *testing.T) {
		o36 := o
		o36.Breaches, o36.Confirmation = []PenaltyArticle{BreachArt36}, nil
		o36.Evaluate(after)
		if o36.Status != CorrectionCorrected {
			t.Errorf("status %s, want corrected", o36.Status)
		}
		if _, err := ConfirmCorrection(reg, o36, flags, nil, after); !errors.Is(err, ErrConflict) {
			t.Errorf("error %v, want ErrConflict", err)
		}
	})
}
