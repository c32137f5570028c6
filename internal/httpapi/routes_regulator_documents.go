package httpapi

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/notice"
	"github.com/shujiao/shujiao/market"
)

// caseDocument serves a case's document as a printable HTML page:
// correction (责令改正通知书, once a correction was ordered),
// penalty-notice (行政处罚告知书) and penalty-decision (行政处罚决定书),
// once a penalty was computed.
func (s *Server) caseDocument(c *gin.Context) {
	id, err := pathID(c, "case")
	if err != nil {
		s.fail(c, err)
		return
	}
	kind, err := notice.ParseKind(c.Param("kind"))
	if err != nil {
		s.fail(c, market.Errorf(market.ErrNotFound, "unknown_document_kind", "%s", err.Error()))
		return
	}
	ctx := c.Request.Context()
	cs, err := s.cases().Get(ctx, actor(c), id, s.svc.Cases.now())
	if err != nil {
		s.fail(c, err)
		return
	}
	doc, err := s.caseNotice(ctx, cs, kind)
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

// caseNotice fills a document from the case: the bureau and the party
// concerned as registered, the facts from the flags, and the correction
// order or the latest penalty.
func (s *Server) caseNotice(ctx context.Context, cs *market.Case, kind notice.Kind) (notice.Document, error) {
	accounts := s.svc.Stores.Parties
	authority, err := accounts.Party(ctx, cs.AuthorityPartyID)
	if err != nil {
		return notice.Document{}, fmt.Errorf("case %s authority: %w", cs.ID, err)
	}
	party, err := accounts.Party(ctx, cs.PartyID)
	if err != nil {
		return notice.Document{}, fmt.Errorf("case %s party: %w", cs.ID, err)
	}
	// The facts are written in Chinese by notice from the penalty's
	// violations, never from the detectors' English summaries.
	doc := notice.Document{
		Authority: authority.Name,
		CaseID:    cs.ID.String(),
		Party:     notice.Party{Name: party.Name, Kind: party.Kind, CreditCode: party.CreditCode},
	}
	short := strings.ToUpper(cs.ID.String()[len(cs.ID.String())-6:])
	switch kind {
	case notice.KindCorrection:
		o := cs.Correction
		if o == nil {
			return doc, market.Errorf(market.ErrConflict, "no_correction_order", "case %s has no correction order; decide order_correction first", cs.ID)
		}
		doc.Issued = o.IssuedAt.In(market.ChinaTime)
		doc.Number = fmt.Sprintf("责改〔%d〕%s号", doc.Issued.Year(), short)
		doc.Correction = &notice.Correction{Breaches: o.Breaches, Workdays: o.Workdays, Deadline: o.DeadlineTime(), Requirement: o.Requirement}
	default:
		p := cs.Penalty
		if p == nil {
			return doc, market.Errorf(market.ErrConflict, "no_penalty", "case %s has no penalty computed; POST /v1/regulator/cases/%s/penalty first", cs.ID, cs.ID)
		}
		doc.Issued = p.ComputedAt.In(market.ChinaTime)
		prefix := "罚告"
		if kind == notice.KindPenaltyDecision {
			prefix = "罚决"
		}
		doc.Number = fmt.Sprintf("%s〔%d〕%s号", prefix, doc.Issued.Year(), short)
		res := p.Result
		doc.Penalty = &res
	}
	return doc, nil
}
