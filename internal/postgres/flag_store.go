package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

var (
	flagRulePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	flagKindPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)
)

const insertFlag = `
INSERT INTO flags (id, rule, article, kind, party_id, listing_id, summary, evidence, status, created_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

// flagRaised is the payload of the "flag.raised" ledger event.
type flagRaised struct {
	FlagID    uuid.UUID       `json:"flag_id"`
	Rule      string          `json:"rule"`
	Article   string          `json:"article"`
	Kind      string          `json:"kind"`
	ListingID *uuid.UUID      `json:"listing_id"`
	Summary   string          `json:"summary"`
	Evidence  json.RawMessage `json:"evidence"`
}

// RaiseFlag stores f in the regulator queue inside the caller's transaction
// tx and appends a "flag.raised" ledger event (with the evidence) in the
// same transaction. It fills f.ID (a new UUIDv7 when nil), f.CreatedAt (now
// when zero) and f.Status (open when empty).
//
// It returns an ErrInvalid *market.Error when a required field is missing
// or malformed (rule, article, kind, party, summary, evidence JSON),
// ErrNotFound when the party does not exist, ErrConflict when the id is
// taken, or the wrapped database error.
func RaiseFlag(ctx context.Context, tx pgx.Tx, f *market.Flag) error {
	if f.ID == uuid.Nil {
		f.ID = market.NewID()
	}
	if f.CreatedAt.IsZero() {
		f.CreatedAt = time.Now()
	}
	f.CreatedAt = f.CreatedAt.UTC().Truncate(time.Microsecond)
	if f.Status == "" {
		f.Status = market.FlagOpen
	}
	if len(f.Evidence) == 0 {
		f.Evidence = json.RawMessage("{}")
	}
	if err := validateFlag(f); err != nil {
		return fmt.Errorf("raise flag: %w", err)
	}
	payload, err := json.Marshal(flagRaised{
		FlagID: f.ID, Rule: f.Rule, Article: f.Article, Kind: f.Kind,
		ListingID: f.ListingID, Summary: f.Summary, Evidence: f.Evidence,
	})
	if err != nil {
		return fmt.Errorf("raise flag %s: encode ledger event: %w", f.ID, err)
	}
	entry, err := AppendLedger(ctx, tx, market.LedgerEvent{
		Kind: "flag.raised", PartyID: f.PartyID, SubjectID: f.ID, Payload: payload, At: f.CreatedAt,
	})
	if err != nil {
		return fmt.Errorf("raise flag %s: %w", f.ID, err)
	}
	_, err = tx.Exec(ctx, insertFlag, f.ID, f.Rule, f.Article, f.Kind, f.PartyID, f.ListingID,
		f.Summary, string(f.Evidence), f.Status, f.CreatedAt, entry)
	if err != nil {
		return fmt.Errorf("raise flag %s (%s): %w", f.ID, f.Article, translate(err))
	}
	return nil
}

func validateFlag(f *market.Flag) error {
	switch {
	case !flagRulePattern.MatchString(f.Rule):
		return market.Invalid("rule", "invalid_flag", "flag rule %q: want a stable rule id such as shaanxi-37", f.Rule)
	case strings.TrimSpace(f.Article) == "":
		return market.Invalid("article", "invalid_flag", "a flag must cite its article, e.g. Shaanxi Art. 37")
	case !flagKindPattern.MatchString(f.Kind):
		return market.Invalid("kind", "invalid_flag", "flag kind %q: want a snake_case name such as price_difference", f.Kind)
	case f.PartyID.IsZero():
		return market.Invalid("party_id", "invalid_flag", "a flag must name the party at fault")
	case strings.TrimSpace(f.Summary) == "":
		return market.Invalid("summary", "invalid_flag", "a flag needs a summary")
	case !f.Status.Valid():
		return market.Invalid("status", "invalid_flag", "flag status %q is not open, in_case or dismissed", f.Status)
	case !json.Valid(f.Evidence):
		return market.Invalid("evidence", "invalid_flag", "flag evidence is not valid JSON")
	}
	return nil
}
