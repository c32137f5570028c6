package postgres

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// listingTx is market.ListingTx over one pgx transaction; cert verifies
// certificates in the gate (nil: none counts as proof).
type listingTx struct {
	tx   pgx.Tx
	cert market.SignatureVerifier
}

var (
	_ market.ListingStore = (*ListingStore)(nil)
	_ market.ListingTx    = listingTx{}
)

// InTx runs fn in one transaction.
func (s *ListingStore) InTx(ctx context.Context, fn func(market.ListingTx) error) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error { return fn(listingTx{tx, s.cert}) })
}

// InListingTx runs fn in one transaction with listing id locked FOR UPDATE.
func (s *ListingStore) InListingTx(ctx context.Context, id uuid.UUID, fn func(market.ListingTx, *market.ListingRecord) error) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		l, err := scanListing(tx.QueryRow(ctx, `SELECT `+listingColumns+` FROM listings WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		return fn(listingTx{tx, s.cert}, l)
	})
}

// DatasetOwned reports whether dataset id is party's.
func (t listingTx) DatasetOwned(ctx context.Context, party market.PartyID, id uuid.UUID) (bool, error) {
	var n int
	if err := t.tx.QueryRow(ctx, `SELECT count(*) FROM datasets WHERE id = $1 AND party_id = $2`, id, party).Scan(&n); err != nil {
		return false, translate(err)
	}
	return n > 0, nil
}

// Certificate returns party's certificate id.
func (t listingTx) Certificate(ctx context.Context, party market.PartyID, id uuid.UUID) (*market.Certificate, error) {
	return certificateOf(ctx, t.tx, party, id)
}

const insertListing = `
INSERT INTO listings (id, party_id, created_by, state, declaration, title, description, category, product_type,
                      price, dataset_id, certificate_id, created_at, updated_at)
VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)`

// InsertListing stores l as a new draft.
func (t listingTx) InsertListing(ctx context.Context, l *market.ListingRecord) error {
	d := &l.Declaration
	decl, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, insertListing, l.ID, l.PartyID, l.CreatedBy, decl, d.Title, d.Description,
		d.Category, d.ProductType, moneyArg(l.Price), nullUUID(d.DatasetID), nullUUID(d.CertificateID), l.CreatedAt)
	return translate(err)
}

const updateListing = `
UPDATE listings SET declaration = $2, title = $3, description = $4, category = $5, product_type = $6,
       price = $7, dataset_id = $8, certificate_id = $9, updated_at = $10
WHERE id = $1`

// UpdateListing stores l's declaration, price and update time.
func (t listingTx) UpdateListing(ctx context.Context, l *market.ListingRecord) error {
	d := &l.Declaration
	decl, err := json.Marshal(d)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, updateListing, l.ID, decl, d.Title, d.Description, d.Category, d.ProductType,
		moneyArg(l.Price), nullUUID(d.DatasetID), nullUUID(d.CertificateID), l.UpdatedAt)
	return translate(err)
}

// SaveState stores l's state, decision, rule-set version, submissions and
// times.
func (t listingTx) SaveState(ctx context.Context, l *market.ListingRecord) error {
	var decision []byte
	if l.Decision != nil {
		var err error
		if decision, err = json.Marshal(l.Decision); err != nil {
			return err
		}
	}
	_, err := t.tx.Exec(ctx, `UPDATE listings SET state = $2, decision = $3, ruleset_version = $4,
submissions = $5, updated_at = $6, listed_at = $7 WHERE id = $1`,
		l.ID, l.State, decision, l.RuleSetVersion, l.Submissions, l.UpdatedAt, l.ListedAt)
	return translate(err)
}

// Gate runs the Art. 36 gate on l (see gateListing).
func (t listingTx) Gate(ctx context.Context, l *market.ListingRecord, now time.Time) (market.GateResult, error) {
	return gateListing(ctx, t.tx, t.cert, l, now)
}

// RecordDecision stores the gate's decision res on l and returns its ID.
func (t listingTx) RecordDecision(ctx context.Context, l *market.ListingRecord, res market.GateResult, now time.Time) (uuid.UUID, error) {
	declJSON, err := json.Marshal(l.Declaration)
	if err != nil {
		return uuid.Nil, err
	}
	violations, err := json.Marshal(res.Violations)
	if err != nil {
		return uuid.Nil, err
	}
	id := market.NewID()
	if _, err := t.tx.Exec(ctx, `INSERT INTO listing_decisions (id, listing_id, party_id, decision, violations,
ruleset_version, declaration, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, l.ID, l.PartyID, res.Decision, violations, res.RuleSetVersion, declJSON, now); err != nil {
		return uuid.Nil, translate(err)
	}
	return id, nil
}

// RecordTransition stores move tr of l by actor (nil: the gate).
func (t listingTx) RecordTransition(ctx context.Context, l *market.ListingRecord, tr market.Transition, actor *market.Actor, decisionID *uuid.UUID) (uuid.UUID, error) {
	id := market.NewID()
	var userID *market.UserID
	var partyID *market.PartyID
	if actor != nil {
		userID, partyID = &actor.UserID, &actor.PartyID
	}
	if _, err := t.tx.Exec(ctx, `INSERT INTO listing_transitions (id, listing_id, party_id, from_state, to_state,
action, role, actor_user_id, actor_party_id, reason, decision_id, at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		id, l.ID, l.PartyID, tr.From, tr.To, tr.Action, tr.Role, userID, partyID, tr.Reason, decisionID, tr.At); err != nil {
		return uuid.Nil, translate(err)
	}
	return id, nil
}

// RaiseFlag records f in this transaction.
func (t listingTx) RaiseFlag(ctx context.Context, f *market.Flag) error {
	return RaiseFlag(ctx, t.tx, f)
}

// AppendLedger appends ev in this transaction.
func (t listingTx) AppendLedger(ctx context.Context, ev market.LedgerEvent) error {
	_, err := AppendLedger(ctx, t.tx, ev)
	return err
}

// moneyArg passes an optional amount as numeric.
func moneyArg(m *market.Money) any {
	if m == nil {
		return nil
	}
	return m.Decimal()
}

// nullUUID passes an optional ID string (already validated) as uuid.
func nullUUID(s string) any {
	if s == "" {
		return nil
	}
	return s
}
