package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// CaseStore keeps regulator cases, their notes, decisions, correction
// orders and penalties (migrations 00040–00041). Every change appends its
// ledger event in the same transaction. It is safe for concurrent use.
type CaseStore struct {
	db DB
}

// NewCaseStore returns a case store over db (a pool or a transaction).
func NewCaseStore(db DB) *CaseStore { return &CaseStore{db: db} }

// caseEvent appends a case ledger event with payload v.
func caseEvent(ctx context.Context, tx pgx.Tx, kind string, party market.PartyID, subject uuid.UUID, at time.Time, v any) (uuid.UUID, error) {
	payload, err := json.Marshal(v)
	if err != nil {
		return uuid.Nil, fmt.Errorf("encode %s ledger event: %w", kind, err)
	}
	return AppendLedger(ctx, tx, market.LedgerEvent{Kind: kind, PartyID: uuidOf(party), SubjectID: subject, Payload: payload, At: at})
}

// OpenCase opens a case from req.FlagIDs for a regulator at now: the flags
// must exist, be open, and concern one party; they move to in_case. The
// case, the flag moves and the optional first note are appended to the
// ledger in one transaction.
//
// Errors: ErrForbidden (code forbidden_role) for a non-regulator;
// ErrInvalid (bad request, flags_of_several_parties); ErrNotFound (code
// flag_not_found); ErrConflict (code flag_not_open) for a flag already in
// a case or dismissed.
func (s *CaseStore) OpenCase(ctx context.Context, actor market.Actor, req market.OpenCaseRequest, now time.Time) (*market.Case, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	id := market.NewID()
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+flagColumns+` FROM flags WHERE id = ANY($1) ORDER BY created_at, id FOR UPDATE`, req.FlagIDs)
		if err != nil {
			return translate(err)
		}
		flags, err := pgx.CollectRows(rows, scanFlag)
		if err != nil {
			return translate(err)
		}
		party, err := checkCaseFlags(req.FlagIDs, flags)
		if err != nil {
			return err
		}
		title := req.Title
		if title == "" {
			title = flags[0].Summary
		}
		ids := make([]uuid.UUID, len(flags))
		for i, f := range flags {
			ids[i] = f.ID
		}
		entry, err := caseEvent(ctx, tx, "case.opened", party, id, now, map[string]any{
			"case_id": id, "flag_ids": ids, "title": title, "opened_by": actor.UserID, "authority_party_id": actor.PartyID})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO cases (id, party_id, authority_party_id, opened_by, title, status, created_at, updated_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, 'open', $6, $6, $7)`, id, party, actor.PartyID, actor.UserID, title, now, entry); err != nil {
			return translate(err)
		}
		for _, f := range flags {
			if _, err := tx.Exec(ctx, `INSERT INTO case_flags (case_id, flag_id) VALUES ($1, $2)`, id, f.ID); err != nil {
				return translate(err)
			}
			if err := SetFlagStatus(ctx, tx, f.ID, market.FlagInCase, uuidOf(actor.PartyID), "taken into case "+id.String()); err != nil {
				return err
			}
		}
		if req.Note != "" {
			_, err = insertNote(ctx, tx, actor, id, party, market.NoteRequest{Text: req.Note}, now)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("open case: %w", err)
	}
	return s.Case(ctx, actor, id, now)
}

// checkCaseFlags checks that every requested flag was found, is open, and
// that all concern one party; it returns that party.
func checkCaseFlags(want []uuid.UUID, flags []market.Flag) (market.PartyID, error) {
	found := map[uuid.UUID]market.Flag{}
	for _, f := range flags {
		found[f.ID] = f
	}
	for _, id := range want {
		if _, ok := found[id]; !ok {
			return market.PartyID{}, notFound("flag", id)
		}
	}
	party := flags[0].PartyID
	for _, f := range flags {
		if f.Status != market.FlagOpen {
			return market.PartyID{}, market.Errorf(market.ErrConflict, "flag_not_open", "flag %s is %s; a case is opened from open flags only", f.ID, f.Status)
		}
		if f.PartyID != party {
			return market.PartyID{}, market.Invalid("flag_ids", "flags_of_several_parties",
				"flag_ids: flags %s and %s concern different parties; a case concerns one party", flags[0].ID, f.ID)
		}
	}
	return market.PartyID(party), nil
}

const caseColumns = `c.id, c.party_id, c.authority_party_id, c.opened_by, c.title, c.status, c.created_at, c.updated_at`

// Case returns case id as it stands at now (the correction order evaluated
// on that day), for a regulator. Errors: ErrForbidden (forbidden_role),
// ErrNotFound (case_not_found).
func (s *CaseStore) Case(ctx context.Context, actor market.Actor, id uuid.UUID, now time.Time) (*market.Case, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	c, err := loadCase(ctx, s.db, id, now)
	if err != nil {
		return nil, fmt.Errorf("case %s: %w", id, err)
	}
	return c, nil
}

func loadCase(ctx context.Context, db DB, id uuid.UUID, now time.Time) (*market.Case, error) {
	c := &market.Case{}
	err := db.QueryRow(ctx, `SELECT `+caseColumns+` FROM cases c WHERE c.id = $1`, id).Scan(
		&c.ID, &c.PartyID, &c.AuthorityPartyID, &c.OpenedBy, &c.Title, &c.Status, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		if isNotFound(translate(err)) {
			return nil, notFound("case", id)
		}
		return nil, translate(err)
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	rows, err := db.Query(ctx, `SELECT `+prefixed("f.", flagColumns)+` FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
WHERE cf.case_id = $1 ORDER BY f.created_at, f.id`, id)
	if err != nil {
		return nil, translate(err)
	}
	if c.Flags, err = pgx.CollectRows(rows, scanFlag); err != nil {
		return nil, translate(err)
	}
	c.Articles = flagArticles(c.Flags)
	if c.Notes, err = caseNotes(ctx, db, id); err != nil {
		return nil, err
	}
	if c.Decisions, err = caseDecisions(ctx, db, id); err != nil {
		return nil, err
	}
	if c.Correction, err = caseCorrection(ctx, db, id, now); err != nil {
		return nil, err
	}
	if c.Penalty, err = latestPenalty(ctx, db, id); err != nil {
		return nil, err
	}
	return c, nil
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

// ListCases returns the cases matching f, newest first, for a regulator.
// Errors: ErrForbidden (forbidden_role), ErrInvalid (an unknown status).
func (s *CaseStore) ListCases(ctx context.Context, actor market.Actor, f market.CaseFilter) ([]market.CaseSummary, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, market.Invalid("status", "invalid_filter", "status %q is not open, correction_ordered, penalty or dismissed", f.Status)
	}
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = 100
	case limit > 1000:
		limit = 1000
	}
	var party *uuid.UUID
	if !f.PartyID.IsZero() {
		p := uuidOf(f.PartyID)
		party = &p
	}
	rows, err := s.db.Query(ctx, `SELECT c.id, c.party_id, c.title, c.status, c.created_at, c.updated_at,
  array_agg(DISTINCT f.article ORDER BY f.article), array_agg(f.id ORDER BY f.created_at, f.id)
FROM cases c JOIN case_flags cf ON cf.case_id = c.id JOIN flags f ON f.id = cf.flag_id
WHERE ($1::text IS NULL OR c.status = $1) AND ($2::uuid IS NULL OR c.party_id = $2)
GROUP BY c.id ORDER BY c.created_at DESC, c.id DESC LIMIT $3 OFFSET $4`,
		stringOrNull(string(f.Status)), party, limit, max(f.Offset, 0))
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (market.CaseSummary, error) {
		var c market.CaseSummary
		err := row.Scan(&c.ID, &c.PartyID, &c.Title, &c.Status, &c.CreatedAt, &c.UpdatedAt, &c.Articles, &c.FlagIDs)
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", translate(err))
	}
	return out, nil
}
