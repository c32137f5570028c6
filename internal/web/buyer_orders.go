package web

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/shujiao/shujiao/internal/errkind"
	"github.com/shujiao/shujiao/market"
)

// quotePageView is a quote and the order form.
type quotePageView struct {
	Quote   market.QuoteRecord
	Listing *market.ListingRecord
	Expired bool
}

func (h *Handler) quotePage(rc *reqCtx) error {
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	f := url.Values{"quote_id": {id.String()}, "licence_terms": {rc.t("order.default_terms")}, "licence_scope": {"analysis"},
		"idempotency_key": {newKey()}}
	return h.renderQuote(rc, http.StatusOK, f, nil)
}

func (h *Handler) renderQuote(rc *reqCtx, status int, f url.Values, errs map[string]string) error {
	a, err := rc.require(market.RoleBuyer, market.RoleSeller, market.RoleRegulator)
	if err != nil {
		return err
	}
	id, err := parseTypedID[market.QuoteID](f.Get("quote_id"), "quote")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	q, err := h.uc.quotes.Get(ctx, a, id)
	if err != nil {
		return err
	}
	v := quotePageView{Quote: q, Expired: !h.now().Before(q.ExpiresAt)}
	if v.Listing, err = h.uc.listings.Get(ctx, a, q.ListingID); err != nil {
		return err
	}
	return rc.render(status, "buyer_quote_page", "quote.page_title", &page{Data: v, Form: f, Errors: errs})
}

// newKey is an idempotency key for one order form: submitting it twice
// places one order (POST /v1/orders with Idempotency-Key).
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return "web-" + hex.EncodeToString(b)
}

// createOrder places and pays the order as POST /v1/orders does: the
// money goes into escrow.
func (h *Handler) createOrder(rc *reqCtx) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	qid, err := parseTypedID[market.QuoteID](f.Get("quote_id"), "quote")
	if err != nil {
		return err
	}
	req := market.OrderRequest{QuoteID: qid, UsagePurpose: f.Get("usage_purpose"),
		Licence: market.LicenceTerms{Accepted: f.Get("licence_accepted") != "", Terms: f.Get("licence_terms")}}
	for _, s := range strings.Split(f.Get("licence_scope"), ",") {
		if s = strings.TrimSpace(s); s != "" {
			req.Licence.Scope = append(req.Licence.Scope, s)
		}
	}
	if ref := f.Get("export_assessment_ref"); ref != "" {
		req.ExportAssessmentRef = &ref
	}
	// Shaanxi Art. 72: a mainland buyer passing the data abroad exports it.
	req.OnwardTransferAbroad = f.Get("onward_transfer_abroad") != ""
	// 2024 Provisions Art. 5(1)–(3): an exemption declared with its words.
	if ex := f.Get("export_exemption"); ex != "" {
		req.ExportExemption = &market.ExportExemptionClaim{Exemption: ex}
		for _, s := range strings.Split(f.Get("export_justification"), ",") {
			if s = strings.TrimSpace(s); s != "" {
				req.ExportExemption.Justification = append(req.ExportExemption.Justification, s)
			}
		}
	}
	o, _, err := h.deps.Orders.Place(rc.r.Context(), a, f.Get("idempotency_key"), req)
	if err != nil {
		if fe, ok := rc.fieldErrors(err); ok {
			names := map[string]string{"licence.accepted": "licence_accepted", "licence.terms": "licence_terms", "licence.scope": "licence_scope"}
			out := map[string]string{}
			for k, v := range fe {
				if n, ok := names[k]; ok {
					k = n
				} else if strings.HasPrefix(k, "export_exemption.justification") {
					k = "export_justification"
				} else if k == "export_exemption.exemption" {
					k = "export_exemption"
				}
				out[k] = v
			}
			return h.renderQuote(rc, http.StatusBadRequest, f, out)
		}
		return err
	}
	return rc.redirect(Prefix + "/buyer/orders/" + o.ID.String() + "?notice=ordered")
}

// orderView is an order with its money movements (escrow) and delivery.
type orderView struct {
	Order    *market.Order
	Postings []market.Posting
	HasKey   bool
	IsBuyer  bool
	Problem  string
}

func (h *Handler) orderPage(rc *reqCtx) error { return h.renderOrder(rc, http.StatusOK, "") }

func (h *Handler) renderOrder(rc *reqCtx, status int, problem string) error {
	a, err := rc.require()
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	o, err := h.deps.Orders.Get(ctx, a, id)
	if err != nil {
		return err
	}
	v := orderView{Order: o, IsBuyer: a.PartyID == o.BuyerID && a.Can(market.RoleBuyer), Problem: problem}
	if v.Postings, err = h.deps.Orders.Postings(ctx, a, o.ID); err != nil {
		return err
	}
	if _, err := h.deps.Stores.Keys.PartyKey(ctx, o.BuyerID); err == nil {
		v.HasKey = true
	} else if !noPartyKey(err) {
		return err
	}
	return rc.render(status, "buyer_order", "order.title", &page{Data: v})
}

// moveOrder applies a buyer's action to the order (POST
// /v1/orders/{id}/accept|cancel|dispute).
func (h *Handler) moveOrder(rc *reqCtx) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	action := market.OrderAction(rc.r.PathValue("action"))
	switch action {
	case market.OrderActionAccept, market.OrderActionCancel, market.OrderActionDispute:
	default:
		return market.Errorf(market.ErrNotFound, "page_not_found", "no order action %q", action)
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	if _, err := h.deps.Orders.Move(rc.r.Context(), a, id, action, f.Get("reason")); err != nil {
		if msg, _ := rc.explain(err); errors.Is(err, market.ErrInvalid) || errors.Is(err, market.ErrConflict) {
			return h.renderOrder(rc, errkind.Status(err), msg)
		}
		return err
	}
	return rc.redirect(Prefix + "/buyer/orders/" + id.String() + "?notice=order_" + string(action))
}
