package market

import (
	"embed"
	"fmt"
	"sort"
)

// The rule sets Shujiao shipped before the current one
// (market/ruleset_default.json), kept verbatim: a decision recorded under
// one of them cites its version, and a database that stored an earlier
// version receives the newer ones when it is migrated (postgres
// StoreShippedRuleSets).
//
//go:embed rulesets/v*.json
var shippedRuleSetFS embed.FS

// ShippedRuleSets returns every rule set shipped with Shujiao, oldest
// first: the earlier versions under market/rulesets/ and the current
// default (DefaultRuleSet) last. Versions are strictly increasing; the
// test of this package rules out anything else.
func ShippedRuleSets() ([]*RuleSet, error) {
	names, err := shippedRuleSetFS.ReadDir("rulesets")
	if err != nil {
		return nil, err
	}
	var out []*RuleSet
	for _, n := range names {
		b, err := shippedRuleSetFS.ReadFile("rulesets/" + n.Name())
		if err != nil {
			return nil, err
		}
		rs, err := ParseRuleSet(b)
		if err != nil {
			return nil, fmt.Errorf("shipped rule set %s: %w", n.Name(), err)
		}
		out = append(out, rs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	out = append(out, DefaultRuleSet())
	for i := 1; i < len(out); i++ {
		if out[i].Version <= out[i-1].Version {
			return nil, fmt.Errorf("shipped rule sets: version %d follows version %d", out[i].Version, out[i-1].Version)
		}
	}
	return out, nil
}
