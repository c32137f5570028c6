package market

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ProcedureAction names a step of the procedure.
type ProcedureAction string

// The steps. Party steps (statement, waive, request_hearing, pay,
// challenge) may be taken by the party concerned or recorded by the
// regulator; the others only by a regulator.
const (
	ActFile            ProcedureAction = "file"
	ActInvestigate     ProcedureAction = "investigate"
	ActAddEvidence     ProcedureAction = "add_evidence"
	ActIssueNotice     ProcedureAction = "issue_notice"
	ActServeNotice     ProcedureAction = "serve_notice"
	ActStatement       ProcedureAction = "statement"
	ActWaive           ProcedureAction = "waive"
	ActRequestHearing  ProcedureAction = "request_hearing"
	ActScheduleHearing ProcedureAction = "schedule_hearing"
	ActHoldHearing     ProcedureAction = "hold_hearing"
	ActDecide          ProcedureAction = "decide"
	ActServeDecision   ProcedureAction = "serve_decision"
	ActPay             ProcedureAction = "pay"
	ActChallenge       ProcedureAction = "challenge"
	ActClose           ProcedureAction = "close"
)

// PartyAction reports whether the party concerned may take step a itself.
func (a ProcedureAction) PartyAction() bool {
	switch a {
	case ActStatement, ActWaive, ActRequestHearing, ActPay, ActChallenge:
		return true
	}
	return false
}

// procedureRule is where a step may be taken from, where it leads (empty:
// it stays), and the rule that orders it.
type procedureRule struct {
	from []ProcedureState
	to   ProcedureState
	rule string
}

var procedureRules = map[ProcedureAction]procedureRule{
	ActFile:            {nil, ProcFiled, "Administrative Penalty Law Art. 54 (立案)"},
	ActInvestigate:     {[]ProcedureState{ProcFiled}, ProcInvestigating, "Administrative Penalty Law Art. 54: the case is filed before it is investigated"},
	ActAddEvidence:     {[]ProcedureState{ProcInvestigating}, "", "Administrative Penalty Law Art. 54, 55: evidence is gathered during the investigation"},
	ActIssueNotice:     {[]ProcedureState{ProcInvestigating}, ProcNotified, "Administrative Penalty Law Art. 44: the prior notice follows the investigation"},
	ActServeNotice:     {[]ProcedureState{ProcNotified}, ProcNoticeServed, "Administrative Penalty Law Art. 44: only an issued notice is served"},
	ActStatement:       {[]ProcedureState{ProcNoticeServed, ProcHearingRequested, ProcHearingScheduled}, "", "Administrative Penalty Law Art. 45: the party states and defends itself after the notice is served, before the decision"},
	ActWaive:           {[]ProcedureState{ProcNoticeServed}, "", "Administrative Penalty Law Art. 45, 64: rights are waived after the notice is served and before a hearing is asked for"},
	ActRequestHearing:  {[]ProcedureState{ProcNoticeServed}, ProcHearingRequested, "Administrative Penalty Law Art. 64(1): a hearing is asked for after the notice is served"},
	ActScheduleHearing: {[]ProcedureState{ProcHearingRequested}, ProcHearingScheduled, "Administrative Penalty Law Art. 64(2): a hearing is scheduled once asked for"},
	ActHoldHearing:     {[]ProcedureState{ProcHearingScheduled}, ProcHeard, "Administrative Penalty Law Art. 64: a hearing is held once the party was told of its time and place"},
	ActDecide:          {[]ProcedureState{ProcNoticeServed, ProcHeard}, ProcDecided, "Administrative Penalty Law Art. 62, 65: no decision before the party was told, heard (or waived) and, if it asked, the hearing held"},
	ActServeDecision:   {[]ProcedureState{ProcDecided}, ProcDecisionServed, "Administrative Penalty Law Art. 61: only a decision is served"},
	ActPay:             {[]ProcedureState{ProcDecisionServed, ProcContested}, ProcPaid, "Administrative Penalty Law Art. 67: payment follows the decision's service"},
	ActChallenge:       {[]ProcedureState{ProcDecisionServed, ProcPaid}, ProcContested, "行政复议法 Art. 20, 行政诉讼法 Art. 46: review or suit follows the decision's service"},
	ActClose:           {[]ProcedureState{ProcDecisionServed, ProcPaid, ProcContested}, ProcClosed, "a case closes once its decision is served and executed or set aside"},
}

// ProcedureStep is one step asked for (POST /v1/regulator/cases/{id}/procedure).
// On is the day it happened (served, asked, held, decided, paid, filed;
// default: today in China); the other fields serve the steps named.
type ProcedureStep struct {
	Action ProcedureAction `json:"action"`
	On     Date            `json:"on,omitzero"`
	// add_evidence.
	Evidence *EvidenceInput `json:"evidence,omitempty"`
	// issue_notice, decide: the penalty case file (docs/penalties.md).
	CaseFile json.RawMessage `json:"case_file,omitempty"`
	// serve_notice, serve_decision: method and receipt; pay: receipt.
	Method  string `json:"method,omitempty"`
	Receipt string `json:"receipt,omitempty"`
	// statement: the text; decide: the reasons; hold_hearing: the record's summary.
	Text string `json:"text,omitempty"`
	// schedule_hearing: the hearing's day and place.
	HearingDate Date   `json:"hearing_date,omitzero"`
	Place       string `json:"place,omitempty"`
	// hold_hearing: the signed record's SHA-256.
	SHA256 string `json:"sha256,omitempty"`
	// pay.
	Channel string `json:"channel,omitempty"`
	Amount  *Money `json:"amount,omitempty"`
	// challenge: kind ("review", "lawsuit") and body; close: outcome of a challenge.
	Kind    string `json:"kind,omitempty"`
	Body    string `json:"body,omitempty"`
	Outcome string `json:"outcome,omitempty"`
}

// EvidenceInput is an evidence item to add. SourceEntryID names the ledger
// entry of a trade, flag or listing decision; SHA256 a document.
type EvidenceInput struct {
	Kind          EvidenceKind `json:"kind"`
	Description   string       `json:"description"`
	SourceEntryID *uuid.UUID   `json:"source_entry_id,omitempty"`
	SHA256        string       `json:"sha256,omitempty"`
}

// LedgerRef is what the procedure reads of a ledger entry an evidence
// item refers to.
type LedgerRef struct {
	ID      uuid.UUID
	Kind    string
	PartyID uuid.UUID
}

// evidenceSourcePrefix is the ledger kinds each evidence kind may cite.
var evidenceSourcePrefix = map[EvidenceKind][]string{
	EvidenceTrade:           {"order.", "quote."},
	EvidenceFlag:            {"flag."},
	EvidenceListingDecision: {"listing."},
}

// chinaDay returns t's day in China.
func chinaDay(t time.Time) Date {
	y, m, d := t.In(chinaTime).Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, chinaTime)}
}

// refuse returns an ErrRefused *Error citing article.
func refuse(article, code, format string, a ...any) error {
	return Refused(article, code, format, a...)
}

// checkFrom refuses step a from state s, naming the rule that orders it.
func checkFrom(a ProcedureAction, s ProcedureState) (procedureRule, error) {
	r, ok := procedureRules[a]
	if !ok {
		return r, Invalid("action", "unknown_action", "action: %q is not a step of the procedure", a)
	}
	if a == ActFile {
		return r, nil
	}
	if !slices.Contains(r.from, s) {
		return r, refuse(r.rule, "step_not_allowed", "%s is not allowed while the case is %s (%s); it is allowed from %s", a, s, s.Chinese(), stateList(r.from))
	}
	return r, nil
}

func stateList(ss []ProcedureState) string {
	s := make([]string, len(ss))
	for i, x := range ss {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// stepDay returns the step's day (today when unset), refusing a day in the future.
func stepDay(st ProcedureStep, now time.Time) (Date, error) {
	today := chinaDay(now)
	if st.On.IsZero() {
		return today, nil
	}
	if st.On.Start().After(today.Start()) {
		return Date{}, Invalid("on", "date_in_future", "on: %s is after today (%s)", st.On, today)
	}
	return st.On, nil
}

// notBefore refuses day d before earlier, the day of the step it follows.
func notBefore(d, earlier Date, what string) error {
	if d.Start().Before(earlier.Start()) {
		return Invalid("on", "date_before_previous_step", "on: %s is before %s (%s)", d, what, earlier)
	}
	return nil
}

func requireText(field, s, why string) error {
	if strings.TrimSpace(s) == "" {
		return Invalid(field, "missing", "%s: missing; %s", field, why)
	}
	return nil
}

func describeStep(a ProcedureAction, p *Procedure) string {
	return fmt.Sprintf("%s → %s", a, p.State)
}

// NextActions returns the steps the procedure allows from state s, in
// procedure order (file when s is empty). It is what a page offers; the
// steps' own preconditions are checked when they are taken.
func NextActions(s ProcedureState) []ProcedureAction {
	if s == "" {
		return []ProcedureAction{ActFile}
	}
	var out []ProcedureAction
	for _, a := range procedureActions {
		if slices.Contains(procedureRules[a].from, s) {
			out = append(out, a)
		}
	}
	return out
}

// procedureActions lists the steps in procedure order.
var procedureActions = []ProcedureAction{ActFile, ActInvestigate, ActAddEvidence, ActIssueNotice, ActServeNotice, ActStatement,
	ActWaive, ActRequestHearing, ActScheduleHearing, ActHoldHearing, ActDecide, ActServeDecision, ActPay, ActChallenge, ActClose}
