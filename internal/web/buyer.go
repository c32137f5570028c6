package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

func (h *Handler) buyerRoutes() {
	h.handle("GET "+Prefix+"/buyer", h.buyerHome)
	h.handle("POST "+Prefix+"/buyer/key", h.registerKey)
	h.handle("GET "+Prefix+"/buyer/quote", h.quoteForm)
	h.handle("POST "+Prefix+"/buyer/quotes", h.createQuote)
	h.handle("GET "+Prefix+"/buyer/quotes/{id}", h.quotePage)
	h.handle("POST "+Prefix+"/buyer/orders", h.createOrder)
	h.handle("GET "+Prefix+"/buyer/orders/{id}", h.orderPage)
	h.handle("POST "+Prefix+"/buyer/orders/{id}/download", h.downloadOrder)
	h.handle("POST "+Prefix+"/buyer/orders/{id}/{action}", h.moveOrder)
}

// buyerHomeView is the buyer's desk: orders, the party's OpenPGP key and
// the money available.
type buyerHomeView struct {
	Orders  []*market.Order
	Key     *market.PartyKey
	Balance market.Money
}

func (h *Handler) buyerHome(rc *reqCtx) error {
	return h.renderBuyerHome(rc, http.StatusOK, nil, nil)
}

func (h *Handler) renderBuyerHome(rc *reqCtx, status int, f url.Values, errs map[string]string) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	v := buyerHomeView{}
	if v.Orders, err = h.deps.Orders.List(ctx, a, market.OrderFilter{As: "buyer"}); err != nil {
		return err
	}
	switch k, err := h.deps.Stores.Keys.PartyKey(ctx, a.PartyID); {
	case err == nil:
		v.Key = &k
	case !noPartyKey(err):
		return err
	}
	if v.Balance, err = h.deps.Stores.Money.Balance(ctx, market.AccountKey{Kind: market.AccountBuyerFunds, PartyID: uuid.UUID(a.PartyID)}); err != nil {
		return err
	}
	return rc.render(status, "buyer_home", "buyer.title", &page{Data: v, Form: f, Errors: errs})
}

// registerKey registers the party's OpenPGP public key, as PUT
// /v1/parties/{id}/pgp-key does: a private key is refused, so that it
// never travels to the server.
func (h *Handler) registerKey(rc *reqCtx) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	armored := strings.TrimSpace(f.Get("armored"))
	bad := func(key string) error {
		return h.renderBuyerHome(rc, http.StatusBadRequest, f, map[string]string{"armored": rc.t(key)})
	}
	if strings.Contains(armored, "PRIVATE KEY BLOCK") {
		return bad("buyer.private_key")
	}
	key, err := pgp.ParsePublicKey(armored)
	if err != nil {
		return bad("buyer.bad_key")
	}
	pub, err := key.ArmoredPublic()
	if err != nil {
		return err
	}
	if _, err := h.uc.keys.Put(rc.r.Context(), a, a.PartyID, string(pub), key.Fingerprint(), h.now()); err != nil {
		return err
	}
	return rc.redirect(Prefix + "/buyer?notice=key_registered")
}

// quoteView is the quote form: the product and the five transaction
// conditions of Shaanxi Art. 37(2) (credit is the party's rating).
type quoteView struct {
	Listing *market.ListingRecord
	Plan    *market.PricePlan
}

func (h *Handler) quoteForm(rc *reqCtx) error {
	f := url.Values{"listing": {rc.r.URL.Query().Get("listing")}, "delivery_mode": {"download"}, "volume": {"1"},
		"stage": {string(market.StageDirect)}, "duration_months": {"12"}}
	return h.renderQuoteForm(rc, http.StatusOK, f, nil)
}

func (h *Handler) renderQuoteForm(rc *reqCtx, status int, f url.Values, errs map[string]string) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	id, err := parseID(f.Get("listing"), "listing")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	l, err := h.uc.listings.Get(ctx, a, id)
	if err != nil {
		return err
	}
	v := quoteView{Listing: l}
	if rec, err := h.deps.Stores.Quotes.PricePlan(ctx, l.ID, 0); err == nil {
		v.Plan = rec.Plan
	}
	return rc.render(status, "buyer_quote", "quote.title", &page{Data: v, Form: f, Errors: errs})
}

// createQuote prices the buyer's conditions (POST /v1/listings/{id}/quotes).
func (h *Handler) createQuote(rc *reqCtx) error {
	a, err := rc.require(market.RoleBuyer)
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	id, err := parseID(f.Get("listing"), "listing")
	if err != nil {
		return err
	}
	errs := map[string]string{}
	conds := market.Conditions{Security: market.Security{DeliveryMode: f.Get("delivery_mode"), CertificationLevel: f.Get("certification_level")},
		Cost: market.Cost{Channel: f.Get("channel")}, Stage: market.Stage(f.Get("stage"))}
	if v, err := decimal.NewFromString(f.Get("volume")); err != nil || v.IsNegative() {
		errs["volume"] = rc.t("quote.bad_volume")
	} else {
		conds.Cost.Volume = v
	}
	if n, err := strconv.Atoi(f.Get("duration_months")); err != nil || n < 0 {
		errs["duration_months"] = rc.t("quote.bad_duration")
	} else {
		conds.DurationMonths = n
	}
	if len(errs) == 0 {
		channel := "web"
		q, err := h.uc.quotes.Create(rc.r.Context(), a, id, conds, channel, h.now())
		if err == nil {
			return rc.redirect(Prefix + "/buyer/quotes/" + q.ID.String() + "?notice=quoted")
		}
		fe, ok := rc.fieldErrors(err)
		if !ok {
			return err
		}
		errs = quoteFields(fe)
	}
	return h.renderQuoteForm(rc, http.StatusBadRequest, f, errs)
}

// quoteFields maps the conditions' field paths to the form's fields.
func quoteFields(errs map[string]string) map[string]string {
	names := map[string]string{"security.delivery_mode": "delivery_mode", "cost.volume": "volume", "stage": "stage",
		"duration_months": "duration_months", "security.certification_level": "certification_level"}
	out := map[string]string{}
	for k, v := range errs {
		k = strings.TrimPrefix(k, "conditions.")
		if n, ok := names[k]; ok {
			k = n
		}
		out[k] = v
	}
	return out
}

// noPartyKey reports whether err says the party has no OpenPGP key yet
// (market.PartyKeyStore.PartyKey: ErrConflict, code pgp_key_required).
func noPartyKey(err error) bool {
	var me *market.Error
	return errors.As(err, &me) && me.Code == "pgp_key_required"
}
