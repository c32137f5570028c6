package market

import (
	"context"
	"crypto/subtle"
	"slices"
	"time"
)

// Actor is the authenticated caller of a request: a user acting for one
// party with the roles the user holds there. Every domain operation that
// reads or changes party data takes the Actor and checks it. An Actor is a
// value, safe to copy and to use concurrently.
type Actor struct {
	UserID       UserID    `json:"user_id"`
	PartyID      PartyID   `json:"party_id"`
	PartyKind    PartyKind `json:"party_kind"`
	PartyType    PartyType `json:"party_type"`
	Jurisdiction string    `json:"jurisdiction"`
	Roles        []Role    `json:"roles"`

	// TokenID is set when the request authenticated with an API token.
	TokenID TokenID `json:"-"`
	// SessionID is set when the request authenticated with a session cookie.
	SessionID SessionID `json:"-"`
	// CSRFToken is the anti-forgery token of the session (empty for API
	// tokens): pages embed it in forms, unsafe requests must present it.
	CSRFToken string `json:"-"`
	// ExpiresAt is when the credential expires.
	ExpiresAt time.Time `json:"-"`
}

// Can reports whether the actor holds role r.
func (a Actor) Can(r Role) bool { return slices.Contains(a.Roles, r) }

// CanAny reports whether the actor holds at least one of roles.
func (a Actor) CanAny(roles ...Role) bool {
	return slices.ContainsFunc(roles, a.Can)
}

// Overseas reports whether the actor's party is outside the mainland.
func (a Actor) Overseas() bool { return a.Jurisdiction == JurisdictionOverseas }

// ViaSession reports whether the actor authenticated with a session cookie
// (and so must present CSRFToken on unsafe requests).
func (a Actor) ViaSession() bool { return a.CSRFToken != "" }

// CheckCSRF reports, in constant time, whether presented is the session's
// anti-forgery token.
func (a Actor) CheckCSRF(presented string) bool {
	return a.CSRFToken != "" && subtle.ConstantTimeCompare([]byte(a.CSRFToken), []byte(presented)) == 1
}

// RequireRole returns nil when the actor holds at least one of roles, and an
// ErrForbidden *Error with code "forbidden_role" otherwise.
func (a Actor) RequireRole(roles ...Role) error {
	if a.CanAny(roles...) {
		return nil
	}
	return Errorf(ErrForbidden, "forbidden_role", "this requires the role %s", joinRoles(roles))
}

// CanReadParty reports whether the actor may read the data of party id: its
// own party always, any party when it is a regulator (market supervision
// reads across parties).
func (a Actor) CanReadParty(id PartyID) bool {
	return a.PartyID == id || a.Can(RoleRegulator)
}

// RequireReadParty returns nil when the actor may read party id's data and an
// ErrForbidden *Error with code "forbidden_party" otherwise.
func (a Actor) RequireReadParty(id PartyID) error {
	if a.CanReadParty(id) {
		return nil
	}
	return Errorf(ErrForbidden, "forbidden_party", "party %s's data is visible only to its members and to regulators", id)
}

// RequireOwnParty returns nil when id is the actor's own party and an
// ErrForbidden *Error with code "forbidden_party" otherwise: changes are
// made only by a party's own members, never by a regulator on its behalf.
func (a Actor) RequireOwnParty(id PartyID) error {
	if a.PartyID == id {
		return nil
	}
	return Errorf(ErrForbidden, "forbidden_party", "only members of party %s may do this", id)
}

func joinRoles(roles []Role) string {
	s := ""
	for i, r := range roles {
		switch {
		case i == 0:
		case i == len(roles)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(r)
	}
	return s
}

type actorKey struct{}

// ContextWithActor returns a copy of ctx carrying the actor; the HTTP
// middleware calls it once a request is authenticated.
func ContextWithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFromContext returns the actor carried by ctx, and false when the
// request is not authenticated.
func ActorFromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
