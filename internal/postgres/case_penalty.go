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

// InsertPenalty stores penalty p of case id.
func (t caseTx) InsertPenalty(ctx context.Context, caseID uuid.UUID, p *market.CasePenalty, entry uuid.UUID) error {
	result, err := json.Marshal(p.Result)
	if err != nil {
		return fmt.Errorf("encode penalty result: %w", err)
	}
	basis, err := json.Marshal(p.Basis)
	if err != nil {
		return err
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO case_penalties (id, case_id, input, result, basis, computed_by, computed_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, p.ID, caseID, string(p.Input), string(result), string(basis), p.ComputedBy, p.ComputedAt, entry)
	return translate(err)
}

// CaseRecord gathers what the penalty is computed from (the correction
// order not evaluated).
func (t caseTx) CaseRecord(ctx context.Context, id uuid.UUID, party market.PartyID) (market.CaseRecord, error) {
	return caseRecord(ctx, t.tx, id, party)
}

// caseRecord gathers what the penalty is computed from.
func caseRecord(ctx context.Context, tx pgx.Tx, id uuid.UUID, party market.PartyID) (market.CaseRecord, error) {
	rec := market.CaseRecord{Party: market.PenaltyParty{ID: party.String()}}
	if err := tx.QueryRow(ctx, `SELECT kind FROM parties WHERE id = $1`, party).Scan(&rec.Party.Kind); err != nil {
		return rec, translate(err)
	}
	var err error
	if rec.Flags, err = caseFlags(ctx, tx, id); err != nil {
		return rec, err
	}
	if rec.Refunds, err = recordedRefunds(ctx, tx, rec.Flags); err != nil {
		return rec, err
	}
	rec.Correction, err = caseCorrection(ctx, tx, id)
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
