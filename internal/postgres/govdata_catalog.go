package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

const resourceSelect = `
SELECT r.body, p.name, EXISTS (SELECT 1 FROM gov_resource_data d WHERE d.resource_id = r.id)
FROM gov_resources r JOIN parties p ON p.id = r.department_id `

func scanResource(row pgx.Row) (*govdata.Resource, error) {
	var body []byte
	var r govdata.Resource
	var name string
	var has bool
	if err := row.Scan(&body, &name, &has); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decode resource: %w", err)
	}
	r.DepartmentName, r.HasData = name, has
	return &r, nil
}

// CreateResource stores a new resource, its first version and its own data
// items, with the ledger event.
func (s *GovDataStore) CreateResource(ctx context.Context, v govdata.Version, ev market.LedgerEvent) error {
	r := v.Resource
	body, err := jsonBody(r)
	if err != nil {
		return err
	}
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO gov_resources (id, code, department_id, version, share_class, open_class, title, body, created_at, updated_at)
VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $8)`, r.ID, r.Code, r.DepartmentID, r.ShareClass, r.OpenClass, r.Title, body, r.CreatedAt); err != nil {
			if isUnique(err) {
				return market.Errorf(market.ErrConflict, "code_taken", "catalog code %s is taken", r.Code)
			}
			return translate(err)
		}
		if err := claimItems(ctx, tx, r); err != nil {
			return err
		}
		return insertVersion(ctx, tx, v, ev)
	})
}

// claimItems records r as the one source of its own data items (Shaanxi
// Art. 26), releasing items it no longer holds.
func claimItems(ctx context.Context, tx pgx.Tx, r govdata.Resource) error {
	own := r.OwnItems()
	if own == nil {
		own = []string{}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM gov_data_items WHERE resource_id = $1 AND NOT (item = ANY($2))`, r.ID, own); err != nil {
		return translate(err)
	}
	for _, item := range own {
		var holder string
		err := tx.QueryRow(ctx, `INSERT INTO gov_data_items (item, resource_id) VALUES ($1, $2)
ON CONFLICT (item) DO UPDATE SET item = EXCLUDED.item
RETURNING (SELECT code FROM gov_resources WHERE id = gov_data_items.resource_id)`, item, r.ID).Scan(&holder)
		if err != nil {
			return translate(err)
		}
		if holder != r.Code {
			e := market.Errorf(market.ErrConflict, "datum_has_source",
				"data item %q already has its one source, resource %s; cite it as the field's source", item, holder)
			e.Article, e.Field = govdata.ArticleShaanxi26, "fields"
			return e
		}
	}
	return nil
}

func insertVersion(ctx context.Context, tx pgx.Tx, v govdata.Version, ev market.LedgerEvent) error {
	entry, err := AppendLedger(ctx, tx, ev)
	if err != nil {
		return err
	}
	body, err := jsonBody(v.Resource)
	if err != nil {
		return err
	}
	var oid *uuid.UUID
	if v.ObjectionID != nil {
		oid = v.ObjectionID
	}
	_, err = tx.Exec(ctx, `INSERT INTO gov_resource_versions (resource_id, version, body, reason, objection_id, changed_by, changed_at, ledger_entry_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, v.ResourceID, v.Version, body, v.Reason, oid, v.ChangedBy, v.ChangedAt, entry)
	return translate(err)
}

// UpdateResource stores the next version, and the data when given.
func (s *GovDataStore) UpdateResource(ctx context.Context, v govdata.Version, data *govdata.Data, ev market.LedgerEvent) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error { return updateResource(ctx, tx, v, data, ev) })
}

func updateResource(ctx context.Context, tx pgx.Tx, v govdata.Version, data *govdata.Data, ev market.LedgerEvent) error {
	r := v.Resource
	body, err := jsonBody(r)
	if err != nil {
		return err
	}
	tag, err := tx.Exec(ctx, `UPDATE gov_resources SET version = $2, share_class = $3, open_class = $4, title = $5, body = $6, updated_at = $7
WHERE id = $1 AND version = $2 - 1`, r.ID, r.Version, r.ShareClass, r.OpenClass, r.Title, body, r.UpdatedAt)
	if err != nil {
		return translate(err)
	}
	if tag.RowsAffected() != 1 {
		return stale("resource", uuid.UUID(r.ID))
	}
	if err := claimItems(ctx, tx, r); err != nil {
		return err
	}
	if data != nil {
		if err := putData(ctx, tx, r.ID, *data, r.UpdatedAt); err != nil {
			return err
		}
	}
	return insertVersion(ctx, tx, v, ev)
}

// Resource returns the resource, or ErrNotFound.
func (s *GovDataStore) Resource(ctx context.Context, id govdata.ResourceID) (*govdata.Resource, error) {
	r, err := scanResource(s.db.QueryRow(ctx, resourceSelect+`WHERE r.id = $1`, id))
	if isNoRows(err) {
		return nil, govNotFound("resource", id)
	}
	return r, translate(err)
}

// ResourceByCode returns the resource with the catalog code, or ErrNotFound.
func (s *GovDataStore) ResourceByCode(ctx context.Context, code string) (*govdata.Resource, error) {
	r, err := scanResource(s.db.QueryRow(ctx, resourceSelect+`WHERE r.code = $1`, code))
	if isNoRows(err) {
		return nil, govNotFound("resource", code)
	}
	return r, translate(err)
}

// SearchResources searches titles, descriptions, codes, keywords and field
// titles (case-insensitive substrings), by code.
func (s *GovDataStore) SearchResources(ctx context.Context, q govdata.Query) ([]govdata.Resource, int, error) {
	where := `WHERE ($1 = '' OR r.code ILIKE '%' || $1 || '%' OR r.title ILIKE '%' || $1 || '%'
  OR r.body->>'description' ILIKE '%' || $1 || '%' OR (r.body->'keywords')::text ILIKE '%' || $1 || '%'
  OR (r.body->'fields')::text ILIKE '%' || $1 || '%' OR p.name ILIKE '%' || $1 || '%')
AND ($2::uuid IS NULL OR r.department_id = $2) AND ($3 = '' OR r.share_class = $3) AND ($4 = '' OR r.open_class = $4) `
	dept := uuidOrNull(q.DepartmentID)
	text := strings.TrimSpace(q.Q)
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM gov_resources r JOIN parties p ON p.id = r.department_id `+where,
		text, dept, string(q.ShareClass), string(q.OpenClass)).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("search catalog: %w", translate(err))
	}
	rows, err := s.db.Query(ctx, resourceSelect+where+`ORDER BY r.code LIMIT $5 OFFSET $6`,
		text, dept, string(q.ShareClass), string(q.OpenClass), q.Limit, q.Offset)
	if err != nil {
		return nil, 0, fmt.Errorf("search catalog: %w", translate(err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (govdata.Resource, error) {
		x, err := scanResource(r)
		if err != nil {
			return govdata.Resource{}, err
		}
		return *x, nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("search catalog: %w", translate(err))
	}
	return out, total, nil
}

// ResourceCounts returns how many resources each department provides.
func (s *GovDataStore) ResourceCounts(ctx context.Context) (map[market.PartyID]int, error) {
	rows, err := s.db.Query(ctx, `SELECT department_id, count(*) FROM gov_resources GROUP BY department_id`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[market.PartyID]int{}
	for rows.Next() {
		var id uuid.UUID
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, translate(err)
		}
		out[market.PartyID(id)] = n
	}
	return out, translate(rows.Err())
}

// Versions returns every version of the resource, oldest first.
func (s *GovDataStore) Versions(ctx context.Context, id govdata.ResourceID) ([]govdata.Version, error) {
	rows, err := s.db.Query(ctx, `SELECT version, body, reason, objection_id, changed_by, changed_at
FROM gov_resource_versions WHERE resource_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, translate(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (govdata.Version, error) {
		v := govdata.Version{ResourceID: id}
		var body []byte
		if err := r.Scan(&v.Version, &body, &v.Reason, &v.ObjectionID, &v.ChangedBy, &v.ChangedAt); err != nil {
			return v, err
		}
		v.ChangedAt = v.ChangedAt.UTC()
		return v, json.Unmarshal(body, &v.Resource)
	})
	return out, translate(err)
}

// PutData replaces the data of the resource's current version.
func (s *GovDataStore) PutData(ctx context.Context, id govdata.ResourceID, d govdata.Data, ev market.LedgerEvent) error {
	return InTx(ctx, s.db, func(tx pgx.Tx) error {
		if err := putData(ctx, tx, id, d, ev.At); err != nil {
			return err
		}
		_, err := AppendLedger(ctx, tx, ev)
		return err
	})
}

func putData(ctx context.Context, tx pgx.Tx, id govdata.ResourceID, d govdata.Data, at any) error {
	cols, err := jsonBody(d.Columns)
	if err != nil {
		return err
	}
	rows, err := jsonBody(d.Rows)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO gov_resource_data (resource_id, version, columns, rows, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (resource_id) DO UPDATE SET version = EXCLUDED.version, columns = EXCLUDED.columns, rows = EXCLUDED.rows, updated_at = EXCLUDED.updated_at`,
		id, d.Version, cols, rows, at)
	return translate(err)
}

// Data returns the data of the resource, or ErrNotFound when none is published.
func (s *GovDataStore) Data(ctx context.Context, id govdata.ResourceID) (*govdata.Data, error) {
	var d govdata.Data
	var cols, rows []byte
	err := s.db.QueryRow(ctx, `SELECT version, columns, rows FROM gov_resource_data WHERE resource_id = $1`, id).Scan(&d.Version, &cols, &rows)
	if isNoRows(err) {
		return nil, market.Errorf(market.ErrNotFound, "no_data", "resource %s has no published data yet", id)
	}
	if err != nil {
		return nil, translate(err)
	}
	if err := json.Unmarshal(cols, &d.Columns); err != nil {
		return nil, err
	}
	return &d, json.Unmarshal(rows, &d.Rows)
}
