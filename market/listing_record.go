package market

import (
	"time"

	"github.com/google/uuid"
)

// ListingRecord is a stored listing: the seller's declaration, its list
// price, where it stands in the state machine, and the last Art. 36
// decision with the rule-set version it used.
type ListingRecord struct {
	ID          uuid.UUID    `json:"id"`
	PartyID     PartyID      `json:"party_id"`
	CreatedBy   UserID       `json:"created_by"`
	State       ListingState `json:"state"`
	Declaration Listing      `json:"declaration"`
	// Price is the list price in CNY (a dataset licence); nil when not set.
	Price          *Money      `json:"price"`
	Decision       *GateResult `json:"decision"`
	RuleSetVersion *int        `json:"ruleset_version"`
	Submissions    int         `json:"submissions"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
	ListedAt       *time.Time  `json:"listed_at"`
	// Transitions is the listing's history, oldest first (filled by Listing).
	Transitions []TransitionRecord `json:"transitions,omitempty"`
}

// TransitionRecord is one recorded move of a listing: who, when and why.
type TransitionRecord struct {
	ID           uuid.UUID    `json:"id"`
	From         ListingState `json:"from"`
	To           ListingState `json:"to"`
	Action       Action       `json:"action"`
	Role         Role         `json:"role"`
	ActorUserID  *UserID      `json:"actor_user_id"`
	ActorPartyID *PartyID     `json:"actor_party_id"`
	Reason       string       `json:"reason"`
	DecisionID   *uuid.UUID   `json:"decision_id"`
	At           time.Time    `json:"at"`
}

// ListingFilter narrows Listings: a party (nil: every party the actor may
// see), a state ("" any), and a page (Limit 0 means 100).
type ListingFilter struct {
	PartyID *PartyID
	State   ListingState
	Limit   int
	Offset  int
}

// ListingInput is what a seller sends to create or change a listing: the
// declaration and its list price.
type ListingInput struct {
	Declaration Listing
	Price       *Money
}
