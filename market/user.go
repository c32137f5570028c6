package market

import (
	"strings"
	"time"
)

// User is a person who logs in. A user acts for one or more parties through
// memberships; the credential used for a request names the party.
type User struct {
	ID    UserID `json:"id"`
	Email string `json:"email"` // lower-case, unique
	Name  string `json:"name"`
	// PasswordHash is the PHC-format argon2id hash of the password; never
	// serialized.
	PasswordHash string     `json:"-"`
	CreatedAt    time.Time  `json:"created_at"`
	DisabledAt   *time.Time `json:"disabled_at,omitempty"`
}

// Membership grants a user one role in one party.
type Membership struct {
	UserID  UserID  `json:"user_id"`
	PartyID PartyID `json:"party_id"`
	Role    Role    `json:"role"`
}

// NormalizeEmail returns the form in which an email address is stored and
// looked up: trimmed and lower-cased.
func NormalizeEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// validateEmail checks the rough shape of an email address (one @, something
// either side, no spaces): the address is a login name, never mailed to.
func validateEmail(field, email string) error {
	at := strings.IndexByte(email, '@')
	if email == "" {
		return Invalid(field, "missing_field", "%s is required", field)
	}
	if at < 1 || at != strings.LastIndexByte(email, '@') || at == len(email)-1 ||
		strings.ContainsAny(email, " \t\r\n") || len(email) > 254 {
		return Invalid(field, "invalid_email", "%s %q is not an email address", field, email)
	}
	return nil
}
