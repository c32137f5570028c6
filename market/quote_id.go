package market

import "github.com/google/uuid"

// QuoteID identifies a quote the platform made (a UUIDv7). Its zero value
// is no quote. Like PartyID it has no driver.Valuer: pgx encodes it as the
// 16 bytes it is, and it scans as an sql.Scanner. Trades read from an
// imported file keep their own IDs as text (Trade.ID); this type is for
// the platform's quotes.
type QuoteID uuid.UUID

// NewQuoteID returns a new quote ID.
func NewQuoteID() QuoteID { return QuoteID(NewID()) }

// ParseQuoteID parses the canonical text form of a quote ID. It returns an
// ErrInvalid *Error naming field when s is not a UUID.
func ParseQuoteID(field, s string) (QuoteID, error) {
	u, err := parseUUID(field, s)
	return QuoteID(u), err
}

// String returns the canonical text form of the ID.
func (id QuoteID) String() string { return uuid.UUID(id).String() }

// IsZero reports whether id is the zero ID.
func (id QuoteID) IsZero() bool { return uuid.UUID(id) == uuid.Nil }

// MarshalText implements encoding.TextMarshaler.
func (id QuoteID) MarshalText() ([]byte, error) { return uuid.UUID(id).MarshalText() }

// UnmarshalText implements encoding.TextUnmarshaler.
func (id *QuoteID) UnmarshalText(b []byte) error { return unmarshalID((*uuid.UUID)(id), b) }

// Scan implements sql.Scanner.
func (id *QuoteID) Scan(src any) error { return (*uuid.UUID)(id).Scan(src) }
