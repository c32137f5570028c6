package market

import "github.com/google/uuid"

// OrderFilter narrows ListOrders: a role ("buyer": orders the actor's party
// bought, "seller": orders on its listings, "": both), a state, a listing
// and a page (Limit 0 means 100, at most 1000).
type OrderFilter struct {
	As        string
	State     OrderState
	ListingID uuid.UUID
	Limit     int
	Offset    int
}
