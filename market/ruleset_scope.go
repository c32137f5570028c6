package market

import (
	"fmt"
	"strings"
)

// ScopeTerm is one word of the authorization-scope vocabulary of a rule
// set (Shaanxi Art. 36(1)): the canonical scope, its other spellings in
// Chinese and English, and what it implies — whether data licensed under
// it may be sold on (PermitsSale). "trading" and "resale" permit sale;
// "internal_use", "research" and "commercial_use" do not.
type ScopeTerm struct {
	Value       string   `json:"value"`
	PermitsSale bool     `json:"permits_sale"`
	Synonyms    []string `json:"synonyms,omitempty"`
	// Meaning says in words what the scope allows (shown in docs/listing-gate.md).
	Meaning string `json:"meaning,omitempty"`
}

// ScopeVerdict is what the vocabulary makes of the scope words of an
// authorization, a licence or a government approval.
type ScopeVerdict struct {
	// PermitsSale: at least one word is known and permits sale.
	PermitsSale bool
	// Unknown lists the words the vocabulary does not know, as written.
	Unknown []string
	// Known lists the canonical values of the words it knows.
	Known []string
}

// scopeTerms returns the rule set's scope vocabulary: Scopes, or, for a
// rule set written before the vocabulary (known_scopes only), those words
// with "trading" and "resale" permitting sale.
func (rs *RuleSet) scopeTerms() []ScopeTerm {
	if len(rs.Scopes) > 0 {
		return rs.Scopes
	}
	terms := make([]ScopeTerm, 0, len(rs.KnownScopes))
	for _, k := range rs.KnownScopes {
		f := FoldTerm(k)
		terms = append(terms, ScopeTerm{Value: k, PermitsSale: f == "trading" || f == "resale"})
	}
	return terms
}

// Scope returns the vocabulary's term for word (compared folded, see
// FoldTerm, against the value and every synonym) and whether there is one.
func (rs *RuleSet) Scope(word string) (ScopeTerm, bool) {
	f := FoldTerm(word)
	if f == "" {
		return ScopeTerm{}, false
	}
	for _, t := range rs.scopeTerms() {
		if FoldTerm(t.Value) == f {
			return t, true
		}
		for _, s := range t.Synonyms {
			if FoldTerm(s) == f {
				return t, true
			}
		}
	}
	return ScopeTerm{}, false
}

// KnowsScope reports whether scope is a word of the rule set's scope
// vocabulary.
func (rs *RuleSet) KnowsScope(scope string) bool {
	_, ok := rs.Scope(scope)
	return ok
}

// JudgeScopes applies the scope vocabulary to words (Shaanxi Art. 36(1)).
// It is a pure function, safe for concurrent use.
func (rs *RuleSet) JudgeScopes(words []string) ScopeVerdict {
	var v ScopeVerdict
	for _, w := range words {
		t, ok := rs.Scope(w)
		if !ok {
			v.Unknown = append(v.Unknown, strings.TrimSpace(w))
			continue
		}
		v.Known = append(v.Known, t.Value)
		if t.PermitsSale {
			v.PermitsSale = true
		}
	}
	return v
}

// validateScopes checks the vocabulary: every term has a value, no
// spelling means two values, and at least one scope permits sale.
func (rs *RuleSet) validateScopes() error {
	seen := map[string]string{}
	for i, t := range rs.Scopes {
		f := fmt.Sprintf("scopes[%d]", i)
		if strings.TrimSpace(t.Value) == "" {
			return Invalid(f+".value", "invalid_ruleset", "%s.value: empty scope", f)
		}
		for _, s := range append([]string{t.Value}, t.Synonyms...) {
			k := FoldTerm(s)
			if k == "" {
				return Invalid(f+".synonyms", "invalid_ruleset", "%s.synonyms: an empty spelling", f)
			}
			if other, dup := seen[k]; dup && other != t.Value {
				return Invalid(f+".synonyms", "invalid_ruleset", "%s.synonyms: %q already means %q", f, s, other)
			}
			seen[k] = t.Value
		}
	}
	for _, t := range rs.scopeTerms() {
		if t.PermitsSale {
			return nil
		}
	}
	field := "scopes"
	if len(rs.Scopes) == 0 {
		field = "known_scopes"
	}
	return Invalid(field, "invalid_ruleset", "%s: no scope permits sale (\"trading\" at least; Shaanxi Art. 36(1))", field)
}
