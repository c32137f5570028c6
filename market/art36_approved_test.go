package market

import (
	"errors"
	"testing"
)

// Shaanxi Art. 36: the gate runs again at every order. An operator who
// approved a listing the gate referred for review decided its review
// items; the order goes ahead on those, and stops on anything else.

func reviewItem(rule string, source int, cols ...string) Violation {
	s := source
	return Violation{Rule: rule, Article: "Shaanxi Art. 36(3)", Source: &s, Reason: rule, Effect: EffectReview, Columns: cols}
}

func gateOf(vs ...Violation) GateResult {
	r := GateResult{Decision: DecisionListable, Violations: vs}
	for _, v := range vs {
		switch {
		case v.Effect == EffectBlock:
			r.Decision = DecisionBlocked
		case r.Decision == DecisionListable:
			r.Decision = DecisionReview
		}
	}
	return r
}

func TestArt36_OrderOfAnApprovedReviewListing(t *testing.T) {
	approved := gateOf(reviewItem("content-important-data-catalog", 0, "road", "bridge"), reviewItem("provenance-own-basis", 1))
	unscanned := func(sigs string) Violation {
		return Violation{Rule: RuleContentUnscanned, Article: ArticleShaanxi36_3, Effect: EffectReview, Reason: "not scanned for " + sigs}
	}
	approvedUnscanned := gateOf(unscanned("content-human-genetic-resources"))
	blocked := Violation{Rule: "content-genome", Article: "Shaanxi Art. 36(3)", Reason: "genome", Effect: EffectBlock, Columns: []string{"col7"}}
	for _, tc := range []struct {
		name     string
		now      GateResult
		approved *GateResult
		code     string // "" = the order goes ahead
	}{
		{"the same review items as approved: the order goes ahead", gateOf(reviewItem("provenance-own-basis", 1), reviewItem("content-important-data-catalog", 0, "road")), &approved, ""},
		{"listable now: the order goes ahead", gateOf(), &approved, ""},
		{"a review item of another rule: listing_in_review", gateOf(reviewItem("provenance-own-basis", 1), reviewItem("scope-unknown-word", 1)), &approved, "listing_in_review"},
		{"the same rule about another source: listing_in_review", gateOf(reviewItem("provenance-own-basis", 2)), &approved, "listing_in_review"},
		{"a content signature matching a column the operator did not see: listing_in_review", gateOf(reviewItem("content-important-data-catalog", 0, "road", "tunnel")), &approved, "listing_in_review"},
		{"the same rule for another reason (an unscanned signature the operator did not see): listing_in_review", gateOf(unscanned("content-human-genetic-resources, content-biometric-template")), &approvedUnscanned, "listing_in_review"},
		{"the same unscanned signatures as approved: the order goes ahead", gateOf(unscanned("content-human-genetic-resources")), &approvedUnscanned, ""},
		{"a blocking violation beside approved items: listing_blocked", gateOf(reviewItem("provenance-own-basis", 1), blocked), &approved, "listing_blocked"},
		{"never approved (listed by the gate): listing_in_review", gateOf(reviewItem("provenance-own-basis", 1)), &GateResult{Decision: DecisionListable}, "listing_in_review"},
		{"no stored decision: listing_in_review", gateOf(reviewItem("provenance-own-basis", 1)), nil, "listing_in_review"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.now.ErrApproved(tc.approved)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tc.code || !errors.Is(err, ErrRefused) {
				t.Fatalf("got %v, want %s", err, tc.code)
			}
			if e.Article == "" {
				t.Fatalf("the refusal cites no article: %v", err)
			}
			res, _ := e.Details.(GateResult)
			for _, v := range res.Violations {
				if v.Effect == EffectReview && tc.approved != nil && tc.approved.Decision == DecisionReview && tc.approved.covers(v) {
					t.Fatalf("the refusal lists the approved item %s", v.Rule)
				}
			}
		})
	}
}
