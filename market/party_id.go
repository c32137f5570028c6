package market

import (
	"fmt"

	"github.com/google/uuid"
)

// PartyID identifies a party (a UUIDv7). Its zero value is no party.
//
// The ID types have no driver.Valuer on purpose: pgx then encodes them as
// the 16 bytes they are (a binary uuid), where a Valuer made it format a
// string and parse it back on every parameter. They scan as sql.Scanner.
type PartyID uuid.UUID

// UserID identifies a user (a UUIDv7). Its zero value is no user.
type UserID uuid.UUID

// TokenID identifies an API token (a UUIDv7); it is public, unlike the
// token's secret.
type TokenID uuid.UUID

// SessionID identifies a browser session (a UUIDv7); it is public, unlike
// the session's secret.
type SessionID uuid.UUID

// ParsePartyID parses the canonical text form of a party ID. It returns an
// ErrInvalid *Error naming field when s is not a UUID.
func ParsePartyID(field, s string) (PartyID, error) {
	u, err := parseUUID(field, s)
	return PartyID(u), err
}

// ParseTokenID parses the canonical text form of a token ID. It returns an
// ErrInvalid *Error naming field when s is not a UUID.
func ParseTokenID(field, s string) (TokenID, error) {
	u, err := parseUUID(field, s)
	return TokenID(u), err
}

func parseUUID(field, s string) (uuid.UUID, error) {
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return uuid.Nil, Invalid(field, "invalid_id", "%s: %q is not an ID (want a UUID such as 0192f0c2-…)", field, s)
	}
	return u, nil
}

// String returns the canonical text form of the ID.
func (id PartyID) String() string { return uuid.UUID(id).String() }

// IsZero reports whether id is the zero ID.
func (id PartyID) IsZero() bool { return uuid.UUID(id) == uuid.Nil }

// MarshalText implements encoding.TextMarshaler.
func (id PartyID) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *PartyID) UnmarshalText(b []byte) error { return unmarshalID((*uuid.UUID)(id), b) }

// Scan implements sql.Scanner.
func (id *PartyID) Scan(src any) error { return (*uuid.UUID)(id).Scan(src) }

// String returns the canonical text form of the ID.
func (id UserID) String() string { return uuid.UUID(id).String() }

// IsZero reports whether id is the zero ID.
func (id UserID) IsZero() bool { return uuid.UUID(id) == uuid.Nil }

// MarshalText implements encoding.TextMarshaler.
func (id UserID) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *UserID) UnmarshalText(b []byte) error { return unmarshalID((*uuid.UUID)(id), b) }

// Scan implements sql.Scanner.
func (id *UserID) Scan(src any) error { return (*uuid.UUID)(id).Scan(src) }

// String returns the canonical text form of the ID.
func (id TokenID) String() string { return uuid.UUID(id).String() }

// MarshalText implements encoding.TextMarshaler.
func (id TokenID) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *TokenID) UnmarshalText(b []byte) error { return unmarshalID((*uuid.UUID)(id), b) }

// Scan implements sql.Scanner.
func (id *TokenID) Scan(src any) error { return (*uuid.UUID)(id).Scan(src) }

// String returns the canonical text form of the ID.
func (id SessionID) String() string { return uuid.UUID(id).String() }

// Scan implements sql.Scanner.
func (id *SessionID) Scan(src any) error { return (*uuid.UUID)(id).Scan(src) }

func unmarshalID(dst *uuid.UUID, b []byte) error {
	u, err := uuid.ParseBytes(b)
	if err != nil {
		return fmt.Errorf("id %q: %w", b, err)
	}
	*dst = u
	return nil
}
