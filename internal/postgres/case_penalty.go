package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// ComputeCasePenalty computes the penalty of case id at now from its
// record — the party, the trades its flags' evidence records, the refunds
// in the money postings, and whether the correction order was complied
// with by its deadline (Shaanxi Art. 75) — with the regulator's factors
// and overrides in req. The case file is built, written as JSON, parsed
// back with market.ParsePenaltyCase and computed with
// market.ComputePenalty, exactly as `shujiao penalty` does offline; the
// file, the result and the basis are stored and "case.penalty_computed"
// is appended to the ledger. The case must be at the penalty stage.
//
// Errors: ErrForbidden (forbidden_role); ErrNotFound (case_not_found);
// ErrConflict (penalty_not_decided, no_recorded_trades); ErrInvalid from
// the engine (an override outside the range, contradicting factors…).
func (s *CaseStore) ComputeCasePenalty(ctx context.Context, actor market.Actor, id uuid.UUID, req market.PenaltyRequest, now time.Time) (*market.Case, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Microsecond)
	err := InTx(ctx, s.db, func(tx pgx.Tx) error {
		status, party, err := lockCase(ctx, tx, id)
		if err != nil {
			return err
		}
		if status != market.CaseAtPenalty {
			return market.Errorf(market.ErrConflict, "penalty_not_decided",
				"case %s is %s; decide proceed_to_penalty before computing the penalty", id, status)
		}
		rec, err := caseRecord(ctx, tx, id, party, now)
		if err != nil {
			return err
		}
		pc, basis, err := market.BuildPenaltyCase(rec, req)
		if err != nil {
			return err
		}
		input, err := json.MarshalIndent(pc, "", "  ")
		if err != nil {
			return fmt.Errorf("encode case file: %w", err)
		}
		parsed, err := market.ParsePenaltyCase(input)
		if err != nil {
			return err
		}
		res, err := market.ComputePenalty(parsed)
		if err != nil {
			return err
		}
		return insertPenalty(ctx, tx, actor, id, party, input, res, basis, now)
	})
	if err != nil {
		return nil, fmt.Errorf("compute penalty of case %s: %w", id, err)
	}
	return s.Case(ctx, actor, id, now)
}

func insertPenalty(ctx context.Context, tx pgx.Tx, actor market.Actor, id uuid.UUID, party market.PartyID, input []byte, res market.PenaltyResult, basis []string, now time.Time) error {
	result, err := json.Marshal(res)
	if err != nil {
		return fmt.Errorf("encode penalty result: %w", err)
	}
	basisJSON, err := json.Marshal(basis)
	if err != nil {
		return err
	}
	pid := market.NewID()
	entry, err := caseEvent(ctx, tx, "case.penalty_computed", party, id, now, map[string]any{
		"case_id": id, "penalty_id": pid, "computed_by": actor.UserID,
		"total_confiscation": res.TotalConfiscation, "total_fine": res.TotalFine, "hearing_notice": res.HearingNotice,
		"input": json.RawMessage(input)})
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO case_penalties (id, case_id, input, result, basis, computed_by, computed_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, pid, id, string(input), string(result), string(basisJSON), actor.UserID, now, entry); err != nil {
		return translate(err)
	}
	_, err = tx.Exec(ctx, `UPDATE cases SET updated_at = $2 WHERE id = $1`, id, now)
	return translate(err)
}

// caseRecord gathers what the penalty is computed from.
func caseRecord(ctx context.Context, tx pgx.Tx, id uuid.UUID, party market.PartyID, now time.Time) (market.CaseRecord, error) {
	rec := market.CaseRecord{Party: market.PenaltyParty{ID: party.String()}}
	if err := tx.QueryRow(ctx, `SELECT kind FROM parties WHERE id = $1`, party).Scan(&rec.Party.Kind); err != nil {
		return rec, translate(err)
	}
	rows, err := tx.Query(ctx, `SELECT `+prefixed("f.", flagColumns)+` FROM flags f JOIN case_flags cf ON cf.flag_id = f.id
WHERE cf.case_id = $1 ORDER BY f.created_at, f.id`, id)
	if err != nil {
		return rec, translate(err)
	}
	if rec.Flags, err = pgx.CollectRows(rows, scanFlag); err != nil {
		return rec, translate(err)
	}
	if rec.Refunds, err = recordedRefunds(ctx, tx, rec.Flags); err != nil {
		return rec, err
	}
	rec.Correction, err = caseCorrection(ctx, tx, id, now)
	return rec, err
}

// recordedRefunds sums the refund postings of the flags' trades whose ids
// are order ids.
func recordedRefunds(ctx context.Context, tx pgx.Tx, flags []market.Flag) (map[string]market.Money, error) {
	var orders []uuid.UUID
	for _, f := range flags {
		trades, err := market.EvidenceTrades(f)
		if err != nil {
			return nil, err
		}
		for _, t := range trades {
			if u, err := uuid.Parse(t.ID); err == nil {
				orders = append(orders, u)
			}
		}
	}
	out := map[string]market.Money{}
	if len(orders) == 0 {
		return out, nil
	}
	rows, err := tx.Query(ctx, `SELECT p.order_id, sum(l.amount) FROM postings p JOIN posting_lines l ON l.posting_id = p.id
WHERE p.kind = 'refund' AND l.side = 'debit' AND p.order_id = ANY($1) GROUP BY p.order_id`, orders)
	if err != nil {
		return nil, fmt.Errorf("recorded refunds: %w", translate(err))
	}
	defer rows.Close()
	for rows.Next() {
		var oid uuid.UUID
		var d decimal.Decimal
		if err := rows.Scan(&oid, &d); err != nil {
			return nil, fmt.Errorf("recorded refunds: %w", err)
		}
		out[oid.String()] = market.NewMoney(d)
	}
	return out, translate(rows.Err())
}

func latestPenalty(ctx context.Context, db DB, id uuid.UUID) (*market.CasePenalty, error) {
	p := &market.CasePenalty{}
	var input, result, basis []byte
	err := db.QueryRow(ctx, `SELECT id, input, result, basis, computed_by, computed_at FROM case_penalties
WHERE case_id = $1 ORDER BY computed_at DESC, id DESC LIMIT 1`, id).Scan(&p.ID, &input, &result, &basis, &p.ComputedBy, &p.ComputedAt)
	if err != nil {
		if err = translate(err); isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	p.ComputedAt = p.ComputedAt.UTC()
	p.Input = json.RawMessage(input)
	if err := json.Unmarshal(result, &p.Result); err != nil {
		return nil, fmt.Errorf("penalty %s result: %w", p.ID, err)
	}
	if err := json.Unmarshal(basis, &p.Basis); err != nil {
		return nil, fmt.Errorf("penalty %s basis: %w", p.ID, err)
	}
	return p, nil
}
