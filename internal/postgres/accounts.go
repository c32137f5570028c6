package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// AccountStore implements market.AccountStore: parties, users, memberships,
// sessions and API tokens. It is safe for concurrent use.
type AccountStore struct {
	db DB
}

var _ market.AccountStore = (*AccountStore)(nil)

// NewAccountStore returns an account store over db (a pool, or a
// transaction).
func NewAccountStore(db DB) *AccountStore { return &AccountStore{db: db} }

const insertParty = `
INSERT INTO parties (id, kind, type, name, credit_code, jurisdiction, created_at, controller_overseas)
VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8)`

const insertUser = `
INSERT INTO users (id, email, name, password_hash, created_at)
VALUES ($1, $2, $3, $4, $5)`

const insertMembership = `
INSERT INTO memberships (user_id, party_id, role) VALUES ($1, $2, $3)`

// CreateParty stores the party, its first user and the user's roles in one
// transaction. ErrConflict when the credit code or email is taken.
func (s *AccountStore) CreateParty(ctx context.Context, p market.Party, first market.User, roles []market.Role) error {
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, insertParty, p.ID, p.Kind, p.Type, p.Name, p.CreditCode, p.Jurisdiction, p.CreatedAt, p.ControllerOverseas); err != nil {
			return err
		}
		return createUser(ctx, tx, first, p.ID, roles)
	})
	if err != nil {
		return fmt.Errorf("create party %q: %w", p.Name, translate(err))
	}
	return nil
}

// CreateUser stores a user with roles in an existing party, in one
// transaction. ErrConflict when the email is taken, ErrNotFound when the
// party does not exist.
func (s *AccountStore) CreateUser(ctx context.Context, u market.User, party market.PartyID, roles []market.Role) error {
	err := InTx(ctx, s.db, func(tx pgx.Tx) error { return createUser(ctx, tx, u, party, roles) })
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Email, translate(err))
	}
	return nil
}

func createUser(ctx context.Context, tx pgx.Tx, u market.User, party market.PartyID, roles []market.Role) error {
	if _, err := tx.Exec(ctx, insertUser, u.ID, u.Email, u.Name, u.PasswordHash, u.CreatedAt); err != nil {
		return err
	}
	for _, r := range roles {
		if _, err := tx.Exec(ctx, insertMembership, u.ID, party, r); err != nil {
			return err
		}
	}
	return nil
}

const selectParty = `
SELECT id, kind, type, name, coalesce(credit_code, ''), jurisdiction, credit_rating, created_at, controller_overseas
FROM parties WHERE id = $1`

// Party returns the party, or ErrNotFound.
func (s *AccountStore) Party(ctx context.Context, id market.PartyID) (market.Party, error) {
	var p market.Party
	err := s.db.QueryRow(ctx, selectParty, id).Scan(&p.ID, &p.Kind, &p.Type, &p.Name, &p.CreditCode, &p.Jurisdiction, &p.CreditRating, &p.CreatedAt, &p.ControllerOverseas)
	if err != nil {
		return market.Party{}, fmt.Errorf("party %s: %w", id, translate(err))
	}
	p.CreatedAt = p.CreatedAt.UTC()
	return p, nil
}

const selectUserBy = `
SELECT id, email, name, password_hash, created_at, disabled_at FROM users WHERE `

// User returns the user, or ErrNotFound.
func (s *AccountStore) User(ctx context.Context, id market.UserID) (market.User, error) {
	u, err := scanUser(s.db.QueryRow(ctx, selectUserBy+"id = $1", id))
	if err != nil {
		return market.User{}, fmt.Errorf("user %s: %w", id, err)
	}
	return u, nil
}

// UserByEmail returns the user with the (normalized) email, or ErrNotFound.
func (s *AccountStore) UserByEmail(ctx context.Context, email string) (market.User, error) {
	u, err := scanUser(s.db.QueryRow(ctx, selectUserBy+"email = $1", email))
	if err != nil {
		return market.User{}, fmt.Errorf("user by email: %w", err)
	}
	return u, nil
}

func scanUser(row pgx.Row) (market.User, error) {
	var u market.User
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.CreatedAt, &u.DisabledAt); err != nil {
		return market.User{}, translate(err)
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return u, nil
}

const selectMemberships = `
SELECT user_id, party_id, role FROM memberships WHERE user_id = $1 ORDER BY party_id, role`

// Memberships returns the user's memberships, ordered by party and role.
func (s *AccountStore) Memberships(ctx context.Context, id market.UserID) ([]market.Membership, error) {
	rows, err := s.db.Query(ctx, selectMemberships, id)
	if err != nil {
		return nil, fmt.Errorf("memberships of %s: %w", id, translate(err))
	}
	ms, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (market.Membership, error) {
		var m market.Membership
		err := r.Scan(&m.UserID, &m.PartyID, &m.Role)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("memberships of %s: %w", id, translate(err))
	}
	return ms, nil
}
