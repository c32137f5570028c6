package market

import (
	"slices"

	"github.com/shopspring/decimal"
)

// PenaltyFactor is a discretion factor (裁量情节) a regulator records for a
// violation. Each one either lightens (从轻) or aggravates (从重) the fine;
// see PenaltyFactors for the list and docs/penalties.md for the rule.
type PenaltyFactor string

// The discretion factors the engine supports.
const (
	// Lightening (从轻).
	FactorFirstOffence        PenaltyFactor = "first_offence"        // 初次违法
	FactorPromptCorrection    PenaltyFactor = "prompt_correction"    // 主动消除或者减轻违法行为危害后果 (Administrative Penalty Law Art. 32(1))
	FactorCoerced             PenaltyFactor = "coerced"              // 受他人胁迫或者诱骗实施违法行为 (APL Art. 32(2))
	FactorVoluntaryConfession PenaltyFactor = "voluntary_confession" // 主动供述行政机关尚未掌握的违法行为 (APL Art. 32(3))
	FactorCooperation         PenaltyFactor = "cooperation"          // 配合行政机关查处违法行为有立功表现 (APL Art. 32(4))
	FactorMinorRole           PenaltyFactor = "minor_role"           // 在共同违法行为中起次要或者辅助作用

	// Aggravating (从重).
	FactorRepeat                 PenaltyFactor = "repeat"                  // 多次实施违法行为，或者受处罚后再次实施
	FactorSeriousHarm            PenaltyFactor = "serious_harm"            // 造成严重危害后果
	FactorObstruction            PenaltyFactor = "obstruction"             // 拒绝、阻碍调查，或者隐匿、销毁、伪造证据
	FactorVulnerableCounterparty PenaltyFactor = "vulnerable_counterparty" // 侵害老年人、未成年人等特殊群体的权益
)

// FactorEffect is how a factor moves the fine: it lightens or aggravates.
type FactorEffect string

// The two effects of a factor.
const (
	Lightening  FactorEffect = "lightening"  // 从轻
	Aggravating FactorEffect = "aggravating" // 从重
)

// FactorInfo documents one discretion factor.
type FactorInfo struct {
	Factor PenaltyFactor `json:"factor"`
	Effect FactorEffect  `json:"effect"`
	// Chinese is the factor as a Chinese penalty document states it.
	Chinese string `json:"chinese"`
	// Basis cites the law the factor comes from, if one names it.
	Basis string `json:"basis,omitempty"`
}

var penaltyFactors = []FactorInfo{
	{FactorFirstOffence, Lightening, "初次违法", ""},
	{FactorPromptCorrection, Lightening, "主动消除或者减轻违法行为危害后果", "Administrative Penalty Law Art. 32(1)"},
	{FactorCoerced, Lightening, "受他人胁迫或者诱骗实施违法行为", "Administrative Penalty Law Art. 32(2)"},
	{FactorVoluntaryConfession, Lightening, "主动供述行政机关尚未掌握的违法行为", "Administrative Penalty Law Art. 32(3)"},
	{FactorCooperation, Lightening, "配合行政机关查处违法行为有立功表现", "Administrative Penalty Law Art. 32(4)"},
	{FactorMinorRole, Lightening, "在共同违法行为中起次要或者辅助作用", ""},
	{FactorRepeat, Aggravating, "多次实施违法行为或者受处罚后再次实施", ""},
	{FactorSeriousHarm, Aggravating, "造成严重危害后果", ""},
	{FactorObstruction, Aggravating, "拒绝、阻碍调查或者隐匿、销毁、伪造证据", ""},
	{FactorVulnerableCounterparty, Aggravating, "侵害老年人、未成年人等特殊群体的合法权益", ""},
}

// PenaltyFactors returns every supported discretion factor, lightening ones
// first. The slice is a copy.
func PenaltyFactors() []FactorInfo { return slices.Clone(penaltyFactors) }

// LookupFactor returns the documentation of f, and false if f is not supported.
func LookupFactor(f PenaltyFactor) (FactorInfo, bool) {
	for _, fi := range penaltyFactors {
		if fi.Factor == f {
			return fi, true
		}
	}
	return FactorInfo{}, false
}

// Discretion is the band of the statutory fine range a recommendation falls in.
type Discretion string

// The three discretion bands: the lower 30 %, the middle 40 % and the upper
// 30 % of the fine range.
const (
	DiscretionLighter  Discretion = "lighter"  // 从轻: [min, min + 30 % of the width]
	DiscretionOrdinary Discretion = "ordinary" // 一般: [min + 30 %, min + 70 %]
	DiscretionHeavier  Discretion = "heavier"  // 从重: [min + 70 %, max]
)

// Chinese returns the band as a Chinese document names it (从轻, 一般, 从重).
func (d Discretion) Chinese() string {
	switch d {
	case DiscretionLighter:
		return "从轻"
	case DiscretionOrdinary:
		return "一般"
	case DiscretionHeavier:
		return "从重"
	}
	return ""
}

// penaltyChooseDiscretion picks the band from the factors: more lightening than
// aggravating factors → lighter; more aggravating → heavier; otherwise
// (none, or as many of each) → ordinary. It returns the counts too.
func penaltyChooseDiscretion(factors []PenaltyFactor) (band Discretion, light, heavy int) {
	for _, f := range factors {
		if fi, ok := LookupFactor(f); ok {
			if fi.Effect == Lightening {
				light++
			} else {
				heavy++
			}
		}
	}
	switch {
	case light > heavy:
		return DiscretionLighter, light, heavy
	case heavy > light:
		return DiscretionHeavier, light, heavy
	}
	return DiscretionOrdinary, light, heavy
}

var (
	penaltyPct30 = decimal.RequireFromString("0.30")
	penaltyPct70 = decimal.RequireFromString("0.70")
	penaltyHalf  = decimal.RequireFromString("0.5")
)

// penaltyBandBounds returns the bounds of band d within [lo, hi], rounded to the fen.
func penaltyBandBounds(lo, hi Money, d Discretion) (Money, Money) {
	w := hi.Sub(lo)
	at30 := lo.Add(w.Mul(penaltyPct30)).Round()
	at70 := lo.Add(w.Mul(penaltyPct70)).Round()
	switch d {
	case DiscretionLighter:
		return lo, at30
	case DiscretionHeavier:
		return at70, hi
	}
	return at30, at70
}

// penaltyBandOf returns the band a fine within [lo, hi] falls in; a fine on a
// boundary between two bands belongs to the milder one.
func penaltyBandOf(lo, hi, fine Money) Discretion {
	_, l := penaltyBandBounds(lo, hi, DiscretionLighter)
	_, o := penaltyBandBounds(lo, hi, DiscretionOrdinary)
	switch {
	case fine.Cmp(l) <= 0:
		return DiscretionLighter
	case fine.Cmp(o) <= 0:
		return DiscretionOrdinary
	}
	return DiscretionHeavier
}

// penaltyMidpoint returns the middle of [lo, hi], rounded penaltyHalf-up to the fen.
func penaltyMidpoint(lo, hi Money) Money { return lo.Add(hi).Mul(penaltyHalf).Round() }
