package market

import (
	"errors"
	"fmt"
)

// Sentinel error kinds. Every error the market returns to a caller wraps one
// of them; internal/httpapi maps each kind to an HTTP status in one table.
var (
	// ErrNotFound: the thing does not exist, or the caller may not know it does.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the request conflicts with the current state (duplicate, wrong state).
	ErrConflict = errors.New("conflict")
	// ErrForbidden: the caller's role or party may not do this.
	ErrForbidden = errors.New("forbidden")
	// ErrUnauthenticated: no valid credentials.
	ErrUnauthenticated = errors.New("unauthenticated")
	// ErrInvalid: the input is malformed or fails validation.
	ErrInvalid = errors.New("invalid input")
	// ErrRefused: a rule of law refused the request (the Error names the article).
	ErrRefused = errors.New("refused by rule")
	// ErrInsufficientFunds: an account balance would go negative.
	ErrInsufficientFunds = errors.New("insufficient funds")
)

// Error is a domain error with a stable machine-readable Code, the Article
// of law when a rule refused the request, and the input Field at fault.
// It wraps its Kind, one of the sentinel errors above, for errors.Is.
type Error struct {
	Kind    error  // ErrNotFound, ErrInvalid, ErrRefused, …
	Code    string // stable, snake_case: "listing_blocked", "invalid_json", …
	Article string // e.g. "Shaanxi Art. 36(1)"; empty unless a rule of law refused
	Field   string // the input field at fault, if one is
	Message string // human-readable, safe to show to the caller
	// Details carries structured evidence (violations, flags) for the caller.
	Details any
}

// Error returns the message, prefixed by the article when there is one.
func (e *Error) Error() string {
	if e.Article != "" {
		return e.Article + ": " + e.Message
	}
	return e.Message
}

// Unwrap returns the error kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf returns an *Error of the given kind and code with a formatted message.
func Errorf(kind error, code, format string, a ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, a...)}
}

// Invalid returns an ErrInvalid *Error naming the field at fault.
func Invalid(field, code, format string, a ...any) *Error {
	return &Error{Kind: ErrInvalid, Code: code, Field: field, Message: fmt.Sprintf(format, a...)}
}

// Refused returns an ErrRefused *Error citing the article of law that refused.
func Refused(article, code, format string, a ...any) *Error {
	return &Error{Kind: ErrRefused, Code: code, Article: article, Message: fmt.Sprintf(format, a...)}
}
