// Package errkind is the one table from market's error kinds to what the
// adapters show: the HTTP status, the default stable code and title of the
// JSON API's problem details (internal/httpapi) and the catalogue key of
// the pages' error heading (internal/web). Both adapters look errors up
// here, so that one action gives the same status and code either way.
package errkind

import (
	"errors"
	"net/http"

	"github.com/shujiao/shujiao/market"
)

// Kind is one row of the table.
type Kind struct {
	// Err is the market sentinel (market.ErrInvalid, …).
	Err error
	// Status is the HTTP status of an error of this kind.
	Status int
	// Code is the stable code when the error carries none of its own.
	Code string
	// Title is the problem details' title.
	Title string
	// Name keys the pages' catalogue: "error.<Name>" and "error.<Name>_detail".
	Name string
}

// Kinds is the table, in the order errors are matched.
var Kinds = []Kind{
	{market.ErrInvalid, http.StatusBadRequest, "invalid_input", "Invalid input", "invalid"},
	{market.ErrUnauthenticated, http.StatusUnauthorized, "unauthenticated", "Authentication required", "unauthenticated"},
	{market.ErrForbidden, http.StatusForbidden, "forbidden", "Forbidden", "forbidden"},
	{market.ErrNotFound, http.StatusNotFound, "not_found", "Not found", "not_found"},
	{market.ErrConflict, http.StatusConflict, "conflict", "Conflict", "conflict"},
	{market.ErrRefused, http.StatusUnprocessableEntity, "refused", "Refused by rule", "refused"},
	{market.ErrInsufficientFunds, http.StatusUnprocessableEntity, "insufficient_funds", "Insufficient funds", "insufficient_funds"},
	{market.ErrTooManyAttempts, http.StatusTooManyRequests, "too_many_attempts", "Too many attempts", "too_many_attempts"},
}

// Of returns the kind err wraps; ok is false for an error of no domain
// kind, which both adapters show as a 500 "internal error".
func Of(err error) (k Kind, ok bool) {
	for _, k := range Kinds {
		if errors.Is(err, k.Err) {
			return k, true
		}
	}
	return Kind{}, false
}

// Code returns err's stable code: the *market.Error's own when it has one,
// else its kind's default, else "internal_error".
func Code(err error) string {
	var me *market.Error
	if errors.As(err, &me) && me.Code != "" {
		return me.Code
	}
	if k, ok := Of(err); ok {
		return k.Code
	}
	return "internal_error"
}

// Status returns the HTTP status of err (500 for no domain kind).
func Status(err error) int {
	if k, ok := Of(err); ok {
		return k.Status
	}
	return http.StatusInternalServerError
}
