package postgres

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// CaseStore is market.CaseStore over PostgreSQL: regulator cases, their
// notes, decisions, correction orders and penalties (migrations
// 00040–00041), each change in one transaction with its ledger event. It
// holds no rules (market.Cases does). It is safe for concurrent use.
type CaseStore struct {
	db DB
}

// NewCaseStore returns a case store over db (a pool or a transaction).
func NewCaseStore(db DB) *CaseStore { return &CaseStore{db: db} }

// caseTx is market.CaseTx over one pgx transaction.
type caseTx struct{ tx pgx.Tx }

var (
	_ market.CaseStore = (*CaseStore)(nil)
	_ market.CaseTx    = caseTx{}
)

// InCaseTx runs fn in one transaction.
func (s *CaseStore) InCaseTx(ctx context.Context, fn func(market.CaseTx) error) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error { return fn(caseTx{tx}) })
}

// AppendLedger appends ev in this transaction and returns its entry's ID.
func (t caseTx) AppendLedger(ctx context.Context, ev market.LedgerEvent) (uuid.UUID, error) {
	return AppendLedger(ctx, t.tx, ev)
}

// LockFlags returns the flags of ids that exist, locked.
func (t caseTx) LockFlags(ctx context.Context, ids []uuid.UUID) ([]market.Flag, error) {
	rows, err := t.tx.Query(ctx, `SELECT `+flagColumns+` FROM flags WHERE id = ANY($1) ORDER BY created_at, id FOR UPDATE`, ids)
	if err != nil {
		return nil, translate(err)
	}
	flags, err := pgx.CollectRows(rows, scanFlag)
	return flags, translate(err)
}

// SetFlagStatus moves flag id to status (see SetFlagStatus).
func (t caseTx) SetFlagStatus(ctx context.Context, id uuid.UUID, status market.FlagStatus, by market.PartyID, note string) error {
	return SetFlagStatus(ctx, t.tx, id, status, by, note)
}

// InsertCase stores case c over its flags.
func (t caseTx) InsertCase(ctx context.Context, c *market.Case, flagIDs []uuid.UUID, entry uuid.UUID) error {
	if _, err := t.tx.Exec(ctx, `INSERT INTO cases (id, party_id, authority_party_id, opened_by, title, status, created_at, updated_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, c.ID, c.PartyID, c.AuthorityPartyID, c.OpenedBy, c.Title, c.Status, c.CreatedAt, c.UpdatedAt, entry); err != nil {
		return translate(err)
	}
	for _, f := range flagIDs {
		if _, err := t.tx.Exec(ctx, `INSERT INTO case_flags (case_id, flag_id) VALUES ($1, $2)`, c.ID, f); err != nil {
			return translate(err)
		}
	}
	return nil
}

// LockCase locks case id and returns its status and party.
func (t caseTx) LockCase(ctx context.Context, id uuid.UUID) (market.CaseStatus, market.PartyID, error) {
	return lockCase(ctx, t.tx, id)
}

// SetCaseStatus stores case id's status.
func (t caseTx) SetCaseStatus(ctx context.Context, id uuid.UUID, status market.CaseStatus, now time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE cases SET status = $2, updated_at = $3 WHERE id = $1`, id, status, now)
	return translate(err)
}

// TouchCase stores case id's update time.
func (t caseTx) TouchCase(ctx context.Context, id uuid.UUID, now time.Time) error {
	_, err := t.tx.Exec(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, id, now)
	return translate(err)
}

const caseColumns = `c.id, c.party_id, c.authority_party_id, c.opened_by, c.title, c.status, c.created_at, c.updated_at`

// Case returns case id with its record (the correction order not
// evaluated).
func (s *CaseStore) Case(ctx context.Context, id uuid.UUID) (*market.Case, error) {
	c := &market.Case{}
	err := s.db.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id = $1`, id).Scan(
		&c.ID, &c.PartyID, &c.AuthorityPartyID, &c.OpenedBy, &c.Title, &c.Status, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		if isNotFound(translate(err)) {
			return nil, notFound("case", id)
		}
		return nil, translate(err)
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if c.Flags, err = caseFlags(ctx, s.db, id); err != nil {
		return nil, err
	}
	c.Articles = flagArticles(c.Flags)
	if c.Notes, err = caseNotes(ctx, s.db, id); err != nil {
		return nil, err
	}
	if c.Decisions, err = caseDecisions(ctx, s.db, id); err != nil {
		return nil, err
	}
	if c.Correction, err = caseCorrection(ctx, s.db, id); err != nil {
		return nil, err
	}
	if c.Penalty, err = latestPenalty(ctx, s.db, id); err != nil {
		return nil, err
	}
	return c, nil
}

// caseFlags returns the flags of case id, oldest first.
func caseFlags(ctx context.Context, db DB, id uuid.UUID) ([]market.Flag, error) {
	rows, err := db.Query(ctx, `SELECT `+prefixed("f.", flagColumns)+` FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
WHERE cf.case_id = $1 ORDER BY f.created_at, f.id`, id)
	if err != nil {
		return nil, translate(err)
	}
	flags, err := pgx.CollectRows(rows, scanFlag)
	return flags, translate(err)
}

// prefixed qualifies each column of a column list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

func flagArticles(flags []market.Flag) []string {
	arts := []string{}
	for _, f := range flags {
		if !slices.Contains(arts, f.Article) {
			arts = append(arts, f.Article)
		}
	}
	slices.Sort(arts)
	return arts
}

// Cases returns the cases matching f, newest first.
func (s *CaseStore) Cases(ctx context.Context, f market.CaseFilter) ([]market.CaseSummary, error) {
	var party *market.PartyID
	if !f.PartyID.IsZero() {
		party = &f.PartyID
	}
	rows, err := s.db.Query(ctx, `SELECT c.id, c.party_id, c.title, c.status, c.created_at, c.updated_at,
  array_agg(DISTINCT f.article ORDER BY f.article), array_agg(f.id ORDER BY f.created_at, f.id)
FROM cases c JOIN case_flags cf ON cf.case_id = c.id JOIN flags f ON f.id = cf.flag_id
WHERE ($1::text IS NULL OR c.status = $1) AND ($2::uuid IS NULL OR c.party_id = $2)
GROUP BY c.id ORDER BY c.created_at DESC, c.id DESC LIMIT $3 OFFSET $4`,
		stringOrNull(string(f.Status)), party, f.Limit, f.Offset)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (market.CaseSummary, error) {
		var c market.CaseSummary
		err := row.Scan(&c.ID, &c.PartyID, &c.Title, &c.Status, &c.CreatedAt, &c.UpdatedAt, &c.Articles, &c.FlagIDs)
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		return c, err
	})
	return out, translate(err)
}

// Flags returns the flags matching f (see ListFlags).
func (s *CaseStore) Flags(ctx context.Context, f market.FlagFilter) ([]market.Flag, error) {
	return ListFlags(ctx, s.db, f)
}
