package market

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// LoginAttemptStore counts login attempts per key for the login limiter.
// internal/postgres implements it on the accounts' store, so that every
// process shares the counts and keeps them across restarts.
type LoginAttemptStore interface {
	// TakeLoginAttempt counts one attempt for key at now, atomically: in
	// the window that began with the key's first attempt, or in a new one
	// when that window (of length window) has ended. It returns the count
	// including this attempt and when the window began.
	TakeLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (attempts int, since time.Time, err error)
	// ReleaseLoginAttempt gives back one attempt of key (one that did not
	// fail on the password).
	ReleaseLoginAttempt(ctx context.Context, key string) error
	// ForgetLoginAttempts forgets key's attempts (after a good password).
	ForgetLoginAttempts(ctx context.Context, key string) error
}

// ErrTooManyAttempts is the kind of a login refused by the limiter.
var ErrTooManyAttempts = errors.New("too many attempts")

// LoginAttempt is one login: the credentials, the party to act for (zero:
// the user's only one) and the client's address.
type LoginAttempt struct {
	Email    string
	Password string
	Party    PartyID
	Client   string
}

// RetryAfter is the Details of an ErrTooManyAttempts error: how long to
// wait, in whole seconds, before trying again.
type RetryAfter struct {
	Seconds int `json:"retry_after_seconds"`
}

// LoginLimited is Login behind the login limiter, which both the JSON API
// and the pages call: at most LoginMaxFailures attempts per email and ten
// times as many per client address within LoginWindow; the window begins
// with the first attempt. Each attempt is counted before the password is
// checked, in one atomic step, so that concurrent attempts never pass the
// limit; a good password forgets the email's attempts and gives the
// address's back. It returns an ErrTooManyAttempts *Error (code
// too_many_attempts, Details RetryAfter) when a limit is reached, else
// Login's errors.
func (a *Accounts) LoginLimited(ctx context.Context, at LoginAttempt) (string, Actor, error) {
	if a.opt.Logins == nil {
		return a.Login(ctx, at.Email, at.Password, at.Party)
	}
	emailKey, ipKey := "email:"+NormalizeEmail(at.Email), "ip:"+at.Client
	now := a.now().UTC()
	var taken []string
	giveBack := func() {
		for _, k := range taken {
			_ = a.opt.Logins.ReleaseLoginAttempt(context.WithoutCancel(ctx), k)
		}
	}
	for _, k := range []struct {
		key string
		max int
	}{{emailKey, a.opt.LoginMaxFailures}, {ipKey, 10 * a.opt.LoginMaxFailures}} {
		n, since, err := a.opt.Logins.TakeLoginAttempt(ctx, k.key, now, a.opt.LoginWindow)
		if err != nil {
			giveBack()
			return "", Actor{}, fmt.Errorf("login limiter: %w", err)
		}
		taken = append(taken, k.key)
		if n > k.max {
			giveBack()
			wait := int(since.Add(a.opt.LoginWindow).Sub(now).Seconds()) + 1
			return "", Actor{}, &Error{Kind: ErrTooManyAttempts, Code: "too_many_attempts", Details: RetryAfter{Seconds: wait},
				Message: fmt.Sprintf("too many failed logins; try again in %d s", wait)}
		}
	}
	secret, actor, err := a.Login(ctx, at.Email, at.Password, at.Party)
	switch {
	case err == nil:
		_ = a.opt.Logins.ForgetLoginAttempts(ctx, emailKey)
		_ = a.opt.Logins.ReleaseLoginAttempt(ctx, ipKey)
	case errors.Is(err, ErrUnauthenticated):
		// a wrong password (or a disabled account) keeps both attempts counted
	default:
		giveBack()
	}
	return secret, actor, err
}
