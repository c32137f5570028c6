package market

import (
	"time"

	"github.com/google/uuid"
)

// ProcedureState is where a case stands in the procedure of the
// Administrative Penalty Law (行政处罚法, 2021; "APL" below).
type ProcedureState string

// The states, in the order a case passes them. The hearing states are
// passed only when the party asks for a hearing; contested only when it
// applies for review or sues.
const (
	ProcFiled            ProcedureState = "filed"             // 立案 (APL Art. 54)
	ProcInvestigating    ProcedureState = "investigating"     // 调查取证 (APL Art. 54, 55)
	ProcNotified         ProcedureState = "notified"          // 行政处罚告知书 issued (APL Art. 44)
	ProcNoticeServed     ProcedureState = "notice_served"     // served; the statement and hearing window runs (APL Art. 45, 64, 85)
	ProcHearingRequested ProcedureState = "hearing_requested" // 听证申请 (APL Art. 64(1))
	ProcHearingScheduled ProcedureState = "hearing_scheduled" // the party told of time and place (APL Art. 64(2))
	ProcHeard            ProcedureState = "heard"             // 听证笔录 signed (APL Art. 64(8), 65)
	ProcDecided          ProcedureState = "decided"           // 行政处罚决定书 (APL Art. 57, 59)
	ProcDecisionServed   ProcedureState = "decision_served"   // served (APL Art. 61); payment and remedies run
	ProcPaid             ProcedureState = "paid"              // fine and confiscation paid (APL Art. 67, 72)
	ProcContested        ProcedureState = "contested"         // review applied for or suit filed (APL Art. 73)
	ProcClosed           ProcedureState = "closed"            // 结案
)

// ProcedureStates returns every state in procedure order.
func ProcedureStates() []ProcedureState {
	return []ProcedureState{ProcFiled, ProcInvestigating, ProcNotified, ProcNoticeServed, ProcHearingRequested,
		ProcHearingScheduled, ProcHeard, ProcDecided, ProcDecisionServed, ProcPaid, ProcContested, ProcClosed}
}

// Chinese names the state as a case file does.
func (s ProcedureState) Chinese() string {
	switch s {
	case ProcFiled:
		return "已立案"
	case ProcInvestigating:
		return "调查取证"
	case ProcNotified:
		return "已作出行政处罚告知"
	case ProcNoticeServed:
		return "告知书已送达，陈述申辩期"
	case ProcHearingRequested:
		return "已申请听证"
	case ProcHearingScheduled:
		return "已通知听证"
	case ProcHeard:
		return "听证已举行"
	case ProcDecided:
		return "已作出决定"
	case ProcDecisionServed:
		return "决定书已送达"
	case ProcPaid:
		return "已缴纳"
	case ProcContested:
		return "复议或诉讼中"
	case ProcClosed:
		return "已结案"
	}
	return string(s)
}

// EvidenceKind is what an evidence item is.
type EvidenceKind string

// The evidence kinds (APL Art. 46). Each but a document refers to the
// ledger entry that records it, whose inclusion proof the ledger gives.
const (
	EvidenceTrade           EvidenceKind = "trade"            // an order or quote event
	EvidenceFlag            EvidenceKind = "flag"             // a gate's or detector's flag
	EvidenceListingDecision EvidenceKind = "listing_decision" // an Art. 36 gate decision on a listing
	EvidenceDocument        EvidenceKind = "document"         // a record of inquiry, inspection report… by its SHA-256
)

// EvidenceItem is one item of evidence in the case file (证据).
type EvidenceItem struct {
	ID   uuid.UUID    `json:"id"`
	Kind EvidenceKind `json:"kind"`
	// Description says in Chinese what it proves; the documents list it.
	Description string `json:"description"`
	// SourceEntryID is the ledger entry the item refers to (trade, flag,
	// listing decision); nil for a document.
	SourceEntryID *uuid.UUID `json:"source_entry_id,omitempty"`
	// SourceKind is that entry's kind, e.g. "order.paid".
	SourceKind string `json:"source_kind,omitempty"`
	// SHA256 identifies a document.
	SHA256 string `json:"sha256,omitempty"`
	// LedgerEntryID is the "case.evidence_added" entry recording the item;
	// GET /v1/ledger/entries/{id}/proof proves it.
	LedgerEntryID uuid.UUID `json:"ledger_entry_id"`
	AddedAt       time.Time `json:"added_at"`
}

// Service is the service of a document on the party (送达).
type Service struct {
	// Method is direct (直接送达), mail (邮寄送达), electronic (电子送达,
	// with the party's consent, APL Art. 61(2)), left (留置送达) or
	// announcement (公告送达).
	Method   string `json:"method"`
	ServedOn Date   `json:"served_on"`
	// Receipt names who received it and how it is proven (送达回证: the
	// signature, the postal tracking number, the system's delivery record).
	Receipt string `json:"receipt"`
}

// ServiceMethods are the methods of service and their Chinese names.
var ServiceMethods = map[string]string{
	"direct": "直接送达", "mail": "邮寄送达", "electronic": "电子送达", "left": "留置送达", "announcement": "公告送达",
}

// ProcedureWindow is the time the party has to state and defend itself
// and to ask for a hearing after the prior notice is served.
type ProcedureWindow struct {
	// Start is the first day counted: the day after service (APL Art. 85:
	// 期间开始的日，不计算在内).
	Start Date `json:"start"`
	// Workdays is 5: APL Art. 64(1) 五日, which APL Art. 85 counts in
	// working days (不含法定节假日).
	Workdays int `json:"workdays"`
	// End is the last day of the window, on the working-day calendar;
	// zero while pending (EndPending says why: the count reaches a year
	// the calendar does not cover). Until it is known the window is open.
	End        Date   `json:"end,omitzero"`
	EndPending string `json:"end_pending,omitempty"`
	Basis      string `json:"basis"`
}

// Statement is the party's statement and defence (陈述、申辩), APL Art. 45.
type Statement struct {
	Text       string    `json:"text"`
	RecordedBy UserID    `json:"recorded_by"`
	At         time.Time `json:"at"`
}

// Hearing is a hearing the party asked for (APL Art. 64).
type Hearing struct {
	RequestedOn Date `json:"requested_on"`
	// NotifiedOn is when the party was told of Date and Place; Date is at
	// least seven working days later (APL Art. 64(2), Art. 85).
	NotifiedOn Date   `json:"notified_on,omitzero"`
	Date       Date   `json:"date,omitzero"`
	Place      string `json:"place,omitempty"`
	// Record summarizes the hearing record (听证笔录), RecordSHA256 names
	// the signed record itself (APL Art. 64(8)).
	Record       string `json:"record,omitempty"`
	RecordSHA256 string `json:"record_sha256,omitempty"`
	HeldOn       Date   `json:"held_on,omitzero"`
}

// ProcedureNotice is the prior notice (行政处罚告知书, APL Art. 44): the
// penalty proposed and the party's rights.
type ProcedureNotice struct {
	IssuedOn Date          `json:"issued_on"`
	Penalty  PenaltyResult `json:"penalty"`
	// HearingRight: the party may ask for a hearing (Shaanxi Art. 77,
	// APL Art. 63).
	HearingRight bool `json:"hearing_right"`
}

// ProcedureDecision is the decision (行政处罚决定书, APL Art. 57, 59).
type ProcedureDecision struct {
	DecidedOn Date          `json:"decided_on"`
	Penalty   PenaltyResult `json:"penalty"`
	// Reasons answer the party's statement and the hearing (APL Art. 45).
	Reasons string `json:"reasons"`
	// Due is what the party must pay: total fine plus confiscation.
	Due Money `json:"due"`
}

// Payment records the party's payment (APL Art. 67, 72).
type Payment struct {
	PaidOn Date `json:"paid_on"`
	// Channel is the designated bank or the electronic payment system.
	Channel string `json:"channel"`
	Receipt string `json:"receipt"`
	// Amount = due + surcharge; Surcharge is 3 % of the fine a day after
	// PaymentDue, at most the fine (APL Art. 72(1)).
	Amount    Money `json:"amount"`
	Surcharge Money `json:"surcharge"`
	DaysLate  int   `json:"days_late"`
}

// Challenge is an application for administrative review (行政复议) or a
// suit in the people's court (行政诉讼) against the decision.
type Challenge struct {
	Kind    string `json:"kind"` // "review" or "lawsuit"
	FiledOn Date   `json:"filed_on"`
	Body    string `json:"body"` // the review body or the court
	// Outcome, once concluded: "upheld", "changed" or "revoked".
	Outcome     string `json:"outcome,omitempty"`
	ConcludedOn Date   `json:"concluded_on,omitzero"`
}

// ProcedureEvent is one transition, as stored and appended to the ledger.
type ProcedureEvent struct {
	Seq           int             `json:"seq"`
	Action        ProcedureAction `json:"action"`
	From          ProcedureState  `json:"from"`
	To            ProcedureState  `json:"to"`
	By            UserID          `json:"by"`
	At            time.Time       `json:"at"`
	Summary       string          `json:"summary"`
	LedgerEntryID uuid.UUID       `json:"ledger_entry_id"`
}

// Procedure is a case as a procedure: its state, the dates and records of
// each step, and the transitions taken.
type Procedure struct {
	CaseID  uuid.UUID      `json:"case_id"`
	PartyID PartyID        `json:"party_id"`
	State   ProcedureState `json:"state"`
	FiledOn Date           `json:"filed_on"`
	// DecideBy is 90 days after filing (APL Art. 60: 自立案之日起九十日内作出
	// 行政处罚决定), extended only with approval; shown, not enforced.
	DecideBy      Date             `json:"decide_by,omitzero"`
	Evidence      []EvidenceItem   `json:"evidence"`
	Notice        *ProcedureNotice `json:"notice,omitempty"`
	NoticeService *Service         `json:"notice_service,omitempty"`
	Window        *ProcedureWindow `json:"window,omitempty"`
	Statements    []Statement      `json:"statements"`
	// Waived: the party waived statement and hearing (放弃陈述申辩和听证).
	Waived   bool               `json:"waived"`
	Hearing  *Hearing           `json:"hearing,omitempty"`
	Decision *ProcedureDecision `json:"decision,omitempty"`
	// ServeBy is seven working days after the decision (APL Art. 61: 七日
	// 内依照民事诉讼法的有关规定送达); shown, not enforced. Zero while
	// pending (ServeByPending says why).
	ServeBy         Date     `json:"serve_by,omitzero"`
	ServeByPending  string   `json:"serve_by_pending,omitempty"`
	DecisionService *Service `json:"decision_service,omitempty"`
	// PaymentDue is 15 days after the decision's service (APL Art. 67(3));
	// ReviewBy 60 days (行政复议法 Art. 20), SueBy six months (行政诉讼法
	// Art. 46). PeriodsPending says when some of them lie in a year the
	// calendar does not cover: they are then the earliest they can be (a
	// last day on a rest day moves to the next working day).
	PeriodsPending string           `json:"periods_pending,omitempty"`
	PaymentDue     Date             `json:"payment_due,omitzero"`
	ReviewBy       Date             `json:"review_by,omitzero"`
	SueBy          Date             `json:"sue_by,omitzero"`
	Payment        *Payment         `json:"payment,omitempty"`
	Challenge      *Challenge       `json:"challenge,omitempty"`
	ClosedOn       Date             `json:"closed_on,omitzero"`
	Events         []ProcedureEvent `json:"events"`
}
