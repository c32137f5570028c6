package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

func (h *Handler) regulatorRoutes() {
	h.handle("GET "+Prefix+"/regulator/flags", h.flagQueue)
	h.handle("GET "+Prefix+"/regulator/flags/{id}", h.flagPage)
	h.handle("POST "+Prefix+"/regulator/cases", h.openCase)
	h.handle("GET "+Prefix+"/regulator/cases", h.caseList)
	h.handle("GET "+Prefix+"/regulator/cases/{id}", h.casePage)
	h.handle("POST "+Prefix+"/regulator/cases/{id}/decision", h.decideCase)
	h.handle("POST "+Prefix+"/regulator/cases/{id}/penalty", h.computePenalty)
	h.handle("POST "+Prefix+"/regulator/cases/{id}/notes", h.addNote)
	h.handle("GET "+Prefix+"/regulator/ledger/{id}", h.ledgerProof)
}

// flagRules are the rule ids the queue filters by.
var flagRules = []string{"shaanxi-36", "shaanxi-37", "tianjin-29", "shaanxi-72"}

// flagQueueView is the regulator's queue.
type flagQueueView struct {
	Flags    []market.Flag
	Rules    []string
	Statuses []market.FlagStatus
}

// parseFlagFilter reads the queue's filters as GET /v1/regulator/flags
// does; a bad one is reported for its field.
func parseFlagFilter(rc *reqCtx, q url.Values) (market.FlagFilter, map[string]string) {
	f := market.FlagFilter{Article: q.Get("article"), Rule: q.Get("rule"), Status: market.FlagStatus(q.Get("status")), Limit: 200}
	errs := map[string]string{}
	if f.Status != "" && !f.Status.Valid() {
		errs["status"] = rc.t("flags.bad_status")
	}
	if v := q.Get("party_id"); v != "" {
		id, err := market.ParsePartyID("party_id", v)
		if err != nil {
			errs["party_id"] = rc.t("flags.bad_id")
		}
		f.PartyID = id
	}
	for _, d := range []struct {
		name string
		dst  *time.Time
		days int
	}{{"from", &f.From, 0}, {"to", &f.To, 1}} {
		if v := q.Get(d.name); v != "" {
			t, err := time.ParseInLocation(time.DateOnly, v, market.ChinaTime)
			if err != nil {
				errs[d.name] = rc.t("flags.bad_date")
				continue
			}
			*d.dst = t.AddDate(0, 0, d.days) // "to" is inclusive of its day
		}
	}
	return f, errs
}

func (h *Handler) flagQueue(rc *reqCtx) error {
	if _, err := rc.require(market.RoleRegulator); err != nil {
		return err
	}
	q := rc.r.URL.Query()
	if !q.Has("status") {
		q.Set("status", string(market.FlagOpen))
	}
	f, errs := parseFlagFilter(rc, q)
	v := flagQueueView{Rules: flagRules, Statuses: []market.FlagStatus{market.FlagOpen, market.FlagInCase, market.FlagDismissed}}
	status := http.StatusBadRequest
	if len(errs) == 0 {
		flags, err := h.deps.Stores.Flags.ListFlags(rc.r.Context(), f)
		if err != nil {
			return err
		}
		v.Flags, status = flags, http.StatusOK
	}
	return rc.render(status, "reg_flags", "flags.title", &page{Form: q, Errors: errs, Data: v})
}

// flagView is one flag with what the regulator weighs: the party, and for
// an Art. 37 flag the price evidence and its chart.
type flagView struct {
	Flag      market.Flag
	PartyName string
	Price     *market.PriceFlag
	Chart     svgMarkup
	// Summary is the flag's finding in the page's language.
	Summary string
}

func (h *Handler) flagPage(rc *reqCtx) error {
	a, err := rc.require(market.RoleRegulator)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	f, err := h.deps.Stores.Flags.GetFlag(rc.r.Context(), id)
	if err != nil {
		return err
	}
	v := h.describeFlag(rc, a, f)
	return rc.render(http.StatusOK, "reg_flag", "flag.title", &page{Data: v})
}

// describeFlag decodes a flag's evidence for the page.
func (h *Handler) describeFlag(rc *reqCtx, a market.Actor, f market.Flag) flagView {
	v := flagView{Flag: f, PartyName: h.partyName(rc, a, f.PartyID), Summary: f.Summary}
	if f.Rule == market.RuleShaanxi37 {
		var pf market.PriceFlag
		switch {
		case json.Unmarshal(f.Evidence, &pf) != nil:
		case pf.Kind == market.KindUnrecognizedCondition:
			// no prices were compared: the values are listed, not charted
			v.Price = &pf
			if rc.lang == "zh" {
				v.Summary = rc.t("flagkind." + f.Kind)
			}
		default:
			v.Price = &pf
			v.Chart = priceChart(rc, pf)
			if rc.lang == "zh" {
				v.Summary = art37Summary(rc, pf)
			}
		}
	} else if rc.lang == "zh" {
		v.Summary = rc.t("flagkind." + f.Kind)
	}
	return v
}

// art37Summary states an Art. 37 finding in the page's language from its
// figures.
func art37Summary(rc *reqCtx, pf market.PriceFlag) string {
	if pf.Kind == market.KindHabitPattern && pf.Habit != nil {
		return rc.tf("art37.habit_summary", pf.Habit.LeastLoyalMean.String(), pf.Habit.MostLoyalMean.String(), pf.Habit.Trades)
	}
	return rc.tf("art37.price_summary", len(pf.Overcharges), pf.ReferencePrice.String(), pf.OverchargeTotal.String())
}

// priceChart draws the prices of the trades an Art. 37 flag compared
// against the group's reference price, the trades at fault in red, and
// a mark over each trade whose claimed exception was considered and
// rejected.
func priceChart(rc *reqCtx, pf market.PriceFlag) svgMarkup {
	rejected := map[string]bool{}
	for _, x := range pf.ExceptionsRejected {
		rejected[x.TradeID] = true
	}
	c := chart{Title: rc.t("art37.chart_title"), YLabel: rc.t("art37.chart_y"), HasRef: true,
		RefValue: pf.ReferencePrice.Decimal().InexactFloat64(),
		RefLabel: rc.tf("art37.chart_ref", pf.ReferencePrice.String(), rc.t("refsrc."+pf.ReferenceSource))}
	desc := c.RefLabel
	if pf.Habit == nil {
		// the other trades of the group, at or within tolerance of the reference
		c.Bars = append(c.Bars, bar{Label: rc.t("art37.group_reference"), Value: c.RefValue, Text: pf.ReferencePrice.String()})
	}
	if pf.Habit != nil {
		c.Bars = append(c.Bars,
			bar{Label: rc.t("art37.least_loyal"), Value: pf.Habit.LeastLoyalMean.Decimal().InexactFloat64(), Text: pf.Habit.LeastLoyalMean.String()},
			bar{Label: rc.t("art37.most_loyal"), Value: pf.Habit.MostLoyalMean.Decimal().InexactFloat64(), Text: pf.Habit.MostLoyalMean.String(), Hot: true})
	}
	for _, o := range pf.Overcharges {
		b := bar{Label: o.TradeID, Value: o.UnitPrice.Decimal().InexactFloat64(), Text: o.UnitPrice.String(), Hot: true}
		if rejected[o.TradeID] {
			b.Mark = rc.t("art37.exception_rejected")
		}
		c.Bars = append(c.Bars, b)
		desc += "; " + o.TradeID + " " + o.UnitPrice.String()
	}
	return c.render(desc)
}

// partyName returns a party's registered name, or its ID when it cannot
// be read.
func (h *Handler) partyName(rc *reqCtx, a market.Actor, id market.PartyID) string {
	p, err := h.deps.Accounts.Party(rc.r.Context(), a, id)
	if err != nil {
		return id.String()
	}
	return p.Name
}

// tf formats catalogue entry key with args.
func (rc *reqCtx) tf(key string, args ...any) string {
	return sprintf(rc.t(key), args...)
}

// openCase opens a case from the flags ticked on a flag's page or in the
// queue (POST /v1/regulator/cases).
func (h *Handler) openCase(rc *reqCtx) error {
	a, err := rc.require(market.RoleRegulator)
	if err != nil {
		return err
	}
	f, err := rc.form()
	if err != nil {
		return err
	}
	req := market.OpenCaseRequest{Title: f.Get("title"), Note: f.Get("note")}
	for _, s := range f["flag_ids"] {
		id, err := uuid.Parse(s)
		if err != nil {
			return market.Invalid("flag_ids", "invalid_id", "flag_ids: %q is not an ID", s)
		}
		req.FlagIDs = append(req.FlagIDs, id)
	}
	cs, err := h.uc.cases.Open(rc.r.Context(), a, req, h.now())
	if err != nil {
		return err
	}
	return rc.redirect(Prefix + "/regulator/cases/" + cs.ID.String() + "?notice=case_opened")
}
