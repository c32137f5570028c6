package market

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Procedure periods (APL = Administrative Penalty Law 2021).
const (
	// WindowWorkdays: 当事人要求听证的，应当在行政机关告知后五日内提出 (APL
	// Art. 64(1)); the notice gives the same period to state and defend;
	// 五日 counts working days (APL Art. 85).
	WindowWorkdays = 5
	// HearingNoticeWorkdays: the party is told of the hearing seven days
	// before it (APL Art. 64(2)), working days (APL Art. 85).
	HearingNoticeWorkdays = 7
	// PaymentDays: 自收到行政处罚决定书之日起十五日内 (APL Art. 67(3)), calendar days.
	PaymentDays = 15
	// ReviewDays: 六十日 to apply for administrative review (行政复议法 Art. 20).
	ReviewDays = 60
	// SueMonths: 六个月 to sue in the people's court (行政诉讼法 Art. 46).
	SueMonths = 6
)

// Apply takes step st on p at now, for actor, with the working-day
// calendar cal; ref is the ledger entry an add_evidence step cites (nil
// otherwise). It changes p only when it succeeds and returns the event to
// record (without its ledger entry id) and the payload to append to the
// ledger.
//
// Every refusal is an *Error: ErrRefused citing the article whose
// precondition failed (code step_not_allowed for a step out of order,
// statement_window_open, hearing_pending, no_hearing_right,
// heavier_than_notice, payment_amount_mismatch, …), ErrInvalid for bad
// input. It is a pure function.
func (p *Procedure) Apply(actor Actor, cal *Calendar, st ProcedureStep, ref *LedgerRef, now time.Time) (ProcedureEvent, map[string]any, error) {
	rule, err := checkFrom(st.Action, p.State)
	if err != nil {
		return ProcedureEvent{}, nil, err
	}
	day, err := stepDay(st, now)
	if err != nil {
		return ProcedureEvent{}, nil, err
	}
	q := p.clone()
	if err := q.settle(cal); err != nil {
		return ProcedureEvent{}, nil, err
	}
	payload := map[string]any{"case_id": p.CaseID, "action": st.Action, "on": day.String()}
	if err := q.apply(cal, st, ref, day, now, payload); err != nil {
		return ProcedureEvent{}, nil, err
	}
	from := p.State
	if rule.to != "" {
		q.State = rule.to
	}
	ev := ProcedureEvent{Seq: len(p.Events) + 1, Action: st.Action, From: from, To: q.State, By: actor.UserID, At: now.UTC().Truncate(time.Microsecond)}
	ev.Summary = describeStep(st.Action, &q)
	payload["from"], payload["to"], payload["by"] = from, q.State, actor.UserID
	*p = q
	return ev, payload, nil
}

func (p Procedure) clone() Procedure {
	q := p
	q.Evidence = append(make([]EvidenceItem, 0, len(p.Evidence)), p.Evidence...)
	q.Statements = append(make([]Statement, 0, len(p.Statements)), p.Statements...)
	q.Events = append(make([]ProcedureEvent, 0, len(p.Events)), p.Events...)
	if p.Hearing != nil {
		h := *p.Hearing
		q.Hearing = &h
	}
	return q
}

func (p *Procedure) apply(cal *Calendar, st ProcedureStep, ref *LedgerRef, day Date, now time.Time, payload map[string]any) error {
	switch st.Action {
	case ActFile:
		p.FiledOn, p.DecideBy = day, Date{day.Start().AddDate(0, 0, 90)}
	case ActInvestigate:
		return notBefore(day, p.FiledOn, "the filing")
	case ActAddEvidence:
		item, err := newEvidence(st.Evidence, ref, p.PartyID, now)
		if err != nil {
			return err
		}
		p.Evidence = append(p.Evidence, item)
		payload["evidence"] = item
	case ActIssueNotice:
		return p.issueNotice(st, day, payload)
	case ActServeNotice:
		return p.serveNotice(cal, st, day, payload)
	case ActStatement:
		if err := requireText("text", st.Text, "the party's statement and defence (陈述、申辩)"); err != nil {
			return err
		}
		if closed, _ := p.windowClosed(cal, day); p.State == ProcNoticeServed && closed {
			return refuse("Administrative Penalty Law Art. 45, 64(1), 85", "statement_window_closed",
				"the statement period ended on %s (%d working days from %s); record a late statement as a note", p.Window.End, p.Window.Workdays, p.Window.Start)
		}
		p.Statements = append(p.Statements, Statement{Text: strings.TrimSpace(st.Text), At: now.UTC().Truncate(time.Microsecond)})
		payload["text"] = strings.TrimSpace(st.Text)
	case ActWaive:
		if closed, _ := p.windowClosed(cal, day); closed {
			return refuse("Administrative Penalty Law Art. 64(1)", "statement_window_closed", "the window ended on %s; there is nothing left to waive", p.Window.End)
		}
		p.Waived = true
	case ActRequestHearing:
		return p.requestHearing(cal, day)
	case ActScheduleHearing:
		return p.scheduleHearing(cal, st, day, payload)
	case ActHoldHearing:
		return p.holdHearing(st, day, payload)
	case ActDecide:
		if err := p.decide(cal, st, day, payload); err != nil {
			return err
		}
		by, pending, err := workdaysAfter(cal, day, 7)
		if err != nil {
			return err
		}
		p.ServeBy, p.ServeByPending = by, pending
	case ActServeDecision:
		return p.serveDecision(cal, st, day, payload)
	case ActPay:
		return p.pay(cal, st, day, payload)
	case ActChallenge:
		return p.challenge(cal, st, day, payload)
	case ActClose:
		return p.close(st, day, payload)
	}
	return nil
}

func newEvidence(in *EvidenceInput, ref *LedgerRef, party PartyID, now time.Time) (EvidenceItem, error) {
	if in == nil {
		return EvidenceItem{}, Invalid("evidence", "missing", "evidence: missing; give kind, description and the ledger entry or document")
	}
	if err := requireText("evidence.description", in.Description, "say in Chinese what the item proves"); err != nil {
		return EvidenceItem{}, err
	}
	item := EvidenceItem{ID: NewID(), Kind: in.Kind, Description: strings.TrimSpace(in.Description), AddedAt: now.UTC().Truncate(time.Microsecond)}
	switch in.Kind {
	case EvidenceDocument:
		if len(in.SHA256) != 64 || strings.Trim(strings.ToLower(in.SHA256), "0123456789abcdef") != "" {
			return item, Invalid("evidence.sha256", "invalid_sha256", "evidence.sha256: want the document's SHA-256 in 64 hex digits")
		}
		item.SHA256 = strings.ToLower(in.SHA256)
		return item, nil
	case EvidenceTrade, EvidenceFlag, EvidenceListingDecision:
	default:
		return item, Invalid("evidence.kind", "invalid_evidence_kind", "evidence.kind: %q; want trade, flag, listing_decision or document", in.Kind)
	}
	if in.SourceEntryID == nil || ref == nil {
		return item, Invalid("evidence.source_entry_id", "missing", "evidence.source_entry_id: missing; a %s is proven by its ledger entry", in.Kind)
	}
	ok := false
	for _, pre := range evidenceSourcePrefix[in.Kind] {
		ok = ok || strings.HasPrefix(ref.Kind, pre)
	}
	if !ok {
		return item, Invalid("evidence.source_entry_id", "evidence_kind_mismatch", "evidence.source_entry_id: ledger entry %s is a %s, not a %s", ref.ID, ref.Kind, in.Kind)
	}
	if ref.PartyID != uuid.Nil && ref.PartyID != uuid.UUID(party) && in.Kind != EvidenceTrade {
		return item, Invalid("evidence.source_entry_id", "evidence_of_another_party", "evidence.source_entry_id: ledger entry %s concerns another party", ref.ID)
	}
	id := ref.ID
	item.SourceEntryID, item.SourceKind = &id, ref.Kind
	return item, nil
}

// computeCaseFile parses and computes a penalty case file.
func computeCaseFile(raw []byte, field string) (PenaltyResult, error) {
	if len(raw) == 0 {
		return PenaltyResult{}, Invalid(field, "missing", "%s: missing; give the penalty case file (docs/penalties.md)", field)
	}
	c, err := ParsePenaltyCase(raw)
	if err == nil {
		var r PenaltyResult
		if r, err = ComputePenalty(c); err == nil {
			return r, nil
		}
	}
	var e *Error
	if errors.As(err, &e) && e.Field != "" {
		e2 := *e
		e2.Field = field + "." + e.Field
		return PenaltyResult{}, &e2
	}
	return PenaltyResult{}, fmt.Errorf("%s: %w", field, err)
}

func (p *Procedure) issueNotice(st ProcedureStep, day Date, payload map[string]any) error {
	if len(p.Evidence) == 0 {
		return refuse("Administrative Penalty Law Art. 40, 54", "no_evidence",
			"the case file holds no evidence; 违法事实不清、证据不足的，不得给予行政处罚 — add evidence before the prior notice")
	}
	r, err := computeCaseFile(st.CaseFile, "case_file")
	if err != nil {
		return err
	}
	p.Notice = &ProcedureNotice{IssuedOn: day, Penalty: r, HearingRight: r.HearingNotice}
	payload["total_fine"], payload["total_confiscation"], payload["hearing_right"] = r.TotalFine, r.TotalConfiscation, r.HearingNotice
	return notBefore(day, p.FiledOn, "the filing")
}

func checkService(st ProcedureStep, day, after Date, what string) (*Service, error) {
	if _, ok := ServiceMethods[st.Method]; !ok {
		return nil, Invalid("method", "invalid_service_method", "method: %q; want direct, mail, electronic, left or announcement", st.Method)
	}
	if err := requireText("receipt", st.Receipt, "name who received it and the proof (送达回证: signature, tracking number, delivery record)"); err != nil {
		return nil, err
	}
	if err := notBefore(day, after, what); err != nil {
		return nil, err
	}
	return &Service{Method: st.Method, ServedOn: day, Receipt: strings.TrimSpace(st.Receipt)}, nil
}

func (p *Procedure) serveNotice(cal *Calendar, st ProcedureStep, day Date, payload map[string]any) error {
	s, err := checkService(st, day, p.Notice.IssuedOn, "the notice's issue")
	if err != nil {
		return err
	}
	end, pending, err := workdaysAfter(cal, day, WindowWorkdays)
	if err != nil {
		return err
	}
	p.NoticeService = s
	p.Window = &ProcedureWindow{Start: Date{day.Start().AddDate(0, 0, 1)}, Workdays: WindowWorkdays, End: end, EndPending: pending,
		Basis: "Administrative Penalty Law Art. 44, 45 (陈述、申辩), Art. 64(1) (告知后五日内提出听证), Art. 85 (五日指工作日，不含法定节假日；期间开始之日不计算在内)"}
	payload["service"], payload["window"] = s, p.Window
	return nil
}

func (p *Procedure) requestHearing(cal *Calendar, day Date) error {
	if !p.Notice.HearingRight {
		return refuse("Shaanxi Art. 77; Administrative Penalty Law Art. 63", "no_hearing_right",
			"the proposed penalty (fine %s, confiscation %s yuan) does not reach the hearing threshold", p.Notice.Penalty.TotalFine, p.Notice.Penalty.TotalConfiscation)
	}
	if p.Waived {
		return refuse("Administrative Penalty Law Art. 64(1)", "rights_waived", "the party waived its rights to statement and hearing")
	}
	if closed, _ := p.windowClosed(cal, day); closed {
		return refuse("Administrative Penalty Law Art. 64(1), 85", "hearing_request_late",
			"a hearing must be asked for within %d working days of service (%s to %s); asked on %s", p.Window.Workdays, p.Window.Start, p.Window.End, day)
	}
	p.Hearing = &Hearing{RequestedOn: day}
	return nil
}

func (p *Procedure) scheduleHearing(cal *Calendar, st ProcedureStep, day Date, payload map[string]any) error {
	if st.HearingDate.IsZero() {
		return Invalid("hearing_date", "missing", "hearing_date: missing; the day of the hearing")
	}
	if err := requireText("place", st.Place, "the hearing's place (地点)"); err != nil {
		return err
	}
	earliest, err := cal.AddWorkdays(day.Start(), HearingNoticeWorkdays)
	if err != nil {
		return err
	}
	if st.HearingDate.Start().Before(chinaDay(earliest).Start()) {
		return refuse("Administrative Penalty Law Art. 64(2), 85", "hearing_notice_too_short",
			"the party must be told seven working days before the hearing: told on %s, the hearing may be on %s at the earliest, not %s", day, chinaDay(earliest), st.HearingDate)
	}
	p.Hearing.NotifiedOn, p.Hearing.Date, p.Hearing.Place = day, st.HearingDate, strings.TrimSpace(st.Place)
	payload["hearing_date"], payload["place"] = st.HearingDate.String(), p.Hearing.Place
	return nil
}

func (p *Procedure) holdHearing(st ProcedureStep, day Date, payload map[string]any) error {
	if err := requireText("text", st.Text, "summarize the hearing record (听证笔录, Administrative Penalty Law Art. 64(8))"); err != nil {
		return err
	}
	if day.Start().Before(p.Hearing.Date.Start()) {
		return refuse("Administrative Penalty Law Art. 64(2)", "hearing_before_scheduled_date", "the hearing was scheduled for %s; it cannot be held on %s", p.Hearing.Date, day)
	}
	p.Hearing.HeldOn, p.Hearing.Record, p.Hearing.RecordSHA256 = day, strings.TrimSpace(st.Text), strings.ToLower(st.SHA256)
	payload["record"], payload["record_sha256"] = p.Hearing.Record, p.Hearing.RecordSHA256
	return nil
}
