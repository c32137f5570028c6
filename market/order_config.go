package market

import (
	"time"

	"github.com/shopspring/decimal"
)

// OrderConfig holds the money settings of orders: the platform's fee rate
// (a fraction of the amount, taken at settlement), how long after delivery
// an order that is neither accepted nor disputed is settled automatically,
// and how long after payment an order that was never delivered is refunded
// to the buyer automatically. Each order keeps the settings it was placed
// under.
type OrderConfig struct {
	FeeRate       decimal.Decimal
	SettleAfter   time.Duration
	DeliverWithin time.Duration
}

// DefaultOrderConfig is a 2 % fee, auto-settlement 7 days after delivery
// and an automatic refund 14 days after payment when nothing was delivered.
func DefaultOrderConfig() OrderConfig {
	return OrderConfig{FeeRate: decimal.RequireFromString("0.02"), SettleAfter: 7 * 24 * time.Hour,
		DeliverWithin: 14 * 24 * time.Hour}
}

// Validate returns an ErrInvalid *Error unless the fee rate is in [0, 1)
// the settlement period is not negative and the delivery period is
// positive.
func (c OrderConfig) Validate() error {
	if err := ValidFeeRate(c.FeeRate); err != nil {
		return err
	}
	if c.SettleAfter < 0 || c.DeliverWithin <= 0 {
		return Invalid("order_config", "invalid_order_config", "the settlement period must be ≥ 0 and the delivery period > 0 (got %s, %s)", c.SettleAfter, c.DeliverWithin)
	}
	return nil
}
