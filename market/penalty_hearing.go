package market

import "fmt"

// Shaanxi Art. 77: 依照本条例规定对单位处二十万元以上罚款、对个人处二万元以上
// 罚款，或者没收与罚款数额相当的违法所得的，应当告知当事人有要求举行听证的权利。
var (
	hearingOrganization = Yuan(200_000) // 对单位处二十万元以上罚款
	hearingIndividual   = Yuan(20_000)  // 对个人处二万元以上罚款
)

// HearingThreshold returns the Shaanxi Art. 77 threshold for a party kind:
// 200,000 yuan for an organization, 20,000 yuan for an individual. 以上
// includes the bound.
func HearingThreshold(kind PartyKind) Money {
	if kind == PartyIndividual {
		return hearingIndividual
	}
	return hearingOrganization
}

// penaltyHearingDue reports whether Shaanxi Art. 77 calls for a hearing-rights
// notice: a fine of the threshold or more, or illegal gains of such an
// amount confiscated (没收与罚款数额相当的违法所得). Fine and confiscation
// are compared separately, as the article states them as alternatives.
//
// ComputePenalty applies it to the case totals, because one case ends in
// one decision against one party and Art. 77 speaks of the fine that
// decision imposes (对单位处…罚款); it applies it to each violation too, for
// information.
func penaltyHearingDue(kind PartyKind, fine, confiscation Money) (bool, string) {
	th := HearingThreshold(kind)
	switch {
	case fine.Cmp(th) >= 0:
		return true, fmt.Sprintf("Shaanxi Art. 77: a fine of %s yuan on an %s reaches %s yuan", fine, kind, th)
	case confiscation.Cmp(th) >= 0:
		return true, fmt.Sprintf("Shaanxi Art. 77: illegal gains of %s yuan confiscated from an %s reach %s yuan", confiscation, kind, th)
	}
	return false, fmt.Sprintf("Shaanxi Art. 77: neither the fine %s nor the confiscation %s yuan reaches %s yuan for an %s", fine, confiscation, th, kind)
}

// penaltyHearingStep states the Art. 77 judgement on fine and confiscation of scope.
func penaltyHearingStep(kind PartyKind, fine, confiscation Money, scope string) string {
	due, basis := penaltyHearingDue(kind, fine, confiscation)
	if due {
		return fmt.Sprintf("Hearing notice for %s: due. %s (以上 includes the bound).", scope, basis)
	}
	return fmt.Sprintf("Hearing notice for %s: not due. %s.", scope, basis)
}
