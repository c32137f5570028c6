package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/shujiao/shujiao/market"
)

// listingFormView is the listing form: the seller's datasets to choose
// from, and where the form posts (a new draft, or changes to one).
type listingFormView struct {
	Datasets []*market.Dataset
	Action   string
	Editing  bool
}

func (h *Handler) newListing(rc *reqCtx) error {
	q := rc.r.URL.Query()
	f := url.Values{"product_type": {"dataset"}, "classification": {"general"}, "sources[0].origin": {"self_collected"},
		"sources[0].disclosure": {"non_public"}, "sources[0].authorization.scope": {"trading"},
		"dataset_id": {q.Get("dataset_id")}, "certificate_id": {q.Get("certificate_id")}}
	if q.Get("certificate_id") != "" {
		f.Set("contains_personal_info", "on")
	}
	return h.renderListingForm(rc, http.StatusOK, f, nil)
}

func (h *Handler) renderListingForm(rc *reqCtx, status int, f url.Values, errs map[string]string) error {
	return h.renderListingFormTo(rc, status, Prefix+"/seller/listings", f, errs)
}

func (h *Handler) renderListingFormTo(rc *reqCtx, status int, action string, f url.Values, errs map[string]string) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	ds, err := h.deps.Stores.Datasets.Datasets(rc.r.Context(), a.PartyID, 200)
	if err != nil {
		return err
	}
	v := listingFormView{Datasets: ds, Action: action, Editing: action != Prefix+"/seller/listings"}
	title := "listing.new_title"
	if v.Editing {
		title = "listing.edit_title"
	}
	return rc.render(status, "seller_listing_new", title, &page{Form: f, Errors: errs, Data: v})
}

// createListing stores a draft as POST /v1/listings does: the form becomes
// the listing declaration, parsed and validated by market.ParseListing,
// and the price is checked as the API checks it.
func (h *Handler) createListing(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	in, err := listingFromForm(f)
	if err == nil {
		var l *market.ListingRecord
		if l, err = h.uc.listings.Create(rc.r.Context(), a, in, h.now()); err == nil {
			return rc.redirect(Prefix + "/seller/listings/" + l.ID.String() + "?notice=listing_created")
		}
	}
	fe, ok := rc.fieldErrors(err)
	if !ok {
		return err
	}
	return h.renderListingForm(rc, http.StatusBadRequest, f, formFields(fe))
}

// scopeIndex folds "…scope[2]" into the scope field.
var scopeIndex = regexp.MustCompile(`\.scope\[\d+\]$`)

// formFields maps the declaration's field paths to the form's fields.
func formFields(errs map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range errs {
		out[scopeIndex.ReplaceAllString(k, ".scope")] = v
	}
	return out
}

// listingFromForm builds the declaration JSON from the form and parses it
// as the API does; one source is declared on the form.
func listingFromForm(f url.Values) (market.ListingInput, error) {
	var in market.ListingInput
	on := func(name string) bool { return f.Get(name) != "" }
	opt := func(name string) *string {
		if v := f.Get(name); v != "" {
			return &v
		}
		return nil
	}
	src := map[string]any{"origin": f.Get("sources[0].origin"), "own_data": on("sources[0].own_data"), "disclosure": f.Get("sources[0].disclosure")}
	if g := f.Get("sources[0].authorization.grantor"); g != "" || f.Get("sources[0].authorization.document_sha256") != "" {
		var scope []string
		for _, s := range strings.Split(f.Get("sources[0].authorization.scope"), ",") {
			if s = strings.TrimSpace(s); s != "" {
				scope = append(scope, s)
			}
		}
		auth := map[string]any{"grantor": g, "document_sha256": strings.ToLower(f.Get("sources[0].authorization.document_sha256")), "scope": scope,
			"valid_from": opt("sources[0].authorization.valid_from"), "valid_to": opt("sources[0].authorization.valid_to")}
		src["authorization"] = auth
	}
	if b := f.Get("sources[0].collection.basis"); b != "" || f.Get("sources[0].collection.reference") != "" {
		src["collection"] = map[string]any{"basis": b, "reference": f.Get("sources[0].collection.reference"), "notice_ref": f.Get("sources[0].collection.notice_ref")}
	}
	if o := f.Get("sources[0].order_id"); o != "" {
		src["order_id"] = o
	}
	if c := f.Get("sources[0].government.catalog_id"); c != "" {
		src["government"] = map[string]any{"catalog_id": c, "open_class": f.Get("sources[0].government.open_class"),
			"shared_for_duty": on("sources[0].government.shared_for_duty"), "approval_ref": opt("sources[0].government.approval_ref")}
	}
	decl := map[string]any{
		"title": f.Get("title"), "description": f.Get("description"), "category": f.Get("category"),
		"product_type": f.Get("product_type"), "dataset_id": f.Get("dataset_id"), "certificate_id": f.Get("certificate_id"),
		"contains_personal_info": on("contains_personal_info"), "contains_sensitive_personal_info": on("contains_sensitive_personal_info"),
		"contains_minors_data": on("contains_minors_data"), "classification": f.Get("classification"),
		"security_assessment_ref": opt("security_assessment_ref"), "export_intended": on("export_intended"),
		"state_secret": on("state_secret"), "sources": []any{src},
	}
	b, err := json.Marshal(decl)
	if err != nil {
		return in, err
	}
	if in.Declaration, err = market.ParseListing(b); err != nil {
		return in, err
	}
	if v := f.Get("price"); v != "" {
		m, err := market.ParseMoney(v)
		if err != nil || m.IsNegative() || m.Decimal().Exponent() < -2 {
			return in, market.Invalid("price", "invalid_price", "price: %q, want a non-negative amount with at most 2 decimal places", v)
		}
		in.Price = &m
	}
	return in, nil
}

// listingView is a seller's listing: where it stands and, when the Art. 36
// gate blocked it, each violation with its article and what to fix.
type listingView struct {
	Listing   *market.ListingRecord
	CanSubmit bool
}

func (h *Handler) listingPage(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller, market.RoleRegulator)
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
	if l.PartyID != a.PartyID && !a.Can(market.RoleRegulator) {
		return rc.redirect(Prefix + "/catalog/" + l.ID.String())
	}
	v := listingView{Listing: l, CanSubmit: a.Can(market.RoleSeller) && l.PartyID == a.PartyID &&
		(l.State == market.StateDraft || l.State == market.StateBlocked)}
	return rc.render(http.StatusOK, "seller_listing", "listing.title", &page{Data: v})
}

// submitListing submits the listing to the Art. 36 gate (POST
// /v1/listings/{id}/submit).
func (h *Handler) submitListing(rc *reqCtx) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	if _, err := h.uc.listings.Transition(rc.r.Context(), a, id, market.ActionSubmit, "", h.now()); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/seller/listings/" + id.String() + "?notice=listing_updated")
}
