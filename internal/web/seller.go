package web

import (
	"net/http"

	"github.com/shujiao/shujiao/market"
)

func (h *Handler) sellerRoutes() {
	h.handle("GET "+Prefix+"/seller", h.sellerHome)
	h.handle("POST "+Prefix+"/seller/datasets", h.uploadDataset)
	h.handle("GET "+Prefix+"/seller/datasets/{id}", h.datasetPage)
	h.handle("POST "+Prefix+"/seller/datasets/{id}/deidentify", h.deidentify)
	h.handle("POST "+Prefix+"/seller/datasets/{id}/scan", h.rescanDataset)
	h.handle("GET "+Prefix+"/seller/jobs/{id}", h.jobPage)
	h.handle("POST "+Prefix+"/seller/jobs/{id}/alternatives/{n}", h.chooseAlternative)
	h.handle("GET "+Prefix+"/seller/listings/new", h.newListing)
	h.handle("POST "+Prefix+"/seller/listings", h.createListing)
	h.handle("GET "+Prefix+"/seller/listings/{id}", h.listingPage)
	h.handle("POST "+Prefix+"/seller/listings/{id}/submit", h.submitListing)
	h.handle("GET "+Prefix+"/seller/listings/{id}/edit", h.editListing)
	h.handle("POST "+Prefix+"/seller/listings/{id}/edit", h.updateListing)
	h.handle("GET "+Prefix+"/seller/cases", h.sellerCases)
	h.handle("POST "+Prefix+"/seller/correction-orders/{id}/response", h.respondToOrder)
}

// sellerHomeView is the seller's desk: datasets, listings, and what
// regulators raised against the party.
type sellerHomeView struct {
	Datasets  []*market.Dataset
	Listings  []*market.ListingRecord
	OpenFlags int
	Orders    []market.CorrectionOrder
	MaxUpload int64
}

func (h *Handler) sellerHome(rc *reqCtx) error {
	return h.renderSellerHome(rc, http.StatusOK, nil)
}

func (h *Handler) renderSellerHome(rc *reqCtx, status int, errs map[string]string) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	v := sellerHomeView{MaxUpload: h.deps.MaxUpload}
	if v.Datasets, err = h.deps.Stores.Datasets.Datasets(ctx, a.PartyID, 200); err != nil {
		return err
	}
	own := a.PartyID
	if v.Listings, err = h.uc.listings.List(ctx, a, market.ListingFilter{PartyID: &own}); err != nil {
		return err
	}
	cases := h.uc.cases
	flags, err := cases.PartyFlags(ctx, a, market.FlagFilter{Status: market.FlagOpen})
	if err != nil {
		return err
	}
	v.OpenFlags = len(flags)
	if v.Orders, err = cases.PartyCorrectionOrders(ctx, a, h.now()); err != nil {
		return err
	}
	return rc.render(status, "seller_home", "seller.title", &page{Data: v, Errors: errs})
}
