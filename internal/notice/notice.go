package notice

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shujiao/shujiao/market"
)

// Kind names a document a case can produce.
type Kind string

// The documents of a regulator case.
const (
	KindCorrection      Kind = "correction"       // 责令改正通知书
	KindPenaltyNotice   Kind = "penalty-notice"   // 行政处罚告知书
	KindHearingNotice   Kind = "hearing-notice"   // 行政处罚听证告知书
	KindPenaltyDecision Kind = "penalty-decision" // 行政处罚决定书
	KindServiceReceipt  Kind = "service-receipt"  // 送达回证
)

// Kinds returns every document kind, in the order a case produces them.
func Kinds() []Kind {
	return []Kind{KindCorrection, KindPenaltyNotice, KindHearingNotice, KindPenaltyDecision, KindServiceReceipt}
}

// Title returns the document's Chinese title, e.g. "责令改正通知书".
func (k Kind) Title() string {
	switch k {
	case KindCorrection:
		return "责令改正通知书"
	case KindPenaltyNotice:
		return "行政处罚告知书"
	case KindHearingNotice:
		return "行政处罚听证告知书"
	case KindPenaltyDecision:
		return "行政处罚决定书"
	case KindServiceReceipt:
		return "送达回证"
	}
	return ""
}

// ParseKind returns the Kind named s ("correction", "penalty-notice",
// "hearing-notice", "penalty-decision", "service-receipt"). It returns an ErrInvalid *market.Error otherwise.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", market.Invalid("kind", "unknown_document_kind", "kind: %q is not a document; want correction, penalty-notice, hearing-notice, penalty-decision or service-receipt", s)
}

// Party is the party concerned (当事人) as the documents name it.
type Party struct {
	Name string           // 名称或者姓名 (required)
	Kind market.PartyKind // organization (单位) or individual (个人)
	// CreditCode is an organization's unified social credit code (统一社会信用代码), if known.
	CreditCode string
	Address    string // 住所, if known
}

// Correction is the content of a correction order (责令改正).
type Correction struct {
	// Breaches are the articles breached: shaanxi-36 and/or shaanxi-37.
	Breaches []market.PenaltyArticle
	// Workdays is the time allowed, in working days, and Deadline the last
	// day, computed by NewCorrection from the working-day calendar.
	Workdays int
	Deadline time.Time
	// Requirement says what the party must do (改正要求), e.g. delist a product.
	Requirement string
}

// NewCorrection returns a correction order for breaches, due workdays
// working days after issued by cal (Asia/Shanghai dates: pass issued in
// that zone). It returns the calendar's error for a year it does not cover.
func NewCorrection(cal *market.Calendar, issued time.Time, workdays int, requirement string, breaches ...market.PenaltyArticle) (Correction, error) {
	d, err := cal.AddWorkdays(issued, workdays)
	if err != nil {
		return Correction{}, fmt.Errorf("correction deadline: %w", err)
	}
	return Correction{Breaches: breaches, Workdays: workdays, Deadline: d, Requirement: requirement}, nil
}

// Document is what a document says: who issues it to whom, when, the facts
// found, and the correction order or the computed penalty.
type Document struct {
	Authority string    // 行政机关名称 (required)
	Number    string    // 文书编号, e.g. 陕市监罚告〔2026〕12号
	CaseID    string    // the case's id in Shujiao
	Party     Party     // 当事人
	Issued    time.Time // 日期 (required)
	// Facts is 违法事实 as found, in Chinese; empty: written from the
	// penalty's violations (product, trades, amounts, articles).
	Facts string
	// Evidence lists the evidence of the facts (证据), each with its proof.
	Evidence []Evidence
	// Correction is required for KindCorrection.
	Correction *Correction
	// Penalty is required for the notices and the decision.
	Penalty *market.PenaltyResult
	// Window is the statement and hearing window once the notice was
	// served; without it the notices state the period from receipt.
	Window *Window
	// Hearing is the hearing's day and place once scheduled (hearing notice).
	Hearing *Hearing
	// Reasons are the decision's reasons (answering statement and hearing).
	Reasons string
	// ReviewBody (default: the authority's people's government), Court
	// (default: the competent people's court where the authority sits)
	// and PaymentChannel (default: the designated bank or electronic
	// payment system of APL Art. 67) are named in the decision.
	ReviewBody, Court, PaymentChannel string
	// Service is required for KindServiceReceipt: what was served, how.
	Service *Service
}

// Evidence is one item of the evidence list.
type Evidence struct {
	Description string // what it is and proves, in Chinese
	Proof       string // 账本记录编号 or the document's SHA-256
}

// Window is the five working days to state, defend and ask for a hearing,
// from the day after service (APL Art. 64(1), 85).
type Window struct {
	Served, Start, End time.Time
	Workdays           int
}

// Hearing is a scheduled hearing (APL Art. 64(2)).
type Hearing struct {
	Date  time.Time
	Place string
}

// Service is a service recorded for the receipt (送达回证).
type Service struct {
	Document Kind   // the document served
	Number   string // its number
	Method   string // direct, mail, electronic, left, announcement
	ServedOn time.Time
	Receipt  string // who received it and the proof
	Place    string // 送达地点
}

// Render writes document kind for data as a complete printable HTML page.
// It writes nothing when it fails: an ErrInvalid *market.Error naming the
// missing field, or the error of w. Safe for concurrent use.
func Render(w io.Writer, kind Kind, data Document) error {
	if err := check(kind, data); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, string(kind)+".html", newView(kind, data)); err != nil {
		return fmt.Errorf("render %s: %w", kind, err)
	}
	if _, err := buf.WriteTo(w); err != nil {
		return fmt.Errorf("write %s: %w", kind, err)
	}
	return nil
}

func check(kind Kind, d Document) error {
	if _, err := ParseKind(string(kind)); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(d.Authority) == "":
		return market.Invalid("authority", "missing", "authority: missing; name the issuing authority (行政机关)")
	case strings.TrimSpace(d.Party.Name) == "":
		return market.Invalid("party.name", "missing", "party.name: missing; name the party concerned (当事人)")
	case d.Issued.IsZero():
		return market.Invalid("issued", "missing", "issued: missing; give the document's date")
	}
	if kind == KindCorrection {
		switch {
		case d.Correction == nil:
			return market.Invalid("correction", "missing", "correction: missing; a correction order needs its deadline and breaches")
		case d.Correction.Workdays <= 0:
			// the deadline may be pending (zero): the order states its
			// working days, the last day is added once the calendar has it
			return market.Invalid("correction.workdays", "missing", "correction.workdays: missing; the working days the order allows")
		case len(d.Correction.Breaches) == 0:
			return market.Invalid("correction.breaches", "missing", "correction.breaches: missing; cite shaanxi-36 or shaanxi-37")
		}
		return nil
	}
	if kind == KindServiceReceipt {
		switch {
		case d.Service == nil:
			return market.Invalid("service", "missing", "service: missing; a service receipt needs the document served, the method and the day")
		case market.ServiceMethods[d.Service.Method] == "":
			return market.Invalid("service.method", "invalid_service_method", "service.method: %q; want direct, mail, electronic, left or announcement", d.Service.Method)
		case d.Service.ServedOn.IsZero() || d.Service.Document.Title() == "":
			return market.Invalid("service.served_on", "missing", "service: give the day of service and the document served")
		}
		return nil
	}
	if d.Penalty == nil || len(d.Penalty.Violations) == 0 {
		return market.Invalid("penalty", "missing", "penalty: missing; a %s needs the computed penalty", kind.Title())
	}
	if kind == KindHearingNotice && !d.Penalty.HearingNotice {
		return market.Invalid("penalty", "no_hearing_right", "penalty: below the thresholds of Shaanxi Art. 77; there is no hearing right to notify")
	}
	return nil
}
