package market

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// ParseRuleSet decodes and validates a rule set. Unknown keys are rejected.
// It returns an ErrInvalid *Error naming the field at fault.
func ParseRuleSet(data []byte) (*RuleSet, error) {
	var rs RuleSet
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rs); err != nil {
		return nil, jsonInputError(data, err)
	}
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	return &rs, nil
}

// Validate checks a rule set: a positive version, categories and scopes
// named, a tolerance in [0, 0.5], a promotion limit of 1–3650 days,
// strictly ascending positive bands, habit-test parameters that can reach
// significance, and legal exceptions with an id and a basis. It returns an
// ErrInvalid *Error naming the field at fault.
func (rs *RuleSet) Validate() error {
	if rs.Version < 1 {
		return Invalid("version", "invalid_ruleset", "version: %d, want a positive integer", rs.Version)
	}
	for i, n := range rs.NegativeList {
		if strings.TrimSpace(n.Category) == "" || strings.TrimSpace(n.Basis) == "" {
			f := fmt.Sprintf("negative_list[%d]", i)
			return Invalid(f, "invalid_ruleset", "%s: want a category and the basis in law that bans it", f)
		}
	}
	for i, s := range rs.KnownScopes {
		if strings.TrimSpace(s) == "" {
			f := fmt.Sprintf("known_scopes[%d]", i)
			return Invalid(f, "invalid_ruleset", "%s: empty scope", f)
		}
	}
	if err := rs.validateScopes(); err != nil { // ruleset_scope.go
		return err
	}
	if err := rs.validateContent(); err != nil { // art36_content.go
		return err
	}
	if err := rs.Export.validate(); err != nil { // export_rules.go
		return err
	}
	if err := rs.Art37.validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, e := range rs.LegalExceptions {
		f := fmt.Sprintf("legal_exceptions[%d]", i)
		if strings.TrimSpace(e.ID) == "" || strings.TrimSpace(e.Basis) == "" {
			return Invalid(f, "invalid_ruleset", "%s: want an id and the basis in law (Shaanxi Art. 37(4))", f)
		}
		if seen[e.ID] {
			return Invalid(f+".id", "invalid_ruleset", "%s.id: %q used twice", f, e.ID)
		}
		seen[e.ID] = true
		if !e.ValidFrom.IsZero() && !e.ValidTo.IsZero() && e.ValidTo.Start().Before(e.ValidFrom.Start()) {
			return Invalid(f+".valid_to", "invalid_ruleset", "%s.valid_to: before valid_from", f)
		}
	}
	return nil
}

func (a *Art37Rules) validate() error {
	if a.Tolerance.IsNegative() || a.Tolerance.GreaterThan(decimal.RequireFromString("0.5")) {
		return Invalid("art37.tolerance", "invalid_ruleset", "art37.tolerance: %s, want 0 to 0.5", a.Tolerance)
	}
	if a.MaxPromotionDays < 1 || a.MaxPromotionDays > 3650 {
		return Invalid("art37.max_promotion_days", "invalid_ruleset", "art37.max_promotion_days: %d, want 1 to 3650", a.MaxPromotionDays)
	}
	for i, b := range a.VolumeBands {
		if !b.IsPositive() || i > 0 && !b.GreaterThan(a.VolumeBands[i-1]) {
			f := fmt.Sprintf("art37.volume_bands[%d]", i)
			return Invalid(f, "invalid_ruleset", "%s: %s, want positive and strictly ascending", f, b)
		}
	}
	for i, b := range a.DurationBands {
		if b < 1 || i > 0 && b <= a.DurationBands[i-1] {
			f := fmt.Sprintf("art37.duration_bands[%d]", i)
			return Invalid(f, "invalid_ruleset", "%s: %d, want positive and strictly ascending", f, b)
		}
	}
	if a.HabitMinTrades < 4 {
		return Invalid("art37.habit_min_trades", "invalid_ruleset", "art37.habit_min_trades: %d, want at least 4", a.HabitMinTrades)
	}
	if !a.HabitAlpha.IsPositive() || a.HabitAlpha.GreaterThan(decimal.RequireFromString("0.1")) {
		return Invalid("art37.habit_alpha", "invalid_ruleset", "art37.habit_alpha: %s, want above 0 and at most 0.1", a.HabitAlpha)
	}
	// The smallest p a permutation test can report is 1/(N+1).
	minP := decimal.NewFromInt(1).Div(decimal.NewFromInt(int64(a.HabitPermutations) + 1))
	if a.HabitPermutations < 1 || a.HabitPermutations > 100000 || !minP.LessThan(a.HabitAlpha) {
		return Invalid("art37.habit_permutations", "invalid_ruleset", "art37.habit_permutations: %d cannot reach p < %s (want up to 100000 and 1/(N+1) below alpha)", a.HabitPermutations, a.HabitAlpha)
	}
	if a.PriceChangeMinTrades < 0 || a.PriceChangeMinBuyers < 0 {
		return Invalid("art37.price_change_min_trades", "invalid_ruleset", "art37.price_change_min_trades and price_change_min_buyers: want 0 or more")
	}
	return a.Vocabulary.validate()
}
