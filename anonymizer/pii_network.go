package anonymizer

import (
	"net/netip"
	"strconv"
	"strings"
)

// ValidIPv4 reports whether s is a dotted-quad IPv4 address (no leading zeros).
func ValidIPv4(s string) bool {
	if strings.Count(s, ".") != 3 {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

// ValidIPv6 reports whether s is an IPv6 address (without zone).
func ValidIPv6(s string) bool {
	if strings.Count(s, ":") < 2 {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

// ValidMAC reports whether s is a 48-bit MAC address written as six hex
// pairs separated by ':' or '-' (the same throughout), or as three groups of
// four hex digits separated by '.'.
func ValidMAC(s string) bool {
	switch len(s) {
	case 17:
		sep := s[2]
		if sep != ':' && sep != '-' {
			return false
		}
		for i := 0; i < 17; i++ {
			if i%3 == 2 {
				if s[i] != sep {
					return false
				}
			} else if !isHex(s[i]) {
				return false
			}
		}
		return true
	case 14:
		for i := 0; i < 14; i++ {
			if i == 4 || i == 9 {
				if s[i] != '.' {
					return false
				}
			} else if !isHex(s[i]) {
				return false
			}
		}
		return true
	}
	return false
}

// ValidCoordinates reports whether s is a "latitude,longitude" (or
// "longitude,latitude") pair of decimal degrees, each with at least three
// decimal places, within range.
func ValidCoordinates(s string) bool {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return false
	}
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	x, okx := parseDegrees(a)
	y, oky := parseDegrees(b)
	if !okx || !oky {
		return false
	}
	return (abs(x) <= 90 && abs(y) <= 180) || (abs(x) <= 180 && abs(y) <= 90)
}

func parseDegrees(s string) (float64, bool) {
	dot := strings.IndexByte(s, '.')
	if dot < 1 || len(s)-dot-1 < 3 || len(s)-dot-1 > 10 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9') && i != dot && !(i == 0 && c == '-') {
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
