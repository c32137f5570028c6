package market

import "slices"

// ErrApproved is Err for an order of a product an operator listed after
// the gate referred it for review. approved is the decision stored with
// the listing: when it was a review (the only way a listing reaches
// listed with such a decision is an operator's approve), the review items
// it holds were decided by that operator and no longer hold an order up.
// Everything else still does (Shaanxi Art. 36): a blocking violation, and
// any review item the operator did not see — another rule, another
// source, another reason (the reason names what the rule found: the
// signatures a dataset was not scanned for, the other party listing the
// same content, the unknown scope word, the rule set's version), a content
// signature now matching a column it did not match, or a rule the rule set
// in force added since. Those refuse the order with
// listing_in_review, as Err does, until the listing is decided again.
func (r GateResult) ErrApproved(approved *GateResult) error {
	if r.Decision == DecisionListable || approved == nil || approved.Decision != DecisionReview {
		return r.Err()
	}
	rest := r
	rest.Violations = nil
	for _, v := range r.Violations {
		if v.Effect == EffectReview && approved.covers(v) {
			continue
		}
		rest.Violations = append(rest.Violations, v)
	}
	if len(rest.Violations) == 0 {
		return nil
	}
	rest.Decision = DecisionReview
	for _, v := range rest.Violations {
		if v.Effect == EffectBlock {
			rest.Decision = DecisionBlocked
		}
	}
	return rest.Err()
}

// covers reports whether the review item v is one of r's review items:
// the same rule and article about the same source, for the same reason,
// matching no column the reviewed item did not.
func (r *GateResult) covers(v Violation) bool {
	for _, a := range r.Violations {
		if a.Effect != EffectReview || a.Rule != v.Rule || a.Article != v.Article || a.Reason != v.Reason || !sameSource(a.Source, v.Source) {
			continue
		}
		covered := true
		for _, c := range v.Columns {
			if !slices.Contains(a.Columns, c) {
				covered = false
				break
			}
		}
		if covered {
			return true
		}
	}
	return false
}

func sameSource(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}
