package market

import (
	"github.com/shopspring/decimal"
)

// Bounds on amounts, so that no sum the books keep can overflow their
// numeric(20, 2) columns (which hold less than 10^18 yuan).
var (
	// MaxAmount bounds every amount a caller may send: less than 10^15
	// yuan (ParseMoney refuses more).
	MaxAmount = Money{decimal.New(1, 15)}
	// MaxBalance bounds every account's balance: less than 10^16 yuan. A
	// posting that would take an account to it is refused, never stored.
	MaxBalance = Money{decimal.New(1, 16)}
	// DefaultMaxDeposit is the largest single simulated deposit unless the
	// operator configures another: 1,000,000,000.00 yuan.
	DefaultMaxDeposit = Yuan(1_000_000_000)
)

// CheckDeposit returns an ErrInvalid *Error (code deposit_too_large, field
// amount) when amount exceeds max, the configured deposit maximum.
func CheckDeposit(amount, max Money) error {
	if amount.Cmp(max) > 0 {
		return Invalid("amount", "deposit_too_large", "a deposit may be at most %s yuan", max)
	}
	return nil
}

// CheckBalance returns an ErrConflict *Error (code account_limit) when
// balance, the balance a posting would leave on account k, reaches
// MaxBalance.
func CheckBalance(k AccountKey, balance Money) error {
	if balance.Cmp(MaxBalance) >= 0 {
		return Errorf(ErrConflict, "account_limit", "the %s account would hold %s yuan or more, beyond what the books keep; the posting is refused", k.Kind, MaxBalance)
	}
	return nil
}
