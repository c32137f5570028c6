package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/shujiao/shujiao/market"
)

// SQLSTATE codes this package translates.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
	checkViolation      = "23514"
	numericOutOfRange   = "22003"
	textNotUTF8         = "22021" // character_not_in_repertoire: a NUL or invalid UTF-8
	untranslatableChar  = "22P05"
)

// translate maps a driver error to a market error kind, wrapping both so that
// errors.Is finds the kind and the log keeps the driver's detail:
// pgx.ErrNoRows → market.ErrNotFound; unique violation → market.ErrConflict;
// foreign key violation → market.ErrNotFound (the row referred to is gone);
// check violation → market.ErrInvalid; a number out of range and text
// PostgreSQL cannot hold (NUL, invalid UTF-8) → ErrInvalid. Other errors
// pass through unchanged.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: %w", market.ErrNotFound, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case uniqueViolation:
			return fmt.Errorf("%w: %w", market.ErrConflict, err)
		case foreignKeyViolation:
			return fmt.Errorf("%w: %w", market.ErrNotFound, err)
		case checkViolation:
			return fmt.Errorf("%w: %w", market.ErrInvalid, err)
		case numericOutOfRange:
			return fmt.Errorf("%w: %w", market.Invalid("", "number_out_of_range", "a number is too large to be kept"), err)
		case textNotUTF8, untranslatableChar:
			return fmt.Errorf("%w: %w", market.Invalid("", "invalid_text", "text may not hold NUL characters or invalid UTF-8"), err)
		}
	}
	return err
}
