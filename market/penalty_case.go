package market

// PenaltyArticle names the article of the Shaanxi regulation that a
// violation breached, as written in a case file.
type PenaltyArticle string

// The breaches the penalty engine knows.
const (
	// BreachArt36: trading data products in breach of Shaanxi Art. 36,
	// punished under Shaanxi Art. 74.
	BreachArt36 PenaltyArticle = "shaanxi-36"
	// BreachArt37: unreasonable differential treatment of counterparties
	// in breach of Shaanxi Art. 37, punished under Shaanxi Art. 75.
	BreachArt37 PenaltyArticle = "shaanxi-37"
)

// Breached returns the citation of the breached article, e.g. "Shaanxi Art. 36".
func (a PenaltyArticle) Breached() string {
	switch a {
	case BreachArt36:
		return "Shaanxi Art. 36"
	case BreachArt37:
		return "Shaanxi Art. 37"
	}
	return string(a)
}

// Applied returns the citation of the penalty article applied to the
// breach: "Shaanxi Art. 74" for Art. 36, "Shaanxi Art. 75" for Art. 37.
func (a PenaltyArticle) Applied() string {
	switch a {
	case BreachArt36:
		return "Shaanxi Art. 74"
	case BreachArt37:
		return "Shaanxi Art. 75"
	}
	return ""
}

// PenaltyParty is the party concerned (当事人) of a penalty case.
type PenaltyParty struct {
	ID   string    `json:"id"`
	Kind PartyKind `json:"kind"`
}

// PenaltyTrade is one violating trade and its money, in yuan.
type PenaltyTrade struct {
	ID string `json:"id"`
	// Amount is the transaction amount (交易金额) of the trade.
	Amount Money `json:"amount"`
	// Refunded is what the seller has refunded of Amount; Art. 74's illegal
	// gains are the revenue net of refunds.
	Refunded Money `json:"refunded"`
	// Overcharge is the part of the price above what a counterparty in the
	// same transaction conditions paid, still retained by the seller; it is
	// Art. 75's illegal gains.
	Overcharge Money `json:"overcharge"`
}

// PenaltyOverride is a regulator's choice of fine instead of the
// recommendation. Fine must lie within the statutory range and Reason must
// say why; ComputePenalty rejects it otherwise.
type PenaltyOverride struct {
	Fine   Money  `json:"fine"`
	Reason string `json:"reason"`
}

// PenaltyViolation is one violation in a case: the article breached, the
// violating trades, whether the party corrected, and the discretion factors.
type PenaltyViolation struct {
	Article PenaltyArticle `json:"article"`
	Trades  []PenaltyTrade `json:"trades"`
	// Corrected: true when the party corrected, false when it refused to
	// correct, nil while the correction order is pending (or absent).
	Corrected *bool            `json:"corrected"`
	Factors   []PenaltyFactor  `json:"factors"`
	Override  *PenaltyOverride `json:"override,omitempty"`
}

// PenaltyCase is the input of the penalty engine: one party and its
// violations. Build one with ParsePenaltyCase (which validates) or by hand
// and call Validate.
type PenaltyCase struct {
	Party      PenaltyParty       `json:"party"`
	Violations []PenaltyViolation `json:"violations"`
}
