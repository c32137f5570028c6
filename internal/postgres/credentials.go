package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// insertSession stores a session and, in the same statement, forgets the
// user's sessions that ended (expired or revoked) more than a day before, so
// that the table holds only live sessions and recent ones.
const insertSession = `
WITH purged AS (
    DELETE FROM sessions
    WHERE user_id = $3 AND coalesce(revoked_at, expires_at) < $5::timestamptz - interval '1 day'
)
INSERT INTO sessions (id, secret_hash, user_id, party_id, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6)`

// CreateSession stores a session whose secret hashes to secretHash, and
// deletes the user's sessions that ended more than a day ago.
func (s *AccountStore) CreateSession(ctx context.Context, ss market.Session, secretHash []byte) error {
	if _, err := s.db.Exec(ctx, insertSession, ss.ID, secretHash, ss.UserID, ss.PartyID, ss.CreatedAt, ss.ExpiresAt); err != nil {
		return fmt.Errorf("create session: %w", translate(err))
	}
	return nil
}

// actorColumns selects, for a credential c, its user's disabled time and the
// actor's party attributes and roles in the credential's party.
const actorColumns = `
       u.disabled_at, p.kind, p.type, p.jurisdiction,
       ARRAY(SELECT m.role FROM memberships m
             WHERE m.user_id = c.user_id AND m.party_id = c.party_id ORDER BY m.role)
`

const selectSessionByHash = `
SELECT c.id, c.user_id, c.party_id, c.created_at, c.expires_at, c.revoked_at,` + actorColumns + `
FROM sessions c JOIN users u ON u.id = c.user_id JOIN parties p ON p.id = c.party_id
WHERE c.secret_hash = $1`

// SessionByHash returns the session whose secret hashes to secretHash, the
// actor it authenticates and the user's disabled time, or ErrNotFound.
func (s *AccountStore) SessionByHash(ctx context.Context, secretHash []byte) (market.Session, market.Actor, *time.Time, error) {
	var ss market.Session
	row := s.db.QueryRow(ctx, selectSessionByHash, secretHash)
	a, disabled, err := scanActor(row, &ss.ID, &ss.UserID, &ss.PartyID, &ss.CreatedAt, &ss.ExpiresAt, &ss.RevokedAt)
	if err != nil {
		return market.Session{}, market.Actor{}, nil, fmt.Errorf("session by hash: %w", err)
	}
	a.UserID, a.PartyID = ss.UserID, ss.PartyID
	return ss, a, disabled, nil
}

// scanActor scans the credential columns into dest and then actorColumns.
func scanActor(row pgx.Row, dest ...any) (market.Actor, *time.Time, error) {
	var a market.Actor
	var disabled *time.Time
	var roles []string
	if err := row.Scan(append(dest, &disabled, &a.PartyKind, &a.PartyType, &a.Jurisdiction, &roles)...); err != nil {
		return market.Actor{}, nil, translate(err)
	}
	a.Roles = make([]market.Role, len(roles))
	for i, r := range roles {
		a.Roles[i] = market.Role(r)
	}
	return a, disabled, nil
}

// RevokeSession marks the session revoked (keeping the first revocation
// time). ErrNotFound if it does not exist.
func (s *AccountStore) RevokeSession(ctx context.Context, id market.SessionID, at time.Time) error {
	tag, err := s.db.Exec(ctx, `UPDATE sessions SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, at)
	if err != nil {
		return fmt.Errorf("revoke session %s: %w", id, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke session %s: %w", id, market.ErrNotFound)
	}
	return nil
}

const insertToken = `
INSERT INTO api_tokens (id, secret_hash, name, user_id, party_id, created_at, expires_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`

// CreateToken stores an API token whose secret hashes to secretHash.
func (s *AccountStore) CreateToken(ctx context.Context, t market.Token, secretHash []byte) error {
	if _, err := s.db.Exec(ctx, insertToken, t.ID, secretHash, t.Name, t.UserID, t.PartyID, t.CreatedAt, t.ExpiresAt); err != nil {
		return fmt.Errorf("create token: %w", translate(err))
	}
	return nil
}

const tokenColumns = `c.id, c.name, c.user_id, c.party_id, c.created_at, c.expires_at, c.revoked_at`

const selectTokenByHash = `
SELECT ` + tokenColumns + `,` + actorColumns + `
FROM api_tokens c JOIN users u ON u.id = c.user_id JOIN parties p ON p.id = c.party_id
WHERE c.secret_hash = $1`

// TokenByHash returns the token whose secret hashes to secretHash, the actor
// it authenticates and the user's disabled time, or ErrNotFound.
func (s *AccountStore) TokenByHash(ctx context.Context, secretHash []byte) (market.Token, market.Actor, *time.Time, error) {
	var t market.Token
	row := s.db.QueryRow(ctx, selectTokenByHash, secretHash)
	a, disabled, err := scanActor(row, tokenDest(&t)...)
	if err != nil {
		return market.Token{}, market.Actor{}, nil, fmt.Errorf("token by hash: %w", err)
	}
	a.UserID, a.PartyID = t.UserID, t.PartyID
	return t, a, disabled, nil
}

func tokenDest(t *market.Token) []any {
	return []any{&t.ID, &t.Name, &t.UserID, &t.PartyID, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt}
}

// Token returns the token record, or ErrNotFound.
func (s *AccountStore) Token(ctx context.Context, id market.TokenID) (market.Token, error) {
	var t market.Token
	err := s.db.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens c WHERE c.id = $1`, id).Scan(tokenDest(&t)...)
	if err != nil {
		return market.Token{}, fmt.Errorf("token %s: %w", id, translate(err))
	}
	return t, nil
}

// Tokens returns the user's tokens in a party, newest first.
func (s *AccountStore) Tokens(ctx context.Context, user market.UserID, party market.PartyID) ([]market.Token, error) {
	rows, err := s.db.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens c
WHERE c.user_id = $1 AND c.party_id = $2 ORDER BY c.created_at DESC, c.id DESC`, user, party)
	if err != nil {
		return nil, fmt.Errorf("tokens of %s: %w", user, translate(err))
	}
	ts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (market.Token, error) {
		var t market.Token
		err := r.Scan(tokenDest(&t)...)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("tokens of %s: %w", user, translate(err))
	}
	return ts, nil
}

// RevokeToken marks the token revoked (keeping the first revocation time).
// ErrNotFound if it does not exist.
func (s *AccountStore) RevokeToken(ctx context.Context, id market.TokenID, at time.Time) error {
	tag, err := s.db.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, at)
	if err != nil {
		return fmt.Errorf("revoke token %s: %w", id, translate(err))
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("revoke token %s: %w", id, market.ErrNotFound)
	}
	return nil
}
