package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// CreateApplication stores a received application with its ledger event.
func (s *GovDataStore) CreateApplication(ctx context.Context, a *govdata.Application, ev market.LedgerEvent) error {
	body, err := jsonBody(a)
	if err != nil {
		return err
	}
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO gov_applications (id, kind, resource_id, provider_id, applicant_id, state, received_at, body, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7)`, a.ID, a.Kind, a.ResourceID, a.ProviderID, a.ApplicantID, a.State, a.ReceivedAt, body); err != nil {
			return translate(err)
		}
		_, err := AppendLedger(ctx, tx, ev)
		return err
	})
}

// UpdateApplication stores a if it is still in state from, with the
// approval it grants and the ledger event.
func (s *GovDataStore) UpdateApplication(ctx context.Context, a *govdata.Application, from govdata.State, ap *govdata.Approval, ev market.LedgerEvent) error {
	body, err := jsonBody(a)
	if err != nil {
		return err
	}
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE gov_applications SET state = $2, body = $3, updated_at = $4 WHERE id = $1 AND state = $5`,
			a.ID, a.State, body, a.UpdatedAt, from)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() != 1 {
			return stale("application", a.ID)
		}
		if ap != nil {
			apBody, err := jsonBody(ap)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO gov_approvals (id, application_id, resource_id, holder_id, body) VALUES ($1, $2, $3, $4, $5)`,
				ap.ID, ap.ApplicationID, ap.ResourceID, ap.HolderID, apBody); err != nil {
				return translate(err)
			}
		}
		_, err = AppendLedger(ctx, tx, ev)
		return err
	})
}

func decodeRow[T any](row pgx.Row) (*T, error) {
	var body []byte
	if err := row.Scan(&body); err != nil {
		return nil, err
	}
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, fmt.Errorf("decode %T: %w", v, err)
	}
	return &v, nil
}

func decodeRows[T any](rows pgx.Rows, err error) ([]T, error) {
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) {
		v, err := decodeRow[T](r)
		if err != nil {
			var zero T
			return zero, err
		}
		return *v, nil
	})
	if out == nil {
		out = []T{}
	}
	return out, translate(err)
}

// Application returns the application, or ErrNotFound.
func (s *GovDataStore) Application(ctx context.Context, id govdata.ApplicationID) (*govdata.Application, error) {
	a, err := decodeRow[govdata.Application](s.db.QueryRow(ctx, `SELECT body FROM gov_applications WHERE id = $1`, id))
	if isNoRows(err) {
		return nil, govNotFound("application", id)
	}
	return a, translate(err)
}

// Applications lists applications, newest first.
func (s *GovDataStore) Applications(ctx context.Context, f govdata.ApplicationFilter) ([]govdata.Application, error) {
	party, provider := uuidOrNull(f.Party), uuidOrNull(f.ProviderID)
	return decodeRows[govdata.Application](s.db.Query(ctx, `SELECT body FROM gov_applications
WHERE ($1::uuid IS NULL OR applicant_id = $1 OR provider_id = $1) AND ($2::uuid IS NULL OR provider_id = $2)
AND ($3 = '' OR state = $3) AND (NOT $4 OR state IN ('received', 'accepted'))
ORDER BY received_at DESC, id`, party, provider, string(f.State), f.Open))
}

// Approval returns the approval, or ErrNotFound.
func (s *GovDataStore) Approval(ctx context.Context, id uuid.UUID) (*govdata.Approval, error) {
	ap, err := decodeRow[govdata.Approval](s.db.QueryRow(ctx, `SELECT body FROM gov_approvals WHERE id = $1`, id))
	if isNoRows(err) {
		return nil, govNotFound("approval", id)
	}
	return ap, translate(err)
}

// Approvals lists the approvals a party holds.
func (s *GovDataStore) Approvals(ctx context.Context, holder market.PartyID) ([]govdata.Approval, error) {
	return decodeRows[govdata.Approval](s.db.Query(ctx, `SELECT body FROM gov_approvals WHERE holder_id = $1 ORDER BY id`, holder))
}

// CreateObjection stores a received objection with its ledger event.
func (s *GovDataStore) CreateObjection(ctx context.Context, o *govdata.Objection, ev market.LedgerEvent) error {
	body, err := jsonBody(o)
	if err != nil {
		return err
	}
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO gov_objections (id, resource_id, provider_id, objector_id, state, received_at, body, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`, o.ID, o.ResourceID, o.ProviderID, o.ObjectorID, o.State, o.ReceivedAt, body); err != nil {
			return translate(err)
		}
		_, err := AppendLedger(ctx, tx, ev)
		return err
	})
}

// UpdateObjection stores o if it is still in state from, with the
// correction's new resource version and data, and the ledger events.
func (s *GovDataStore) UpdateObjection(ctx context.Context, o *govdata.Objection, from govdata.ObjectionState, v *govdata.Version, data *govdata.Data, evs []market.LedgerEvent) error {
	body, err := jsonBody(o)
	if err != nil {
		return err
	}
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE gov_objections SET state = $2, body = $3, updated_at = $4 WHERE id = $1 AND state = $5`,
			o.ID, o.State, body, o.UpdatedAt, from)
		if err != nil {
			return translate(err)
		}
		if tag.RowsAffected() != 1 {
			return stale("objection", o.ID)
		}
		rest := evs
		if v != nil {
			if len(evs) == 0 {
				return fmt.Errorf("correction of objection %s without its ledger event", o.ID)
			}
			if err := updateResource(ctx, tx, *v, data, evs[0]); err != nil {
				return err
			}
			rest = evs[1:]
		}
		_, err = appendAll(ctx, tx, rest...)
		return err
	})
}

// Objection returns the objection, or ErrNotFound.
func (s *GovDataStore) Objection(ctx context.Context, id uuid.UUID) (*govdata.Objection, error) {
	o, err := decodeRow[govdata.Objection](s.db.QueryRow(ctx, `SELECT body FROM gov_objections WHERE id = $1`, id))
	if isNoRows(err) {
		return nil, govNotFound("objection", id)
	}
	return o, translate(err)
}

// Objections lists objections, newest first.
func (s *GovDataStore) Objections(ctx context.Context, f govdata.ObjectionFilter) ([]govdata.Objection, error) {
	party := uuidOrNull(f.Party)
	return decodeRows[govdata.Objection](s.db.Query(ctx, `SELECT body FROM gov_objections
WHERE ($1::uuid IS NULL OR objector_id = $1 OR provider_id = $1) ORDER BY received_at DESC, id`, party))
}
