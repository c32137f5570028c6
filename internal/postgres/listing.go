package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// ListingStore is market.ListingStore over PostgreSQL: listings, their
// transitions and gate decisions, each change in one transaction with its
// ledger event. It holds no rules (market.Listings does). It is safe for
// concurrent use.
type ListingStore struct {
	db   DB
	cert market.SignatureVerifier
}

// NewListingStore returns a listing store over db (a pool or a
// transaction) whose gate verifies certificates' signatures with cert, the
// platform's public key (market.CertificateOnRecord, Tianjin Art. 29). With
// a nil cert no certificate counts as proof: a listing that needs one is
// blocked (certificate-not-proof).
func NewListingStore(db DB, cert market.SignatureVerifier) *ListingStore {
	return &ListingStore{db: db, cert: cert}
}

const listingColumns = `id, party_id, created_by, state, declaration, price, decision, ruleset_version,
submissions, created_at, updated_at, listed_at`

func scanListing(row pgx.Row) (*market.ListingRecord, error) {
	var l market.ListingRecord
	var decl, decision []byte
	var price decimal.NullDecimal
	err := row.Scan(&l.ID, &l.PartyID, &l.CreatedBy, &l.State, &decl, &price, &decision, &l.RuleSetVersion,
		&l.Submissions, &l.CreatedAt, &l.UpdatedAt, &l.ListedAt)
	if err != nil {
		return nil, translate(err)
	}
	if err := json.Unmarshal(decl, &l.Declaration); err != nil {
		return nil, fmt.Errorf("listing %s: stored declaration: %w", l.ID, err)
	}
	if price.Valid {
		m := market.NewMoney(price.Decimal)
		l.Price = &m
	}
	if len(decision) > 0 {
		l.Decision = new(market.GateResult)
		if err := json.Unmarshal(decision, l.Decision); err != nil {
			return nil, fmt.Errorf("listing %s: stored decision: %w", l.ID, err)
		}
	}
	return &l, nil
}

// Listing returns listing id with its transitions, whoever's it is, or an
// error wrapping ErrNotFound.
func (s *ListingStore) Listing(ctx context.Context, id uuid.UUID) (*market.ListingRecord, error) {
	l, err := scanListing(s.db.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1`, id))
	if err == nil {
		l.Transitions, err = transitionsOf(ctx, s.db, id)
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

const selectListings = `SELECT ` + listingColumns + ` FROM listings
WHERE ($1::uuid IS NULL OR party_id = $1) AND ($2 = '' OR state = $2)
ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`

// Listings returns the listings of party (nil: every party's) in f.State
// ("" any), newest first, f.Limit (0: 100) from f.Offset.
func (s *ListingStore) Listings(ctx context.Context, party *market.PartyID, f market.ListingFilter) ([]*market.ListingRecord, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	rows, err := s.db.Query(ctx, selectListings, party, string(f.State), f.Limit, f.Offset)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []*market.ListingRecord{}
	for rows.Next() {
		l, err := scanListing(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err)
	}
	return out, nil
}

func transitionsOf(ctx context.Context, db DB, id uuid.UUID) ([]market.TransitionRecord, error) {
	rows, err := db.Query(ctx, `SELECT id, from_state, to_state, action, role, actor_user_id, actor_party_id,
reason, decision_id, at FROM listing_transitions WHERE listing_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := []market.TransitionRecord{}
	for rows.Next() {
		var t market.TransitionRecord
		if err := rows.Scan(&t.ID, &t.From, &t.To, &t.Action, &t.Role, &t.ActorUserID, &t.ActorPartyID,
			&t.Reason, &t.DecisionID, &t.At); err != nil {
			return nil, translate(err)
		}
		out = append(out, t)
	}
	return out, translate(rows.Err())
}
