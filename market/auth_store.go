package market

import (
	"context"
	"time"
)

// Token is an API token's public record. Its secret is shown once, when it
// is created, and stored only as a SHA-256 hash.
type Token struct {
	ID        TokenID    `json:"id"`
	Name      string     `json:"name"`
	UserID    UserID     `json:"user_id"`
	PartyID   PartyID    `json:"party_id"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Session is a browser session's record; like a token, its secret is stored
// only as a SHA-256 hash.
type Session struct {
	ID        SessionID  `json:"id"`
	UserID    UserID     `json:"user_id"`
	PartyID   PartyID    `json:"party_id"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// PartyStore stores parties. Implementations are safe for concurrent use.
type PartyStore interface {
	// CreateParty stores a new party with its first user and that user's
	// roles in it, all or nothing. It returns ErrConflict when the credit
	// code or the email is already taken.
	CreateParty(ctx context.Context, p Party, first User, roles []Role) error
	// Party returns the party, or ErrNotFound.
	Party(ctx context.Context, id PartyID) (Party, error)
}

// UserStore stores users and their memberships. Implementations are safe for
// concurrent use.
type UserStore interface {
	// CreateUser stores a new user with roles in an existing party. It
	// returns ErrConflict when the email is taken and ErrNotFound when the
	// party does not exist.
	CreateUser(ctx context.Context, u User, party PartyID, roles []Role) error
	// User returns the user, or ErrNotFound.
	User(ctx context.Context, id UserID) (User, error)
	// UserByEmail returns the user with the normalized email, or ErrNotFound.
	UserByEmail(ctx context.Context, email string) (User, error)
	// Memberships returns the user's memberships, ordered by party and role.
	Memberships(ctx context.Context, id UserID) ([]Membership, error)
}

// CredentialStore stores sessions and API tokens by the SHA-256 hash of their
// secrets. Implementations are safe for concurrent use.
type CredentialStore interface {
	// CreateSession stores a session whose secret hashes to secretHash.
	CreateSession(ctx context.Context, s Session, secretHash []byte) error
	// SessionByHash returns the session whose secret hashes to secretHash and
	// the actor it authenticates (user, party and roles, as of now; the
	// credential fields are left for the caller), or ErrNotFound. A disabled
	// user's session is still returned, with the user's DisabledAt.
	SessionByHash(ctx context.Context, secretHash []byte) (Session, Actor, *time.Time, error)
	// RevokeSession marks the session revoked at the given time; revoking a
	// revoked session keeps the first time. ErrNotFound if it does not exist.
	RevokeSession(ctx context.Context, id SessionID, at time.Time) error

	// CreateToken stores an API token whose secret hashes to secretHash.
	CreateToken(ctx context.Context, t Token, secretHash []byte) error
	// TokenByHash is SessionByHash for API tokens.
	TokenByHash(ctx context.Context, secretHash []byte) (Token, Actor, *time.Time, error)
	// Token returns the token record, or ErrNotFound.
	Token(ctx context.Context, id TokenID) (Token, error)
	// Tokens returns the user's tokens in a party, newest first.
	Tokens(ctx context.Context, user UserID, party PartyID) ([]Token, error)
	// RevokeToken marks the token revoked at the given time; revoking a
	// revoked token keeps the first time. ErrNotFound if it does not exist.
	RevokeToken(ctx context.Context, id TokenID, at time.Time) error
}

// AccountStore is all the storage the Accounts service needs.
type AccountStore interface {
	PartyStore
	UserStore
	CredentialStore
}
