package market

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Money is an amount of CNY (yuan) held as a decimal, never a float.
// The zero value is ¥0. Money is a value type, safe for concurrent use.
type Money struct{ d decimal.Decimal }

// NewMoney returns a Money from a decimal.
func NewMoney(d decimal.Decimal) Money { return Money{d} }

// Yuan returns a Money of a whole number of yuan.
func Yuan(n int64) Money { return Money{decimal.NewFromInt(n)} }

// ParseMoney parses a decimal amount in yuan such as "12000.00". It returns an
// error for anything that is not a plain decimal number (no exponent, no
// currency sign, at most 4 decimal places) or not smaller than MaxAmount.
func ParseMoney(s string) (Money, error) {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "eE") {
		return Money{}, fmt.Errorf("amount %q: want a decimal number of yuan such as 12000.00", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Money{}, fmt.Errorf("amount %q: want a decimal number of yuan such as 12000.00", s)
	}
	if d.Exponent() < -4 {
		return Money{}, fmt.Errorf("amount %q: more than 4 decimal places", s)
	}
	if d.Abs().Cmp(MaxAmount.d) >= 0 {
		return Money{}, fmt.Errorf("amount %q: too large, an amount is less than %s yuan", s, MaxAmount.d.String())
	}
	return Money{d}, nil
}

// MustMoney parses s and panics on error; for tests and constants.
func MustMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// Decimal returns the amount as a decimal.
func (m Money) Decimal() decimal.Decimal { return m.d }

// Add returns m + o.
func (m Money) Add(o Money) Money { return Money{m.d.Add(o.d)} }

// Sub returns m − o.
func (m Money) Sub(o Money) Money { return Money{m.d.Sub(o.d)} }

// Mul returns m × f.
func (m Money) Mul(f decimal.Decimal) Money { return Money{m.d.Mul(f)} }

// Neg returns −m.
func (m Money) Neg() Money { return Money{m.d.Neg()} }

// Cmp compares m and o: −1, 0 or +1.
func (m Money) Cmp(o Money) int { return m.d.Cmp(o.d) }

// IsZero reports whether m is ¥0.
func (m Money) IsZero() bool { return m.d.IsZero() }

// IsNegative reports whether m < 0.
func (m Money) IsNegative() bool { return m.d.IsNegative() }

// Round returns m rounded half-up to the fen (0.01 yuan).
func (m Money) Round() Money { return Money{m.d.Round(2)} }

// String formats m with two decimal places, e.g. "12000.00", or up to four
// when the amount has sub-fen digits (a per-call price of "0.0035").
func (m Money) String() string {
	if m.d.Equal(m.d.Round(2)) {
		return m.d.StringFixed(2)
	}
	return m.d.Round(4).String()
}

// MarshalJSON writes m as a JSON string with two decimal places.
// A decimal's text is digits, a sign and a point: nothing to escape.
func (m Money) MarshalJSON() ([]byte, error) {
	s := m.String()
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// UnmarshalJSON reads m from a JSON string ("12000.00") or number (12000).
func (m *Money) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*m = Money{}
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	}
	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}
