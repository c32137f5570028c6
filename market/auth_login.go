package market

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errBadCredentials is returned for an unknown email and a wrong password
// alike, so that a caller cannot tell which.
var errBadCredentials = Errorf(ErrUnauthenticated, "invalid_credentials", "email or password is wrong")

// Login checks email and password and opens a session for the user in party
// (which may be zero when the user belongs to exactly one party). It returns
// the session secret, to be set as a cookie and never stored, and the actor.
// Errors: ErrUnauthenticated (code invalid_credentials or account_disabled);
// ErrInvalid (party_required) when the user belongs to several parties and
// none is named; ErrForbidden when the user is not a member of party.
func (a *Accounts) Login(ctx context.Context, email, password string, party PartyID) (string, Actor, error) {
	u, err := a.store.UserByEmail(ctx, NormalizeEmail(email))
	if errors.Is(err, ErrNotFound) {
		_, _ = verifyPassword(password, a.dummyHash)
		return "", Actor{}, errBadCredentials
	}
	if err != nil {
		return "", Actor{}, fmt.Errorf("login: %w", err)
	}
	ok, err := verifyPassword(password, u.PasswordHash)
	if err != nil {
		return "", Actor{}, fmt.Errorf("login %s: %w", u.ID, err)
	}
	if !ok {
		return "", Actor{}, errBadCredentials
	}
	if u.DisabledAt != nil {
		return "", Actor{}, Errorf(ErrUnauthenticated, "account_disabled", "this account is disabled")
	}
	ms, err := a.store.Memberships(ctx, u.ID)
	if err != nil {
		return "", Actor{}, fmt.Errorf("login %s: %w", u.ID, err)
	}
	party, err = choosePartyFor(ms, party)
	if err != nil {
		return "", Actor{}, err
	}
	now := a.now()
	secret, hash := newSecret(sessionPrefix)
	s := Session{ID: SessionID(NewID()), UserID: u.ID, PartyID: party, CreatedAt: now, ExpiresAt: now.Add(a.opt.SessionTTL)}
	if err := a.store.CreateSession(ctx, s, hash); err != nil {
		return "", Actor{}, fmt.Errorf("login %s: %w", u.ID, err)
	}
	actor, err := a.AuthenticateSession(ctx, secret)
	return secret, actor, err
}

func choosePartyFor(ms []Membership, party PartyID) (PartyID, error) {
	parties := map[PartyID]bool{}
	for _, m := range ms {
		parties[m.PartyID] = true
	}
	switch {
	case !party.IsZero() && parties[party]:
		return party, nil
	case !party.IsZero():
		return PartyID{}, Errorf(ErrForbidden, "forbidden_party", "you are not a member of party %s", party)
	case len(parties) == 1:
		for p := range parties {
			return p, nil
		}
	case len(parties) == 0:
		return PartyID{}, Errorf(ErrForbidden, "no_membership", "this account belongs to no party")
	}
	return PartyID{}, Invalid("party_id", "party_required", "you belong to several parties: name one in party_id")
}

// Logout revokes the session the actor authenticated with. ErrInvalid
// (code not_a_session) when the actor used an API token.
func (a *Accounts) Logout(ctx context.Context, by Actor) error {
	if !by.ViaSession() {
		return Errorf(ErrInvalid, "not_a_session", "this request did not use a session; revoke API tokens with DELETE /v1/tokens/{id}")
	}
	if err := a.store.RevokeSession(ctx, by.SessionID, a.now()); err != nil {
		return fmt.Errorf("logout session %s: %w", by.SessionID, err)
	}
	return nil
}

// CreateToken issues an API token for the actor's user and party, valid for
// ttl (zero: the default; at most the maximum). It returns the record and
// the secret, which is shown once and never stored.
func (a *Accounts) CreateToken(ctx context.Context, by Actor, name string, ttl time.Duration) (Token, string, error) {
	if name == "" {
		name = "api token"
	}
	if len([]rune(name)) > 100 {
		return Token{}, "", Invalid("name", "invalid_name", "name is longer than 100 characters")
	}
	switch {
	case ttl == 0:
		ttl = a.opt.TokenTTL
	case ttl < time.Minute || ttl > a.opt.MaxTokenTTL:
		return Token{}, "", Invalid("ttl_seconds", "invalid_ttl", "ttl_seconds must be between 60 and %d", int64(a.opt.MaxTokenTTL/time.Second))
	}
	now := a.now()
	secret, hash := newSecret(tokenPrefix)
	t := Token{ID: TokenID(NewID()), Name: name, UserID: by.UserID, PartyID: by.PartyID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := a.store.CreateToken(ctx, t, hash); err != nil {
		return Token{}, "", fmt.Errorf("create token: %w", err)
	}
	return t, secret, nil
}

// RevokeToken revokes one of the actor's own tokens; revoking twice is not an
// error. ErrNotFound when the token does not exist or is not the actor's.
func (a *Accounts) RevokeToken(ctx context.Context, by Actor, id TokenID) error {
	t, err := a.store.Token(ctx, id)
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	if t.UserID != by.UserID {
		return Errorf(ErrNotFound, "token_not_found", "you have no token %s", id)
	}
	if err := a.store.RevokeToken(ctx, id, a.now()); err != nil {
		return fmt.Errorf("revoke token %s: %w", id, err)
	}
	return nil
}

// AuthenticateToken returns the actor an API token secret authenticates.
// Errors: ErrUnauthenticated with code invalid_token, token_expired,
// token_revoked or account_disabled.
func (a *Accounts) AuthenticateToken(ctx context.Context, secret string) (Actor, error) {
	if !wellFormedSecret(tokenPrefix, secret) {
		return Actor{}, Errorf(ErrUnauthenticated, "invalid_token", "the bearer token is not a Shujiao API token")
	}
	t, actor, disabled, err := a.store.TokenByHash(ctx, hashSecret(secret))
	if errors.Is(err, ErrNotFound) {
		return Actor{}, Errorf(ErrUnauthenticated, "invalid_token", "the bearer token is unknown")
	}
	if err != nil {
		return Actor{}, fmt.Errorf("authenticate token: %w", err)
	}
	if err := a.checkCredential("token", t.ExpiresAt, t.RevokedAt, disabled); err != nil {
		return Actor{}, err
	}
	actor.TokenID, actor.ExpiresAt = t.ID, t.ExpiresAt
	return actor, nil
}

// AuthenticateSession returns the actor a session secret authenticates, with
// the session's CSRF token. Errors: ErrUnauthenticated with code
// invalid_session, session_expired, session_revoked or account_disabled.
func (a *Accounts) AuthenticateSession(ctx context.Context, secret string) (Actor, error) {
	if !wellFormedSecret(sessionPrefix, secret) {
		return Actor{}, Errorf(ErrUnauthenticated, "invalid_session", "the session cookie is not a Shujiao session")
	}
	s, actor, disabled, err := a.store.SessionByHash(ctx, hashSecret(secret))
	if errors.Is(err, ErrNotFound) {
		return Actor{}, Errorf(ErrUnauthenticated, "invalid_session", "the session is unknown; log in again")
	}
	if err != nil {
		return Actor{}, fmt.Errorf("authenticate session: %w", err)
	}
	if err := a.checkCredential("session", s.ExpiresAt, s.RevokedAt, disabled); err != nil {
		return Actor{}, err
	}
	actor.SessionID, actor.ExpiresAt, actor.CSRFToken = s.ID, s.ExpiresAt, csrfToken(secret)
	return actor, nil
}

func (a *Accounts) checkCredential(kind string, expires time.Time, revoked, disabled *time.Time) error {
	switch {
	case revoked != nil:
		return Errorf(ErrUnauthenticated, kind+"_revoked", "the %s was revoked", kind)
	case !a.now().Before(expires):
		return Errorf(ErrUnauthenticated, kind+"_expired", "the %s expired at %s", kind, expires.Format(time.RFC3339))
	case disabled != nil:
		return Errorf(ErrUnauthenticated, "account_disabled", "this account is disabled")
	}
	return nil
}

// Tokens lists the actor's own API tokens in its party, newest first (never
// their secrets).
func (a *Accounts) Tokens(ctx context.Context, by Actor) ([]Token, error) {
	ts, err := a.store.Tokens(ctx, by.UserID, by.PartyID)
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	if ts == nil {
		ts = []Token{}
	}
	return ts, nil
}
