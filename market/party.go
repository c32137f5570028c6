package market

import (
	"strings"
	"time"
)

// PartyKind says whether a party is an organization or a natural person.
type PartyKind string

// Party kinds.
const (
	// PartyOrganization is an enterprise, institution or authority; in the
	// mainland it has a unified social credit code (GB 32100-2015).
	PartyOrganization PartyKind = "organization"
	// PartyIndividual is a natural person (a buyer, or a seller of own data).
	PartyIndividual PartyKind = "individual"
)

// PartyType says what a party is to the exchange.
type PartyType string

// Party types.
const (
	// PartyParticipant trades on the exchange: sells, buys, or both.
	PartyParticipant PartyType = "participant"
	// PartyRegulator is a market-supervision bureau; its members may read
	// across parties and decide cases.
	PartyRegulator PartyType = "regulator"
	// PartyPlatform is the operator of the exchange itself.
	PartyPlatform PartyType = "platform"
	// PartyDepartment is a government department (政务部门) of the
	// jurisdiction in Jurisdiction: it provides and shares government data
	// (market/govdata); the big-data bureau is one, its users coordinators.
	PartyDepartment PartyType = "department"
)

// Party is an organization or an individual known to the exchange. Every
// listing, order and account belongs to one party; users act for a party
// through their memberships.
type Party struct {
	ID   PartyID   `json:"id"`
	Kind PartyKind `json:"kind"`
	Type PartyType `json:"type"`
	Name string    `json:"name"`
	// CreditCode is the unified social credit code of a mainland
	// organization; empty for individuals and overseas organizations.
	CreditCode string `json:"credit_code,omitempty"`
	// Jurisdiction is a GB/T 2260 mainland province code ("61" Shaanxi) or
	// JurisdictionOverseas.
	Jurisdiction string `json:"jurisdiction"`
	// CreditRating is the rating operators keep on the party record; it is
	// the credit factor of the transaction conditions (Shaanxi Art. 37(2)).
	CreditRating CreditRating `json:"credit_rating,omitempty"`
	// ControllerOverseas: a party registered on the mainland whose
	// controlling party is overseas; what it buys leaves the mainland
	// (Shaanxi Art. 72). Declared at registration or later by the party
	// itself, corrected by a regulator or an operator
	// (Accounts.SetControllerOverseas).
	ControllerOverseas bool      `json:"controller_overseas"`
	CreatedAt          time.Time `json:"created_at"`
}

// Overseas reports whether the party is outside the mainland: data it buys
// leaves the country (Shaanxi Art. 72).
func (p Party) Overseas() bool { return p.Jurisdiction == JurisdictionOverseas }

// Normalize trims the text fields and upper-cases the credit code, as the
// party is stored.
func (p *Party) Normalize() {
	p.Name = strings.TrimSpace(p.Name)
	p.CreditCode = strings.ToUpper(strings.TrimSpace(p.CreditCode))
	p.Jurisdiction = strings.ToLower(strings.TrimSpace(p.Jurisdiction))
	if p.Type == "" {
		p.Type = PartyParticipant
	}
}

// Validate checks a normalized party. It returns an ErrInvalid *Error naming
// the first field at fault: an unknown kind or type; an empty name; a
// mainland organization without a valid unified social credit code
// (GB 32100-2015, check character included); a credit code on an individual
// or an overseas organization; a jurisdiction that is neither a mainland
// province code (GB/T 2260) nor "overseas"; a regulator or platform that is
// not an organization.
func (p Party) Validate() error {
	switch p.Kind {
	case PartyOrganization, PartyIndividual:
	default:
		return Invalid("kind", "invalid_party_kind", "kind must be %q or %q, not %q", PartyOrganization, PartyIndividual, p.Kind)
	}
	switch p.Type {
	case PartyParticipant:
	case PartyRegulator, PartyPlatform, PartyDepartment:
		if p.Kind != PartyOrganization {
			return Invalid("type", "invalid_party_type", "a %s party must be an organization", p.Type)
		}
	default:
		return Invalid("type", "invalid_party_type", "type must be participant, regulator, platform or department, not %q", p.Type)
	}
	if p.Name == "" {
		return Invalid("name", "missing_field", "name is required")
	}
	if p.ControllerOverseas && p.Jurisdiction == JurisdictionOverseas {
		return Invalid("controller_overseas", "party_overseas", "an overseas party exports what it buys already; controller_overseas is for a party registered on the mainland (Shaanxi Art. 72)")
	}
	if len([]rune(p.Name)) > 200 {
		return Invalid("name", "invalid_name", "name is longer than 200 characters")
	}
	if err := ValidateJurisdiction(p.Jurisdiction); err != nil {
		return err
	}
	switch {
	case p.Kind == PartyIndividual && p.CreditCode != "":
		return Invalid("credit_code", "invalid_credit_code", "an individual has no unified social credit code")
	case p.Kind == PartyOrganization && p.Overseas() && p.CreditCode != "":
		return Invalid("credit_code", "invalid_credit_code", "an overseas organization has no unified social credit code")
	case p.Kind == PartyOrganization && !p.Overseas():
		if p.CreditCode == "" {
			return Invalid("credit_code", "missing_field", "credit_code is required for a mainland organization (GB 32100-2015)")
		}
		if err := ValidateCreditCode(p.CreditCode); err != nil {
			return err
		}
	}
	return nil
}
