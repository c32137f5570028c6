package govdata

import "github.com/shujiao/shujiao/market"

// ShareClass is a resource's sharing class between departments (Tianjin
// Art. 15, Municipal Art. 18, Shaanxi Art. 28).
type ShareClass string

// Sharing classes.
const (
	// ShareUnconditional: every department obtains it for its duties
	// directly (Tianjin Art. 16, Municipal Art. 20).
	ShareUnconditional ShareClass = "unconditional"
	// ShareConditional: a department applies and the provider answers on
	// the clock (Tianjin Art. 17, Municipal Art. 20).
	ShareConditional ShareClass = "conditional"
	// ShareNone: not shared, on a legal basis the provider states
	// (Tianjin Art. 16).
	ShareNone ShareClass = "none"
)

// Valid reports whether c is one of the sharing classes.
func (c ShareClass) Valid() bool {
	return c == ShareUnconditional || c == ShareConditional || c == ShareNone
}

// validOpen reports whether c is one of the opening classes (Tianjin Art.
// 21, Municipal Art. 24, Shaanxi Art. 31); they are market.OpenClass, the
// classes the Art. 36 gate reads.
func validOpen(c market.OpenClass) bool {
	return c == market.OpenUnconditional || c == market.OpenConditional || c == market.OpenNone
}

// Frequency is how often a resource is updated (更新时限, Tianjin Art. 10).
type Frequency string

// Update frequencies.
const (
	FreqRealtime  Frequency = "realtime"
	FreqDaily     Frequency = "daily"
	FreqWeekly    Frequency = "weekly"
	FreqMonthly   Frequency = "monthly"
	FreqQuarterly Frequency = "quarterly"
	FreqYearly    Frequency = "yearly"
	FreqIrregular Frequency = "irregular"
)

// Valid reports whether f is one of the frequencies.
func (f Frequency) Valid() bool {
	switch f {
	case FreqRealtime, FreqDaily, FreqWeekly, FreqMonthly, FreqQuarterly, FreqYearly, FreqIrregular:
		return true
	}
	return false
}

// Formats a resource may be published in (machine-readable, Tianjin Art. 22).
var Formats = []string{"csv", "json", "xlsx", "xml", "api"}

// Articles cited by this package.
const (
	ArticleTianjin10   = "Tianjin Art. 10"
	ArticleTianjin16   = "Tianjin Art. 16"
	ArticleTianjin17   = "Tianjin Art. 17"
	ArticleTianjin18   = "Tianjin Art. 18"
	ArticleTianjin22   = "Tianjin Art. 22"
	ArticleTianjin23   = "Tianjin Art. 23"
	ArticleMunicipal20 = "Municipal Art. 20"
	ArticleMunicipal21 = "Municipal Art. 21"
	ArticleMunicipal25 = "Municipal Art. 25"
	ArticleMunicipal26 = "Municipal Art. 26"
	ArticleMunicipal27 = "Municipal Art. 27"
	ArticleShaanxi24   = "Shaanxi Art. 24"
	ArticleShaanxi26   = "Shaanxi Art. 26"
	ArticleShaanxi27   = "Shaanxi Art. 27"
)
