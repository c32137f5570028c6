package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

func (h *Handler) caseList(rc *reqCtx) error {
	a, err := rc.require(market.RoleRegulator)
	if err != nil {
		return err
	}
	q := rc.r.URL.Query()
	f := market.CaseFilter{Status: market.CaseStatus(q.Get("status")), Limit: 200}
	if f.Status != "" && !f.Status.Valid() {
		return rc.render(http.StatusBadRequest, "reg_cases", "cases.title",
			&page{Form: q, Errors: map[string]string{"status": rc.t("flags.bad_status")}, Data: []market.CaseSummary{}})
	}
	list, err := h.uc.cases.List(rc.r.Context(), a, f)
	if err != nil {
		return err
	}
	return rc.render(http.StatusOK, "reg_cases", "cases.title", &page{Form: q, Data: list})
}

// caseView is a case page: everything GET /v1/regulator/cases/{id} returns,
// with the flags described, the breaches a penalty is computed for, the
// discretion factors, and the ledger entries of the case and its trades.
type caseView struct {
	Case      *market.Case
	PartyName string
	Flags     []flagView
	Breaches  []market.PenaltyArticle
	Factors   []market.FactorInfo
	Trades    []tradeLedger
	Entries   []ledger.StoredEntry
	// Chosen are the factors ticked in the last computation (or the form).
	Chosen map[string]bool
}

// tradeLedger is a trade a flag's evidence records and its ledger entries
// (none for a trade imported from outside the platform's orders).
type tradeLedger struct {
	ID      string
	Entries []ledger.StoredEntry
}

func (h *Handler) casePage(rc *reqCtx) error {
	return h.renderCase(rc, http.StatusOK, nil, nil)
}

// renderCase shows the case with form (what was typed) and errs (the
// problems of its fields) after a failed action.
func (h *Handler) renderCase(rc *reqCtx, status int, form url.Values, errs map[string]string) error {
	a, err := rc.require(market.RoleRegulator)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	cs, err := h.uc.cases.Get(ctx, a, id, h.now())
	if err != nil {
		return err
	}
	v := caseView{Case: cs, PartyName: h.partyName(rc, a, cs.PartyID), Factors: market.PenaltyFactors(), Chosen: map[string]bool{}}
	seen := map[market.PenaltyArticle]bool{}
	for _, f := range cs.Flags {
		v.Flags = append(v.Flags, h.describeFlag(rc, a, f))
		if b, ok := market.BreachOfRule(f.Rule); ok && !seen[b] {
			seen[b] = true
			v.Breaches = append(v.Breaches, b)
		}
	}
	if v.Trades, v.Entries, err = h.caseLedger(rc, cs); err != nil {
		return err
	}
	if form != nil {
		for _, b := range v.Breaches {
			for _, f := range form["factors."+string(b)] {
				v.Chosen[string(b)+"/"+f] = true
			}
		}
	} else if cs.Penalty != nil {
		for _, vp := range cs.Penalty.Result.Violations {
			for _, f := range vp.FactorsUsed {
				v.Chosen[breachOf(vp.Breach)+"/"+string(f)] = true
			}
		}
	}
	if form == nil {
		form = url.Values{"workdays": {"10"}}
	}
	return rc.render(status, "reg_case", "case.title", &page{Data: v, Form: form, Errors: errs})
}

// breachOf maps "Shaanxi Art. 37" back to the breach id "shaanxi-37".
func breachOf(citation string) string {
	for _, b := range []market.PenaltyArticle{market.BreachArt36, market.BreachArt37} {
		if b.Breached() == citation {
			return string(b)
		}
	}
	return citation
}

// caseLedger returns the ledger entries of the case's trades (each trade
// its flags' evidence records) and of the case itself.
func (h *Handler) caseLedger(rc *reqCtx, cs *market.Case) ([]tradeLedger, []ledger.StoredEntry, error) {
	ctx := rc.r.Context()
	var trades []tradeLedger
	seen := map[string]bool{}
	for _, f := range cs.Flags {
		ts, err := market.EvidenceTrades(f)
		if err != nil {
			continue // the page shows the evidence as recorded
		}
		for _, t := range ts {
			if seen[t.ID] {
				continue
			}
			seen[t.ID] = true
			tl := tradeLedger{ID: t.ID}
			if id, err := uuid.Parse(t.ID); err == nil {
				es, err := h.deps.Ledger.Entries(ctx, ledger.Filter{SubjectID: id, Limit: 50})
				if err != nil {
					return nil, nil, err
				}
				tl.Entries = es
			}
			trades = append(trades, tl)
		}
	}
	entries, err := h.deps.Ledger.Entries(ctx, ledger.Filter{SubjectID: cs.ID, Limit: 100})
	return trades, entries, err
}

// decideCase records a decision (POST /v1/regulator/cases/{id}/decision):
// the correction deadline is counted in working days by the calendar.
func (h *Handler) decideCase(rc *reqCtx) error {
	a, err := rc.require(market.RoleRegulator)
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
	req := market.DecisionRequest{Action: market.DecisionAction(f.Get("action")), Reason: f.Get("reason")}
	if req.Action == market.DecisionOrderCorrection {
		req.Requirement = f.Get("requirement")
		n, err := strconv.Atoi(f.Get("workdays"))
		if err != nil {
			return h.renderCase(rc, http.StatusBadRequest, f, map[string]string{"workdays": rc.t("err.invalid_workdays")})
		}
		req.Workdays = n
	}
	ctx := rc.r.Context()
	cal, err := h.deps.Stores.Calendar.LoadCalendar(ctx)
	if err != nil {
		return err
	}
	if _, err := h.uc.cases.Decide(ctx, a, cal, id, req, h.now()); err != nil {
		if fe, ok := rc.fieldErrors(err); ok {
			return h.renderCase(rc, http.StatusBadRequest, f, fe)
		}
		return err
	}
	return rc.redirect(Prefix + "/regulator/cases/" + id.String() + "?notice=decided#decision")
}

// violationField finds which breach an engine error's field is about.
var violationField = regexp.MustCompile(`^violations\[(\d+)\]\.?(.*)$`)

// computePenalty computes the case's penalty (POST
// /v1/regulator/cases/{id}/penalty) with the factors ticked and an
// optional override with its reason, per breached article.
func (h *Handler) computePenalty(rc *reqCtx) error {
	a, err := rc.require(market.RoleRegulator)
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
	var req market.PenaltyRequest
	for _, art := range f["breach"] {
		b, ok := market.BreachOfRule(art)
		if !ok {
			return market.Invalid("breach", "invalid_breach", "breach %q is not one the penalty engine knows", art)
		}
		ch := market.PenaltyChoice{Article: b}
		for _, x := range f["factors."+art] {
			ch.Factors = append(ch.Factors, market.PenaltyFactor(x))
		}
		if fine := f.Get("override_fine." + art); fine != "" || f.Get("override_reason."+art) != "" {
			m, err := market.ParseMoney(fine)
			if err != nil {
				return h.renderCase(rc, http.StatusBadRequest, f, map[string]string{"override_fine." + art: rc.t("penalty.bad_fine")})
			}
			ch.Override = &market.PenaltyOverride{Fine: m, Reason: f.Get("override_reason." + art)}
		}
		req.Violations = append(req.Violations, ch)
	}
	if _, err := h.uc.cases.ComputePenalty(rc.r.Context(), a, id, req, h.now()); err != nil {
		fe, ok := rc.fieldErrors(err)
		if !ok {
			return err
		}
		out := map[string]string{}
		for field, msg := range fe {
			key := "penalty"
			if m := violationField.FindStringSubmatch(field); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(req.Violations) {
					art := string(req.Violations[i].Article)
					switch m[2] {
					case "override.fine", "override":
						key = "override_fine." + art
					case "override.reason":
						key = "override_reason." + art
					}
				}
			}
			out[key] = msg
		}
		return h.renderCase(rc, http.StatusBadRequest, f, out)
	}
	return rc.redirect(Prefix + "/regulator/cases/" + id.String() + "?notice=penalty_computed#penalty")
}

// addNote adds a regulator's note to the case.
func (h *Handler) addNote(rc *reqCtx) error {
	a, err := rc.require(market.RoleRegulator)
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
	if _, err := h.uc.cases.AddNote(rc.r.Context(), a, id, market.NoteRequest{Text: f.Get("text")}, h.now()); err != nil {
		if fe, ok := rc.fieldErrors(err); ok {
			return h.renderCase(rc, http.StatusBadRequest, f, fe)
		}
		return err
	}
	return rc.redirect(Prefix + "/regulator/cases/" + id.String() + "?notice=note_added#notes")
}
