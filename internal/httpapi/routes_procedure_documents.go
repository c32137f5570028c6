package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/notice"
	"github.com/shujiao/shujiao/market"
)

// procedureDocument serves a document of the procedure as printable HTML:
// penalty-notice, hearing-notice (once the notice was issued),
// penalty-decision (once decided) and service-receipt (?of=penalty-notice
// or penalty-decision, once served), with the evidence, the window, the
// hearing and the decision's reasons from the procedure. Query
// review_body, court and payment_channel name them in the decision.
func (s *Server) procedureDocument(c *gin.Context) {
	id, err := pathID(c, "case")
	if err == nil && (s.svc.Procedures == nil || s.svc.Accounts == nil) {
		err = errNoProcedures
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	kind, err := notice.ParseKind(c.Param("kind"))
	if err != nil || kind == notice.KindCorrection {
		s.fail(c, market.Errorf(market.ErrNotFound, "unknown_document_kind", "kind: %q is not a document of the procedure; want penalty-notice, hearing-notice, penalty-decision or service-receipt", c.Param("kind")))
		return
	}
	ctx := c.Request.Context()
	p, err := s.svc.Procedures.Get(ctx, actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	doc, err := s.procedureNotice(ctx, c, p, kind)
	if err != nil {
		s.fail(c, err)
		return
	}
	var buf bytes.Buffer
	if err := notice.Render(&buf, kind, doc); err != nil {
		s.fail(c, err)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
}

// procedureNotice fills a document from the procedure.
func (s *Server) procedureNotice(ctx context.Context, c *gin.Context, p *market.Procedure, kind notice.Kind) (notice.Document, error) {
	a := actor(c)
	authority, err := s.svc.Accounts.Party(ctx, a, a.PartyID)
	if err != nil {
		return notice.Document{}, fmt.Errorf("authority: %w", err)
	}
	party, err := s.svc.Accounts.Party(ctx, a, p.PartyID)
	if err != nil {
		return notice.Document{}, fmt.Errorf("party: %w", err)
	}
	short := strings.ToUpper(p.CaseID.String()[len(p.CaseID.String())-6:])
	doc := notice.Document{
		Authority: authority.Name, CaseID: p.CaseID.String(),
		Party:      notice.Party{Name: party.Name, Kind: party.Kind, CreditCode: party.CreditCode},
		ReviewBody: c.Query("review_body"), Court: c.Query("court"), PaymentChannel: c.Query("payment_channel"),
	}
	for _, e := range p.Evidence {
		proof := "账本记录 " + e.LedgerEntryID.String()
		if e.SourceEntryID != nil {
			proof = fmt.Sprintf("账本记录 %s（%s），入卷记录 %s", e.SourceEntryID, e.SourceKind, e.LedgerEntryID)
		} else if e.SHA256 != "" {
			proof = "SHA-256 " + e.SHA256 + "，入卷记录 " + e.LedgerEntryID.String()
		}
		doc.Evidence = append(doc.Evidence, notice.Evidence{Description: e.Description, Proof: proof})
	}
	if w := p.Window; w != nil {
		doc.Window = &notice.Window{Served: p.NoticeService.ServedOn.Start(), Start: w.Start.Start(), End: w.End.Start(), Workdays: w.Workdays}
	}
	if h := p.Hearing; h != nil && !h.Date.IsZero() {
		doc.Hearing = &notice.Hearing{Date: h.Date.Start(), Place: h.Place}
	}
	noticeNo, decisionNo := fmt.Sprintf("罚告〔%d〕%s号", p.FiledOn.Start().Year(), short), fmt.Sprintf("罚决〔%d〕%s号", p.FiledOn.Start().Year(), short)
	missing := func(what, step string) error {
		return market.Errorf(market.ErrConflict, "document_not_ready", "case %s has no %s yet; take the step %s first", p.CaseID, what, step)
	}
	switch kind {
	case notice.KindPenaltyNotice, notice.KindHearingNotice:
		if p.Notice == nil {
			return doc, missing("prior notice", "issue_notice")
		}
		doc.Number, doc.Issued, doc.Penalty = noticeNo, p.Notice.IssuedOn.Start(), &p.Notice.Penalty
		if kind == notice.KindHearingNotice {
			doc.Number = fmt.Sprintf("罚听告〔%d〕%s号", p.FiledOn.Start().Year(), short)
		}
	case notice.KindPenaltyDecision:
		if p.Decision == nil {
			return doc, missing("decision", "decide")
		}
		doc.Number, doc.Issued, doc.Penalty, doc.Reasons = decisionNo, p.Decision.DecidedOn.Start(), &p.Decision.Penalty, p.Decision.Reasons
	case notice.KindServiceReceipt:
		var sv *market.Service
		served := notice.KindPenaltyNotice
		switch c.DefaultQuery("of", "penalty-notice") {
		case "penalty-notice":
			sv, doc.Number = p.NoticeService, noticeNo
		case "penalty-decision":
			sv, doc.Number, served = p.DecisionService, decisionNo, notice.KindPenaltyDecision
		default:
			return doc, market.Invalid("of", "invalid_document_kind", "of: %q; want penalty-notice or penalty-decision", c.Query("of"))
		}
		if sv == nil {
			return doc, missing("service of the "+served.Title(), "serve_notice or serve_decision")
		}
		doc.Issued = sv.ServedOn.Start()
		doc.Service = &notice.Service{Document: served, Number: doc.Number, Method: sv.Method, ServedOn: sv.ServedOn.Start(), Receipt: sv.Receipt}
	}
	if doc.Issued.IsZero() {
		doc.Issued = time.Now().In(market.ChinaTime)
	}
	return doc, nil
}
