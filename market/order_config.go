package market

import (
	"time"

	"github.com/shopspring/decimal"
)

// OrderConfig holds the money settings of orders: the platform's fee rate
// (a fraction of the amount, taken at settlement) and how long after
// payment an order that is neither accepted nor disputed is settled
// automatically.
type OrderConfig struct {
	FeeRate     decimal.Decimal
	SettleAfter time.Duration
}

// DefaultOrderConfig is a 2 % fee and auto-settlement 7 days after payment.
func DefaultOrderConfig() OrderConfig {
	return OrderConfig{FeeRate: decimal.RequireFromString("0.02"), SettleAfter: 7 * 24 * time.Hour}
}
