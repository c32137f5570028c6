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
	KindPenaltyDecision Kind = "penalty-decision" // 行政处罚决定书
)

// Kinds returns every document kind, in the order a case produces them.
func Kinds() []Kind { return []Kind{KindCorrection, KindPenaltyNotice, KindPenaltyDecision} }

// Title returns the document's Chinese title, e.g. "责令改正通知书".
func (k Kind) Title() string {
	switch k {
	case KindCorrection:
		return "责令改正通知书"
	case KindPenaltyNotice:
		return "行政处罚告知书"
	case KindPenaltyDecision:
		return "行政处罚决定书"
	}
	return ""
}

// ParseKind returns the Kind named s ("correction", "penalty-notice",
// "penalty-decision"). It returns an ErrInvalid *market.Error otherwise.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds() {
		if string(k) == s {
			return k, nil
		}
	}
	return "", market.Invalid("kind", "unknown_document_kind", "kind: %q is not a document; want correction, penalty-notice or penalty-decision", s)
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
	Facts     string    // 违法事实 as found
	// Correction is required for KindCorrection.
	Correction *Correction
	// Penalty is required for KindPenaltyNotice and KindPenaltyDecision.
	Penalty *market.PenaltyResult
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
		case d.Correction.Deadline.IsZero() || d.Correction.Workdays <= 0:
			return market.Invalid("correction.deadline", "missing", "correction.deadline: missing; compute it with NewCorrection")
		case len(d.Correction.Breaches) == 0:
			return market.Invalid("correction.breaches", "missing", "correction.breaches: missing; cite shaanxi-36 or shaanxi-37")
		}
		return nil
	}
	if d.Penalty == nil || len(d.Penalty.Violations) == 0 {
		return market.Invalid("penalty", "missing", "penalty: missing; a %s needs the computed penalty", kind.Title())
	}
	return nil
}
