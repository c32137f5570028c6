package web

import (
	"net/http"
	"net/url"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// sellerCasesView is what regulators raised against the seller's party:
// its flags and the correction orders served on it.
type sellerCasesView struct {
	Flags  []flagView
	Orders []market.CorrectionOrder
	// OrderID is the order whose response form shows Form and Errors.
	OrderID uuid.UUID
}

func (h *Handler) sellerCases(rc *reqCtx) error {
	return h.renderSellerCases(rc, http.StatusOK, uuid.Nil, nil, nil)
}

func (h *Handler) renderSellerCases(rc *reqCtx, status int, order uuid.UUID, f url.Values, errs map[string]string) error {
	a, err := rc.require(market.RoleSeller)
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	cases := h.uc.cases
	flags, err := cases.PartyFlags(ctx, a, market.FlagFilter{})
	if err != nil {
		return err
	}
	v := sellerCasesView{OrderID: order}
	for _, fl := range flags {
		v.Flags = append(v.Flags, h.describeFlag(rc, a, fl))
	}
	if v.Orders, err = cases.PartyCorrectionOrders(ctx, a, h.now()); err != nil {
		return err
	}
	return rc.render(status, "seller_cases", "scases.title", &page{Data: v, Form: f, Errors: errs})
}

// respondToOrder records the seller's response to a correction order
// (POST /v1/correction-orders/{id}/response): correct, delist or contest.
func (h *Handler) respondToOrder(rc *reqCtx) error {
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
	req := market.ResponseRequest{Action: market.ResponseAction(f.Get("action")), Statement: f.Get("statement")}
	if _, err := h.uc.cases.Respond(rc.r.Context(), a, id, req, h.now()); err != nil {
		if fe, ok := rc.fieldErrors(err); ok {
			return h.renderSellerCases(rc, http.StatusBadRequest, id, f, fe)
		}
		return err
	}
	return rc.redirect(Prefix + "/seller/cases?notice=responded")
}
