package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// RuleSetStore keeps the versioned rule set the Art. 36 gate and the
// Art. 37 detector read. Versions are never changed once stored; an
// operator's edit stores the next version. It is safe for concurrent use.
type RuleSetStore struct {
	db DB
}

// NewRuleSetStore returns a rule-set store over db (a pool or a transaction).
func NewRuleSetStore(db DB) *RuleSetStore { return &RuleSetStore{db: db} }

// CurrentRuleSet returns the newest rule set. When the rule sets shipped
// with Shujiao are not stored yet (a database never migrated by this
// build), it stores them first (StoreShippedRuleSets).
func (s *RuleSetStore) CurrentRuleSet(ctx context.Context) (*market.RuleSet, error) {
	rs, err := currentRuleSet(ctx, s.db)
	if err != nil {
		return nil, fmt.Errorf("current rule set: %w", err)
	}
	return rs, nil
}

// selectCurrentRuleSet reads the digest of the newest rule set, stored
// with it (migration 00185), and its body unless the digest is $1.
const selectCurrentRuleSet = `SELECT digest, CASE WHEN digest = $1 THEN NULL ELSE body END
FROM rulesets ORDER BY version DESC LIMIT 1`

// The parsed rule set is cached by the digest of its version and stored body (versions
// are never changed once stored; the digest is computed once, when it is
// stored): the query sends the body only when it is not the cached one, so an order's Art. 36 re-check and a quote do not
// parse and validate the rule set again. The rule set returned is shared:
// callers read it and never change it.
func currentRuleSet(ctx context.Context, db DB) (*market.RuleSet, error) {
	cached := ruleSetCache.Load()
	var have string
	if cached != nil {
		have = cached.digest
	}
	var body []byte
	var digest string
	err := db.QueryRow(ctx, selectCurrentRuleSet, have).Scan(&digest, &body)
	if err == nil && body == nil && cached != nil && digest == cached.digest {
		return cached.rs, nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		if err := StoreShippedRuleSets(ctx, db); err != nil {
			return nil, err
		}
		return currentRuleSet(ctx, db)
	}
	if err != nil {
		return nil, translate(err)
	}
	rs, err := market.ParseRuleSet(body)
	if err != nil {
		return nil, err
	}
	ruleSetCache.Store(&parsedRuleSet{digest: digest, rs: rs})
	return rs, nil
}

// ruleSetRead is the rule set in force asked for in a batch: the digest
// of the newest version, and its body unless that is the cached one.
type ruleSetRead struct {
	cached *parsedRuleSet
	digest string
	body   []byte
	err    error
}

// queueRuleSet queues the rule set's query on b.
func queueRuleSet(b *pgx.Batch) *ruleSetRead {
	r := &ruleSetRead{cached: ruleSetCache.Load()}
	var have string
	if r.cached != nil {
		have = r.cached.digest
	}
	b.Queue(selectCurrentRuleSet, have)
	return r
}

// scan reads the queued query's row from br; it returns an error only
// for a failure of the database (no rule set stored is left to result).
func (r *ruleSetRead) scan(br pgx.BatchResults) error {
	r.err = br.QueryRow().Scan(&r.digest, &r.body)
	if r.err != nil && !errors.Is(r.err, pgx.ErrNoRows) {
		return fmt.Errorf("current rule set: %w", translate(r.err))
	}
	return nil
}

// result returns the cached rule set when its digest is still the
// newest, else asks db as currentRuleSet does (parsing the body, or
// storing the shipped rule sets first).
func (r *ruleSetRead) result(ctx context.Context, db DB) (*market.RuleSet, error) {
	if r.err == nil && r.body == nil && r.cached != nil && r.digest == r.cached.digest {
		return r.cached.rs, nil
	}
	return currentRuleSet(ctx, db)
}

// StoreShippedRuleSets stores the rule sets shipped with Shujiao
// (market.ShippedRuleSets) whose versions are newer than the newest
// stored one, oldest first, so the shipped default becomes current when
// it is newer: a database that stored version 1 receives version 2 when
// it is migrated. Stored versions are never changed; an operator's own
// edit numbered at or above a shipped version keeps that shipped version
// out (the operator's rule set stays current). Migrate calls it.
func StoreShippedRuleSets(ctx context.Context, db DB) error {
	all, err := market.ShippedRuleSets()
	if err != nil {
		return err
	}
	var newest int
	if err := db.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM rulesets`).Scan(&newest); err != nil {
		return fmt.Errorf("shipped rule sets: %w", translate(err))
	}
	for _, rs := range all {
		if rs.Version <= newest {
			continue
		}
		b, err := json.Marshal(rs)
		if err != nil {
			return err
		}
		if _, err := db.Exec(ctx, `INSERT INTO rulesets (version, body, created_at) VALUES ($1, $2, now())
ON CONFLICT (version) DO NOTHING`, rs.Version, b); err != nil {
			return fmt.Errorf("shipped rule set %d: %w", rs.Version, translate(err))
		}
	}
	return nil
}

// parsedRuleSet is a rule set parsed from the stored body whose md5 is
// digest.
type parsedRuleSet struct {
	digest string
	rs     *market.RuleSet
}

// ruleSetCache holds the rule set currentRuleSet parsed last (one entry:
// a server reads one database, whose newest version changes rarely).
var ruleSetCache atomic.Pointer[parsedRuleSet]

// RuleSet returns rule set version v, or ErrNotFound.
func (s *RuleSetStore) RuleSet(ctx context.Context, v int) (*market.RuleSet, error) {
	var body []byte
	if err := s.db.QueryRow(ctx, `SELECT body FROM rulesets WHERE version = $1`, v).Scan(&body); err != nil {
		return nil, fmt.Errorf("rule set %d: %w", v, translate(err))
	}
	return market.ParseRuleSet(body)
}

// SaveRuleSet stores rs as the next version, edited by user of party at
// now, and appends a "ruleset.changed" event to the ledger in the same
// transaction (who may is checked by market.RuleSets.Put). rs.Version
// must be the current version + 1 (0 means "the next one" and is filled
// in); a stale version is an ErrConflict *Error with code
// ruleset_version_conflict, an invalid rule set an ErrInvalid *Error
// naming the field.
func (s *RuleSetStore) SaveRuleSet(ctx context.Context, rs *market.RuleSet, by market.UserID, party market.PartyID, now time.Time) error {
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE rulesets IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return translate(err)
		}
		cur, err := currentRuleSet(ctx, tx)
		if err != nil {
			return err
		}
		if rs.Version == 0 {
			rs.Version = cur.Version + 1
		}
		if rs.Version != cur.Version+1 {
			return market.Errorf(market.ErrConflict, "ruleset_version_conflict",
				"version %d: the current rule set is version %d; send version %d (or omit it)", rs.Version, cur.Version, cur.Version+1)
		}
		if err := rs.Validate(); err != nil {
			return err
		}
		body, err := json.Marshal(rs)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rulesets (version, body, created_by, created_at) VALUES ($1, $2, $3, $4)`,
			rs.Version, body, by, now); err != nil {
			return translate(err)
		}
		payload, _ := json.Marshal(map[string]any{"version": rs.Version, "previous": cur.Version, "by": by})
		return appendEvent(ctx, tx, market.LedgerEvent{Kind: "ruleset.changed", PartyID: party,
			SubjectID: rulesetSubject(rs.Version), Payload: payload, At: now})
	})
	if err != nil {
		return fmt.Errorf("put rule set: %w", err)
	}
	return nil
}
