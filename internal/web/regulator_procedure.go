package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// procedureRoutes registers the regulator's procedure page of a case.
func (h *Handler) procedureRoutes() {
	h.handle("GET "+Prefix+"/regulator/cases/{id}/procedure", h.procedurePage)
	h.handle("POST "+Prefix+"/regulator/cases/{id}/procedure", h.procedureStep)
}

// procedureView is the procedure page: the states passed and to come, the
// record of each step, and the steps allowed now.
type procedureView struct {
	CaseID    uuid.UUID
	PartyName string
	// Proc is nil until the case is filed.
	Proc   *market.Procedure
	States []stateMark
	Next   []market.ProcedureAction
	// Error is a refused step's message and Article its rule.
	Error, Article string
}

// stateMark is one state on the path: passed, current or to come.
type stateMark struct {
	State         market.ProcedureState
	Passed, AtNow bool
}

func (h *Handler) procedurePage(rc *reqCtx) error {
	return h.renderProcedure(rc, http.StatusOK, nil, nil)
}

// renderProcedure shows the page, with what was typed and the error of a
// refused step.
func (h *Handler) renderProcedure(rc *reqCtx, status int, form url.Values, stepErr error) error {
	a, err := rc.require(market.RoleRegulator)
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	if h.deps.Procedures == nil {
		return errors.New("web: the procedure service is not configured")
	}
	v := procedureView{CaseID: id}
	p, err := h.deps.Procedures.Get(rc.r.Context(), a, id)
	var me *market.Error
	switch {
	case err == nil:
		v.Proc, v.PartyName = p, p.PartyID.String()
		if h.deps.Accounts != nil {
			v.PartyName = h.partyName(rc, a, p.PartyID)
		}
	case errors.As(err, &me) && me.Code == "procedure_not_found":
	default:
		return err
	}
	var state market.ProcedureState
	if v.Proc != nil {
		state = v.Proc.State
	}
	passed := map[market.ProcedureState]bool{}
	if v.Proc != nil {
		for _, e := range v.Proc.Events {
			passed[e.From], passed[e.To] = true, true
		}
	}
	for _, s := range market.ProcedureStates() {
		v.States = append(v.States, stateMark{State: s, Passed: passed[s] && s != state, AtNow: s == state})
	}
	v.Next = market.NextActions(state)
	if stepErr != nil {
		v.Error, v.Article = rc.explain(stepErr)
	}
	return rc.render(status, "reg_procedure", "proc.title", &page{Form: form, Data: v})
}

// procedureStep takes the step the form names through the same service as
// POST /v1/regulator/cases/{id}/procedure.
func (h *Handler) procedureStep(rc *reqCtx) error {
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
	st, err := stepFromForm(f)
	if err == nil {
		if h.deps.Procedures == nil {
			return errors.New("web: the procedure service is not configured")
		}
		_, err = h.deps.Procedures.Step(rc.r.Context(), a, id, st)
	}
	if err != nil {
		var me *market.Error
		if errors.As(err, &me) {
			return h.renderProcedure(rc, http.StatusUnprocessableEntity, f, err)
		}
		return err
	}
	return rc.redirect(Prefix + "/regulator/cases/" + id.String() + "/procedure?notice=step_taken")
}

// stepFromForm reads a step from the page's form; empty fields are absent.
func stepFromForm(f url.Values) (market.ProcedureStep, error) {
	st := market.ProcedureStep{Action: market.ProcedureAction(f.Get("action")), Method: f.Get("method"), Receipt: f.Get("receipt"),
		Text: f.Get("text"), Place: f.Get("place"), SHA256: f.Get("sha256"), Channel: f.Get("channel"),
		Kind: f.Get("challenge_kind"), Body: f.Get("body"), Outcome: f.Get("outcome")}
	var err error
	date := func(field string, d *market.Date) {
		if v := strings.TrimSpace(f.Get(field)); v != "" && err == nil {
			if *d, err = market.ParseDate(v); err != nil {
				err = market.Invalid(field, "invalid_date", "%s: %s", field, err.Error())
			}
		}
	}
	date("on", &st.On)
	date("hearing_date", &st.HearingDate)
	if v := strings.TrimSpace(f.Get("amount")); v != "" && err == nil {
		m, perr := market.ParseMoney(v)
		if perr != nil {
			return st, market.Invalid("amount", "invalid_money", "amount: %s", perr.Error())
		}
		st.Amount = &m
	}
	if v := strings.TrimSpace(f.Get("case_file")); v != "" && err == nil {
		if !json.Valid([]byte(v)) {
			return st, market.Invalid("case_file", "invalid_json", "case_file: not JSON; paste the penalty case file (docs/penalties.md)")
		}
		st.CaseFile = json.RawMessage(v)
	}
	if k := f.Get("evidence_kind"); k != "" && st.Action == market.ActAddEvidence {
		ev := &market.EvidenceInput{Kind: market.EvidenceKind(k), Description: f.Get("evidence_description"), SHA256: f.Get("sha256")}
		if s := strings.TrimSpace(f.Get("source_entry_id")); s != "" {
			u, perr := uuid.Parse(s)
			if perr != nil {
				return st, market.Invalid("evidence.source_entry_id", "invalid_id", "evidence.source_entry_id: not a ledger entry id")
			}
			ev.SourceEntryID = &u
		}
		st.Evidence = ev
	}
	return st, err
}
