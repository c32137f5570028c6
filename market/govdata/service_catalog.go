package govdata

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// Search searches the catalog; the catalog's metadata, restriction bases
// included, is public (Municipal Art. 27). Errors: storage errors.
func (s *Service) Search(ctx context.Context, q Query) ([]Resource, int, error) {
	if q.Limit <= 0 || q.Limit > 200 {
		q.Limit = 50
	}
	if q.Offset < 0 {
		q.Offset = 0
	}
	if q.ShareClass != "" && !q.ShareClass.Valid() {
		return nil, 0, market.Invalid("share_class", "invalid_class", "share_class %q: want unconditional, conditional or none", q.ShareClass)
	}
	if q.OpenClass != "" && !validOpen(q.OpenClass) {
		return nil, 0, market.Invalid("open_class", "invalid_class", "open_class %q: want unconditional, conditional or none", q.OpenClass)
	}
	return s.store.SearchResources(ctx, q)
}

// Resource returns the resource named by ref, its ID or its code.
// Errors: ErrNotFound.
func (s *Service) Resource(ctx context.Context, ref string) (*Resource, error) {
	if id, err := uuid.Parse(ref); err == nil {
		return s.store.Resource(ctx, ResourceID(id))
	}
	return s.store.ResourceByCode(ctx, strings.TrimSpace(ref))
}

// Versions returns every version of a resource, oldest first.
func (s *Service) Versions(ctx context.Context, ref string) ([]Version, error) {
	r, err := s.Resource(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.store.Versions(ctx, r.ID)
}

// CreateResource adds r to the catalog as version 1, provided by the
// actor's department. Errors: ErrForbidden (not department staff),
// ErrInvalid naming the field, ErrConflict (code taken, or a data item that
// already has its one source).
func (s *Service) CreateResource(ctx context.Context, actor market.Actor, r Resource) (*Resource, error) {
	if err := requireDepartment(actor); err != nil {
		return nil, err
	}
	r.Normalize()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	r.ID, r.Version, r.DepartmentID, r.HasData = ResourceID(market.NewID()), 1, actor.PartyID, false
	r.CreatedAt, r.UpdatedAt = now, now
	v := Version{ResourceID: r.ID, Version: 1, Resource: r, Reason: "catalogued", ChangedBy: actor.UserID, ChangedAt: now}
	ev := event("govdata.resource_catalogued", actor.PartyID, uuid.UUID(r.ID), now, map[string]any{
		"code": r.Code, "version": 1, "share_class": r.ShareClass, "open_class": r.OpenClass, "article": ArticleTianjin10})
	if err := s.store.CreateResource(ctx, v, ev); err != nil {
		return nil, fmt.Errorf("catalog resource %s: %w", r.Code, err)
	}
	return s.store.Resource(ctx, r.ID)
}

// ownResource loads the resource and checks the actor's department provides it.
func (s *Service) ownResource(ctx context.Context, actor market.Actor, id ResourceID) (*Resource, error) {
	if err := requireDepartment(actor); err != nil {
		return nil, err
	}
	r, err := s.store.Resource(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := actor.RequireOwnParty(r.DepartmentID); err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateResource records next as the next version of resource id, with the
// reason. The code and the providing department never change. Errors as
// CreateResource, and ErrConflict code "stale" on a concurrent change.
func (s *Service) UpdateResource(ctx context.Context, actor market.Actor, id ResourceID, next Resource, reason string) (*Resource, error) {
	cur, err := s.ownResource(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	v, err := s.nextVersion(actor, cur, next, reason, nil)
	if err != nil {
		return nil, err
	}
	ev := event("govdata.resource_revised", actor.PartyID, uuid.UUID(id), v.ChangedAt, map[string]any{
		"code": cur.Code, "version": v.Version, "reason": v.Reason, "share_class": next.ShareClass, "open_class": next.OpenClass})
	if err := s.store.UpdateResource(ctx, *v, nil, ev); err != nil {
		return nil, fmt.Errorf("revise resource %s: %w", cur.Code, err)
	}
	return s.store.Resource(ctx, id)
}

// nextVersion validates next as the version after cur.
func (s *Service) nextVersion(actor market.Actor, cur *Resource, next Resource, reason string, objection *uuid.UUID) (*Version, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, market.Invalid("reason", "missing_field", "reason is required: why the entry changes")
	}
	next.Normalize()
	next.Code = cur.Code
	if err := next.Validate(); err != nil {
		return nil, err
	}
	now := s.now()
	next.ID, next.Version, next.DepartmentID, next.HasData = cur.ID, cur.Version+1, cur.DepartmentID, cur.HasData
	next.CreatedAt, next.UpdatedAt = cur.CreatedAt, now
	return &Version{ResourceID: cur.ID, Version: next.Version, Resource: next, Reason: reason, ObjectionID: objection,
		ChangedBy: actor.UserID, ChangedAt: now}, nil
}

// PutData replaces the data of the actor's resource id. Errors:
// ErrForbidden, ErrNotFound, ErrInvalid (columns or rows).
func (s *Service) PutData(ctx context.Context, actor market.Actor, id ResourceID, d Data) error {
	r, err := s.ownResource(ctx, actor, id)
	if err != nil {
		return err
	}
	if err := d.Validate(r); err != nil {
		return err
	}
	d.Version = r.Version
	ev := event("govdata.data_published", actor.PartyID, uuid.UUID(id), s.now(), map[string]any{
		"code": r.Code, "version": r.Version, "rows": len(d.Rows)})
	if err := s.store.PutData(ctx, id, d, ev); err != nil {
		return fmt.Errorf("publish data of %s: %w", r.Code, err)
	}
	return nil
}

// Download returns the data of resource ref for actor (nil: anonymous).
// Unconditionally open data goes to anyone without an account (Tianjin
// Art. 22, Municipal Art. 25). Otherwise the providing department; any
// department for unconditionally shared data (Tianjin Art. 16); or the
// holder of an approval in force, limited to the approved fields — each
// such obtaining is appended to the ledger. Errors: ErrNotFound (no
// resource or no data yet), ErrUnauthenticated, ErrRefused citing the
// article.
func (s *Service) Download(ctx context.Context, actor *market.Actor, ref string) (*Resource, *Data, error) {
	r, err := s.Resource(ctx, ref)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.store.Data(ctx, r.ID)
	if err != nil {
		return nil, nil, err
	}
	if r.OpenClass == market.OpenUnconditional {
		return r, d, nil
	}
	if actor == nil {
		return nil, nil, market.Errorf(market.ErrUnauthenticated, "unauthenticated",
			"resource %s is not open unconditionally; log in as a department or as the holder of an approval", r.Code)
	}
	if actor.PartyID == r.DepartmentID {
		return r, d, nil
	}
	now := s.now()
	if actor.PartyType == market.PartyDepartment && actor.Can(market.RoleDepartment) && r.ShareClass == ShareUnconditional {
		if err := s.store.AppendLedger(ctx, event("govdata.data_obtained", actor.PartyID, uuid.UUID(r.ID), now, map[string]any{
			"code": r.Code, "version": r.Version, "basis": "unconditional sharing", "article": ArticleTianjin16})); err != nil {
			return nil, nil, err
		}
		return r, d, nil
	}
	aps, err := s.store.Approvals(ctx, actor.PartyID)
	if err != nil {
		return nil, nil, err
	}
	for _, ap := range aps {
		if ap.ResourceID == r.ID && ap.ValidAt(now) {
			if err := s.store.AppendLedger(ctx, event("govdata.data_obtained", actor.PartyID, uuid.UUID(r.ID), now, map[string]any{
				"code": r.Code, "version": r.Version, "approval_id": ap.ID, "fields": ap.Fields})); err != nil {
				return nil, nil, err
			}
			return r, project(d, ap.Fields), nil
		}
	}
	art := ArticleTianjin17
	if r.OpenClass == market.OpenConditional {
		art = ArticleTianjin23
	}
	return nil, nil, market.Refused(art, "approval_required", "resource %s is available only under an approval in force; apply for it", r.Code)
}

// project keeps only the named columns of d.
func project(d *Data, fields []string) *Data {
	var idx []int
	out := &Data{Version: d.Version}
	for i, c := range d.Columns {
		if slices.Contains(fields, c) {
			idx = append(idx, i)
			out.Columns = append(out.Columns, c)
		}
	}
	out.Rows = make([][]string, len(d.Rows))
	for j, row := range d.Rows {
		r := make([]string, len(idx))
		for k, i := range idx {
			r[k] = row[i]
		}
		out.Rows[j] = r
	}
	return out
}
