package market

import (
	"context"
	"time"
)

// RuleSetWriter is the storage the RuleSets service writes through
// (implemented by internal/postgres).
type RuleSetWriter interface {
	// SaveRuleSet stores rs as the next version, edited by user of party
	// at now, and appends "ruleset.changed" to the ledger in the same
	// transaction. Under a lock it fills in rs.Version when 0 and checks
	// it is the current version + 1 (ErrConflict, code
	// ruleset_version_conflict) and that rs validates (ErrInvalid).
	SaveRuleSet(ctx context.Context, rs *RuleSet, by UserID, party PartyID, now time.Time) error
}

// RuleSets is the operators' use case of the versioned rule set of the
// gates (the Shaanxi Art. 36 listing gate reads it). It is safe for
// concurrent use.
type RuleSets struct {
	store RuleSetWriter
}

// NewRuleSets returns the rule-set service over store.
func NewRuleSets(store RuleSetWriter) *RuleSets { return &RuleSets{store: store} }

// Put stores rs as the next version, edited by actor at now. rs.Version
// must be the current version + 1 (0 means "the next one" and is filled
// in).
//
// Errors: ErrForbidden (code forbidden_role) for a non-operator;
// ErrConflict (code ruleset_version_conflict) for a stale version;
// ErrInvalid naming the field of an invalid rule set.
func (s *RuleSets) Put(ctx context.Context, actor Actor, rs *RuleSet, now time.Time) error {
	if err := actor.RequireRole(RoleOperator); err != nil {
		return err
	}
	return s.store.SaveRuleSet(ctx, rs, actor.UserID, actor.PartyID, now)
}
