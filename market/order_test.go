package market

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestOrderMove_StateMachine(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		from   OrderState
		action OrderAction
		side   string
		to     OrderState
		err    error
	}{
		{"the buyer accepts a paid order", OrderPaid, OrderActionAccept, "buyer", OrderSettled, nil},
		{"the buyer accepts a delivered order", OrderDelivered, OrderActionAccept, "buyer", OrderSettled, nil},
		{"the buyer withdraws a dispute by accepting", OrderDisputed, OrderActionAccept, "buyer", OrderSettled, nil},
		{"the seller cannot accept for the buyer", OrderPaid, OrderActionAccept, "seller", OrderPaid, ErrForbidden},
		{"the buyer cancels before delivery", OrderPaid, OrderActionCancel, "buyer", OrderCancelled, nil},
		{"the buyer cannot cancel after delivery", OrderDelivered, OrderActionCancel, "buyer", OrderDelivered, ErrConflict},
		{"the buyer disputes a delivery", OrderDelivered, OrderActionDispute, "buyer", OrderDisputed, nil},
		{"the seller refunds a dispute", OrderDisputed, OrderActionRefund, "seller", OrderRefunded, nil},
		{"an operator refunds a paid order", OrderPaid, OrderActionRefund, "operator", OrderRefunded, nil},
		{"the buyer cannot refund itself", OrderDisputed, OrderActionRefund, "buyer", OrderDisputed, ErrForbidden},
		{"a settled order is never refunded", OrderSettled, OrderActionRefund, "operator", OrderSettled, ErrConflict},
		{"the platform auto-settles a delivered order", OrderDelivered, OrderActionAutoSettle, "platform", OrderSettled, nil},
		{"the platform never auto-settles an order that was not delivered", OrderPaid, OrderActionAutoSettle, "platform", OrderPaid, ErrConflict},
		{"the platform auto-refunds a paid order that was not delivered", OrderPaid, OrderActionAutoRefund, "platform", OrderRefunded, nil},
		{"the platform never auto-refunds a delivered order", OrderDelivered, OrderActionAutoRefund, "platform", OrderDelivered, ErrConflict},
		{"a seller cannot take the platform's auto-refund", OrderPaid, OrderActionAutoRefund, "seller", OrderPaid, ErrForbidden},
		{"the platform never auto-settles a disputed order", OrderDisputed, OrderActionAutoSettle, "platform", OrderDisputed, ErrConflict},
		{"a regulator cannot move an order", OrderPaid, OrderActionCancel, "regulator", OrderPaid, ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := &Order{State: tt.from}
			err := o.Move(tt.action, tt.side, at)
			if !errors.Is(err, tt.err) && !(err == nil && tt.err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if o.State != tt.to {
				t.Errorf("state = %s, want %s", o.State, tt.to)
			}
		})
	}
}

func TestOrder_SettleDueAndFee(t *testing.T) {
	t.Parallel()
	due := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	o := &Order{State: OrderPaid, SettleAfter: 7 * 24 * time.Hour}
	if err := o.Move(OrderActionDeliver, "buyer", due.Add(-7*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if o.SettleDueAt == nil || !o.SettleDueAt.Equal(due) {
		t.Fatalf("settle_due_at = %v, want %v: the auto-settlement period counts from delivery", o.SettleDueAt, due)
	}
	if o.SettleDue(due.Add(-time.Second)) || !o.SettleDue(due) {
		t.Error("an order is due for auto-settlement from its settlement date on, not before")
	}
	undelivered := &Order{State: OrderPaid, SettleDueAt: &due, DeliverBy: &due}
	if undelivered.SettleDue(due.Add(time.Hour)) {
		t.Error("an order that was never delivered is never due for auto-settlement")
	}
	if undelivered.RefundDue(due.Add(-time.Second)) || !undelivered.RefundDue(due) {
		t.Error("an undelivered order is due for its automatic refund from its delivery deadline on, not before")
	}
	o.State = OrderDisputed
	if o.SettleDue(due.Add(time.Hour)) {
		t.Error("a disputed order is never due for auto-settlement")
	}
	if got := Fee(MustMoney("333.33"), decimal.RequireFromString("0.02")); got.String() != "6.67" {
		t.Errorf("fee of 333.33 at 2 %% = %s, want 6.67 (half-up to the fen)", got)
	}
	if ValidFeeRate(decimal.NewFromInt(1)) == nil || ValidFeeRate(decimal.RequireFromString("-0.01")) == nil || ValidFeeRate(decimal.Zero) != nil {
		t.Error("fee rates must be in [0, 1)")
	}
}

func TestOrderRequest_ValidateNamesTheField(t *testing.T) {
	t.Parallel()
	base := func() OrderRequest {
		return OrderRequest{QuoteID: NewQuoteID(), UsagePurpose: " analysis ", Licence: LicenceTerms{Accepted: true, Terms: "v1", Scope: []string{"internal"}}}
	}
	tests := []struct {
		name  string
		edit  func(*OrderRequest)
		field string
	}{
		{"a complete request is valid", func(*OrderRequest) {}, ""},
		{"a missing quote is refused", func(r *OrderRequest) { r.QuoteID = [16]byte{} }, "quote_id"},
		{"a blank usage purpose is refused", func(r *OrderRequest) { r.UsagePurpose = "  " }, "usage_purpose"},
		{"unaccepted licence terms are refused", func(r *OrderRequest) { r.Licence.Accepted = false }, "licence.accepted"},
		{"licence terms without a scope are refused", func(r *OrderRequest) { r.Licence.Scope = nil }, "licence.scope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base()
			tt.edit(&r)
			r.Normalize()
			err := r.Validate()
			var e *Error
			if tt.field == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if !errors.As(err, &e) || e.Field != tt.field {
				t.Fatalf("err = %v, want one naming %s", err, tt.field)
			}
		})
	}
}
