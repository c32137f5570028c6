package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/shujiao/shujiao/market"
)

// editListing shows a draft or blocked listing in the listing form, to fix
// what the Art. 36 gate found before submitting it again.
func (h *Handler) editListing(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	l, err := h.uc.listings.Get(rc.r.Context(), a, id)
	if err != nil {
		return err
	}
	return h.renderListingFormTo(rc, http.StatusOK, editAction(l.ID.String()), formFromListing(l.Declaration, l.Price), nil)
}

func editAction(id string) string { return Prefix + "/seller/listings/" + id + "/edit" }

// updateListing replaces the declaration and price of an editable listing
// (PATCH /v1/listings/{id}); the store refuses one that is not editable.
func (h *Handler) updateListing(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	_, err = h.uc.listings.Update(rc.r.Context(), a, id, func(market.ListingInput) (market.ListingInput, error) {
		return listingFromForm(f)
	}, h.now())
	if err == nil {
		return rc.redirect(Prefix + "/seller/listings/" + id.String() + "?notice=listing_saved")
	}
	fe, ok := rc.fieldErrors(err)
	if !ok {
		return err
	}
	return h.renderListingFormTo(rc, http.StatusBadRequest, editAction(id.String()), f, formFields(fe))
}

// formFromListing fills the listing form from a declaration (its first
// source: the form declares one).
func formFromListing(d market.Listing, price *market.Money) url.Values {
	f := url.Values{"title": {d.Title}, "description": {d.Description}, "category": {d.Category},
		"product_type": {string(d.ProductType)}, "dataset_id": {d.DatasetID}, "certificate_id": {d.CertificateID},
		"classification": {string(d.Classification)}}
	check := func(name string, on bool) {
		if on {
			f.Set(name, "on")
		}
	}
	check("contains_personal_info", d.ContainsPersonalInfo)
	check("contains_sensitive_personal_info", d.ContainsSensitivePersonalInfo)
	check("contains_minors_data", d.ContainsMinorsData)
	check("export_intended", d.ExportIntended)
	check("state_secret", d.StateSecret)
	if d.SecurityAssessmentRef != nil {
		f.Set("security_assessment_ref", *d.SecurityAssessmentRef)
	}
	if price != nil {
		f.Set("price", price.String())
	}
	if len(d.Sources) > 0 {
		s := d.Sources[0]
		f.Set("sources[0].origin", string(s.Origin))
		f.Set("sources[0].disclosure", string(s.Disclosure))
		check("sources[0].own_data", s.OwnData)
		if c := s.Collection; c != nil {
			f.Set("sources[0].collection.basis", c.Basis)
			f.Set("sources[0].collection.reference", c.Reference)
			f.Set("sources[0].collection.notice_ref", c.NoticeRef)
		}
		f.Set("sources[0].order_id", s.OrderID)
		if a := s.Authorization; a != nil {
			f.Set("sources[0].authorization.grantor", a.Grantor)
			f.Set("sources[0].authorization.document_sha256", a.DocumentSHA256)
			f.Set("sources[0].authorization.scope", strings.Join(a.Scope, ", "))
			f.Set("sources[0].authorization.valid_from", a.ValidFrom.String())
			f.Set("sources[0].authorization.valid_to", a.ValidTo.String())
		}
		if g := s.Government; g != nil {
			f.Set("sources[0].government.catalog_id", g.CatalogID)
			f.Set("sources[0].government.open_class", string(g.OpenClass))
			if g.ApprovalRef != nil {
				f.Set("sources[0].government.approval_ref", *g.ApprovalRef)
			}
		}
	}
	return f
}
