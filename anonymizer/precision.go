package anonymizer

import (
	"fmt"
	"strings"
)

// ParsePrecision returns the decimal exponent of a declared precision, a
// power of ten written plainly: "100" is 2, "1" is 0, "0.01" is -2. It
// returns an error for anything else (zero, "20", "1e3", a sign).
func ParsePrecision(s string) (int, error) {
	bad := fmt.Errorf("precision %q: want a power of ten such as 100, 1 or 0.01", s)
	intPart, frac, dot := strings.Cut(s, ".")
	switch {
	case !dot && len(intPart) > 0 && intPart[0] == '1' && strings.Trim(intPart[1:], "0") == "":
		return len(intPart) - 1, nil
	case dot && intPart == "0" && len(frac) > 0 && frac[len(frac)-1] == '1' && strings.Trim(frac[:len(frac)-1], "0") == "":
		return -len(frac), nil
	}
	return 0, bad
}

// validPrecision checks a column's declared precision: only insensitive
// columns declare one (quasi-identifiers and sensitive columns are never
// marked: their values carry the privacy models), and it must parse.
func validPrecision(name string, c ColumnPolicy) error {
	if c.Precision == "" {
		return nil
	}
	if c.Role != RoleInsensitive {
		return fmt.Errorf("columns.%s.precision: only insensitive columns declare one (got role %s)", name, c.Role)
	}
	if _, err := ParsePrecision(c.Precision); err != nil {
		return fmt.Errorf("columns.%s.%w", name, err)
	}
	return nil
}
