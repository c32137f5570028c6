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
	// Product names the data product (listing) the trades sold. One
	// product under one rule is one violation: ComputePenalty merges the
	// violations that name the same product and article, so Shaanxi Art.
	// 74 grades the product's whole transaction amount. Empty: the
	// violation stands alone.
	Product string         `json:"product,omitempty"`
	Trades  []PenaltyTrade `json:"trades"`
	// Corrected: true when the party corrected, false when it refused to
	// correct, nil while the correction order is pending (or absent).
	Corrected *bool            `json:"corrected"`
	Factors   []PenaltyFactor  `json:"factors"`
	Override  *PenaltyOverride `json:"override,omitempty"`
	// EndedOn is the day the violation ended (违法行为终了之日; for a
	// continuing violation, the day its continuing state ended). The
	// limitation of Administrative Penalty Law Art. 36 runs from it.
	EndedOn Date `json:"ended_on,omitzero"`
	// Continuing: the violation was still going on when discovered, so
	// the Art. 36 limitation has not started.
	Continuing bool `json:"continuing,omitempty"`
	// LongLimitation: the violation concerns citizens' life, health and
	// safety or financial security and had harmful consequences; the Art.
	// 36 limitation is five years instead of two.
	LongLimitation bool `json:"long_limitation,omitempty"`
	// Harm is the harmful consequence found (危害后果): "none", "minor",
	// "serious", or empty when not assessed. Art. 33(1) reads it.
	Harm Harm `json:"harm,omitempty"`
	// NoFaultEvidence: the party proved it had no fault (有证据足以证明没
	// 有主观过错); Administrative Penalty Law Art. 33(2) then forbids a penalty.
	NoFaultEvidence bool `json:"no_fault_evidence,omitempty"`
	// Decision is the regulator's choice among the decision options, with
	// its reasons; nil lets the engine propose.
	Decision *PenaltyDecision `json:"decision,omitempty"`
}

// PenaltyCase is the input of the penalty engine: one party and its
// violations. Build one with ParsePenaltyCase (which validates) or by hand
// and call Validate.
type PenaltyCase struct {
	Party PenaltyParty `json:"party"`
	// DiscoveredOn is the day the violations were discovered (发现之日,
	// at the latest the day the case was filed); with each violation's
	// EndedOn it decides the Art. 36 limitation.
	DiscoveredOn Date               `json:"discovered_on,omitzero"`
	Violations   []PenaltyViolation `json:"violations"`
}

// Harm is the harmful consequence of a violation as the regulator found it.
type Harm string

// The harms the engine reads (Administrative Penalty Law Art. 33(1)).
const (
	HarmNone    Harm = "none"    // 没有造成危害后果
	HarmMinor   Harm = "minor"   // 危害后果轻微
	HarmSerious Harm = "serious" // 危害后果严重
)
