package market

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// surchargeRate is APL Art. 72(1)(1): 到期不缴纳罚款的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不得超出罚款的数额.
var surchargeRate = decimal.RequireFromString("0.03")

// Surcharge returns the late-payment surcharge on fine paid daysLate days
// after the due day: 3 % of the fine a day, never more than the fine
// (APL Art. 72(1)). Confiscated gains bear no surcharge.
func Surcharge(fine Money, daysLate int) Money {
	if daysLate <= 0 || !fine.Decimal().IsPositive() {
		return Money{}
	}
	s := fine.Mul(surchargeRate.Mul(decimal.NewFromInt(int64(daysLate)))).Round()
	if s.Cmp(fine) > 0 {
		return fine
	}
	return s
}

func (p *Procedure) decide(cal *Calendar, st ProcedureStep, day Date, payload map[string]any) error {
	if p.State == ProcNoticeServed && !p.Waived {
		closed, known := p.windowClosed(cal, day)
		if !known {
			return gapError(fmt.Sprintf("whether the statement window (%d working days from %s) has ended", p.Window.Workdays, p.Window.Start), p.Window.EndPending)
		}
		if !closed {
			until := p.Window.End.String()
			if p.Window.End.IsZero() {
				until = "a day in " + fmt.Sprint(cal.FirstGap(p.Window.Start.Start()).Year()) + " or later, not known yet"
			}
			return refuse("Administrative Penalty Law Art. 62, 45, 64(1)", "statement_window_open",
				"the party may state, defend and ask for a hearing until %s (%d working days from %s); decide after that day, or once it waives", until, p.Window.Workdays, p.Window.Start)
		}
	}
	if err := requireText("text", st.Text, "give the reasons of the decision, answering the party's statement and the hearing (Administrative Penalty Law Art. 45, 59)"); err != nil {
		return err
	}
	r, err := computeCaseFile(st.CaseFile, "case_file")
	if err != nil {
		return err
	}
	n := p.Notice.Penalty
	if r.TotalFine.Cmp(n.TotalFine) > 0 || r.TotalConfiscation.Cmp(n.TotalConfiscation) > 0 {
		return refuse("Administrative Penalty Law Art. 45(2)", "heavier_than_notice",
			"the decision (fine %s, confiscation %s yuan) is heavier than the notice (fine %s, confiscation %s yuan); 不得因当事人陈述、申辩而给予更重的处罚 — a heavier penalty needs a new prior notice",
			r.TotalFine, r.TotalConfiscation, n.TotalFine, n.TotalConfiscation)
	}
	if err := notBefore(day, p.Notice.IssuedOn, "the notice"); err != nil {
		return err
	}
	p.Decision = &ProcedureDecision{DecidedOn: day, Penalty: r, Reasons: strings.TrimSpace(st.Text), Due: r.TotalFine.Add(r.TotalConfiscation)}
	payload["total_fine"], payload["total_confiscation"], payload["reasons"] = r.TotalFine, r.TotalConfiscation, p.Decision.Reasons
	return nil
}

// lastDayOfPeriod moves a period's last day off a rest day: 期间届满的最后
// 一日是法定休假日的，以法定休假日后的第一日为期间届满的日期 (民事诉讼法 Art.
// 85, applied to administrative periods by 行政诉讼法 Art. 83 and 行政复议法
// Art. 88).
func lastDayOfPeriod(cal *Calendar, d time.Time) (Date, error) {
	for {
		ok, err := cal.IsWorkday(d)
		if err != nil {
			return Date{}, err
		}
		if ok {
			return chinaDay(d), nil
		}
		d = d.AddDate(0, 0, 1)
	}
}

func (p *Procedure) serveDecision(cal *Calendar, st ProcedureStep, day Date, payload map[string]any) error {
	s, err := checkService(st, day, p.Decision.DecidedOn, "the decision")
	if err != nil {
		return err
	}
	p.DecisionService = s
	if err := p.setPeriods(cal, day); err != nil {
		return err
	}
	payload["service"], payload["payment_due"], payload["review_by"], payload["sue_by"] = s, p.PaymentDue.String(), p.ReviewBy.String(), p.SueBy.String()
	if p.PeriodsPending != "" {
		payload["periods_pending"] = true
	}
	return nil
}

func (p *Procedure) pay(cal *Calendar, st ProcedureStep, day Date, payload map[string]any) error {
	if p.Decision.Due.IsZero() {
		return refuse("Administrative Penalty Law Art. 67", "nothing_to_pay", "the decision imposes no fine and confiscates nothing; close the case instead")
	}
	if err := requireText("channel", st.Channel, "the designated bank or the electronic payment system (Administrative Penalty Law Art. 67(3))"); err != nil {
		return err
	}
	if err := requireText("receipt", st.Receipt, "the bank's or system's receipt number"); err != nil {
		return err
	}
	if st.Amount == nil {
		return Invalid("amount", "missing", "amount: missing; the amount paid")
	}
	if p.uncertain(cal, p.PaymentDue) && day.Start().After(p.PaymentDue.Start()) {
		// paid after the earliest the due day can be, which may still
		// move past a rest day: the surcharge is not known
		return gapError(fmt.Sprintf("the payment due date (%s at the earliest), and so the surcharge for paying on %s,", p.PaymentDue, day), p.PeriodsPending)
	}
	late := int(day.Start().Sub(p.PaymentDue.Start()).Hours() / 24)
	if late < 0 {
		late = 0
	}
	sur := Surcharge(p.Decision.Penalty.TotalFine, late)
	want := p.Decision.Due.Add(sur)
	if st.Amount.Cmp(want) != 0 {
		return refuse("Administrative Penalty Law Art. 67, 72(1)", "payment_amount_mismatch",
			"%s yuan paid on %s; due %s yuan (fine and confiscation %s + surcharge %s for %d day(s) after %s at 3 %% of the fine a day, at most the fine)",
			*st.Amount, day, want, p.Decision.Due, sur, late, p.PaymentDue)
	}
	p.Payment = &Payment{PaidOn: day, Channel: strings.TrimSpace(st.Channel), Receipt: strings.TrimSpace(st.Receipt), Amount: *st.Amount, Surcharge: sur, DaysLate: late}
	payload["payment"] = p.Payment
	return nil
}

func (p *Procedure) challenge(cal *Calendar, st ProcedureStep, day Date, payload map[string]any) error {
	if err := requireText("body", st.Body, "the review body or the people's court"); err != nil {
		return err
	}
	switch st.Kind {
	case "review":
		// a pending last day may still move later: the party's right is kept
		if day.Start().After(p.ReviewBy.Start()) && !p.mayStillRun(cal, p.ReviewBy, day) {
			return refuse("行政复议法 Art. 20", "review_out_of_time", "review must be applied for within 60 days of service, by %s; applied on %s", p.ReviewBy, day)
		}
	case "lawsuit":
		if day.Start().After(p.SueBy.Start()) && !p.mayStillRun(cal, p.SueBy, day) {
			return refuse("行政诉讼法 Art. 46", "lawsuit_out_of_time", "suit must be filed within six months of service, by %s; filed on %s", p.SueBy, day)
		}
	default:
		return Invalid("kind", "invalid_challenge_kind", "kind: %q; want review or lawsuit", st.Kind)
	}
	p.Challenge = &Challenge{Kind: st.Kind, FiledOn: day, Body: strings.TrimSpace(st.Body)}
	payload["challenge"] = p.Challenge
	return nil
}

func (p *Procedure) close(st ProcedureStep, day Date, payload map[string]any) error {
	owes := !p.Decision.Due.IsZero() && p.Payment == nil
	switch p.State {
	case ProcPaid:
		if p.Challenge != nil {
			switch st.Outcome {
			case "upheld", "changed", "revoked":
				p.Challenge.Outcome, p.Challenge.ConcludedOn = st.Outcome, day
				payload["outcome"] = st.Outcome
			default:
				return Invalid("outcome", "missing", "outcome: %q; the review or suit must be concluded (upheld, changed or revoked) before the case closes", st.Outcome)
			}
		}
	case ProcDecisionServed:
		if owes {
			return refuse("Administrative Penalty Law Art. 67, 72", "payment_outstanding", "%s yuan is due by %s and not paid; a case with a penalty closes once it is paid", p.Decision.Due, p.PaymentDue)
		}
	case ProcContested:
		switch st.Outcome {
		case "revoked":
		case "upheld", "changed":
			if owes {
				return refuse("Administrative Penalty Law Art. 73", "payment_outstanding", "review or suit does not stay the penalty, and the decision was %s: record the payment first", st.Outcome)
			}
		default:
			return Invalid("outcome", "missing", "outcome: %q; a contested case closes with the outcome upheld, changed or revoked", st.Outcome)
		}
		p.Challenge.Outcome, p.Challenge.ConcludedOn = st.Outcome, day
		payload["outcome"] = st.Outcome
	}
	p.ClosedOn = day
	return nil
}
