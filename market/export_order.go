package market

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// ExportLedger is what storage knows for classifying one order under
// Shaanxi Art. 72: the export rules of the current rule set, whether the
// buyer's controlling party is overseas, the individuals whose personal
// (and sensitive personal) information the seller exported since the
// start of the year, and the seller's registered filings.
type ExportLedger struct {
	Rules                   *ExportRules
	BuyerControllerOverseas bool
	PriorPersonal           int64
	PriorSensitive          int64
	Filings                 []ExportFiling
}

// ExportRecord is the export class an order was placed in, kept so the
// seller's cumulative counts include it.
type ExportRecord struct {
	OrderID           uuid.UUID
	SellerID          PartyID
	BuyerID           PartyID
	Decision          ExportDecision
	PersonalSubjects  int64
	SensitiveSubjects int64
	At                time.Time
}

// ExportTx is the part of an order transaction that classifies exports.
type ExportTx interface {
	// ExportLedger returns the facts of seller's exports since since and of
	// buyer, holding seller's export lock until the transaction ends (two
	// exports of one seller never count past a threshold together).
	ExportLedger(ctx context.Context, seller, buyer PartyID, since time.Time) (ExportLedger, error)
	// BuyerControllerOverseas reports whether buyer's controlling party is
	// overseas (no lock: an order that is no export reads only this).
	BuyerControllerOverseas(ctx context.Context, buyer PartyID) (bool, error)
	// RecordExport stores r with the order (same transaction).
	RecordExport(ctx context.Context, r ExportRecord) error
}

// classifyExport classifies order o of listing l under Shaanxi Art. 72 at
// now (export_class.go), with the onward transfer and the exemption the
// buyer declared in req, checks the seller's filing when the class needs
// one, and records the class with the order. It returns the decision, an
// ErrInvalid *Error for a declared exemption or justification the rule set
// does not know, and an ErrRefused *Error when the seller has no filing
// covering the export.
//
// An order that is no export (a mainland buyer without an overseas
// controlling party, no onward transfer, a listing not marked for export)
// and declares no exemption adds nothing to the seller's cumulative counts
// and reads none of them, so it is classified without the seller's export
// lock or the rule set: the lock serializes only the seller's exports, not
// every order of the seller. A declared exemption is always checked
// against the rule set's words, export or not.
func classifyExport(ctx context.Context, tx OrderTx, actor Actor, l *ListingRecord, o *Order, req OrderRequest, now time.Time) (*ExportDecision, error) {
	decl := l.Declaration
	if req.ExportExemption == nil {
		ctrl, err := tx.BuyerControllerOverseas(ctx, actor.PartyID)
		if err != nil {
			return nil, err
		}
		domestic := ExportFacts{BuyerOverseas: actor.Overseas(), BuyerControllerOverseas: ctrl, OnwardTransfer: req.OnwardTransferAbroad,
			ExportIntended: decl.ExportIntended}
		if domestic.exportWhy() == "" {
			d := ClassifyExport(domestic, nil)
			return &d, nil
		}
	}
	led, err := tx.ExportLedger(ctx, l.PartyID, actor.PartyID, YearStart(now))
	if err != nil {
		return nil, err
	}
	rules := led.Rules
	if rules == nil {
		rules = ExportRulesOf(nil)
	}
	declared, err := ResolveExemptionClaim(rules, req.ExportExemption)
	if err != nil {
		return nil, err
	}
	personal := decl.ContainsPersonalInfo || decl.ContainsMinorsData
	f := ExportFacts{BuyerOverseas: actor.Overseas(), BuyerControllerOverseas: led.BuyerControllerOverseas, OnwardTransfer: req.OnwardTransferAbroad,
		ExportIntended: decl.ExportIntended, Classification: decl.Classification,
		PersonalInfo: personal, SensitiveInfo: decl.ContainsSensitivePersonalInfo,
		PersonalSubjects: decl.PersonalInfoSubjects, SensitiveSubjects: decl.SensitivePersonalInfoSubjects,
		PriorPersonal: led.PriorPersonal, PriorSensitive: led.PriorSensitive, Declared: declared}
	d := ClassifyExport(f, rules)
	if d.Class == ExportNone {
		return &d, nil
	}
	filing, err := CheckFiling(d, led.Filings, l.PartyID, l.ID, now)
	if err != nil {
		return &d, err
	}
	d.Filing = filing
	rec := ExportRecord{OrderID: o.ID, SellerID: l.PartyID, BuyerID: actor.PartyID, Decision: d, At: now}
	switch {
	case d.Justification != nil:
		// exempt under 2024 Provisions Art. 5(1)–(3): not counted towards
		// the thresholds of Art. 7(2) and 8(2)
	case f.PersonalInfo || f.SensitiveInfo:
		rec.PersonalSubjects = f.PersonalSubjects
	}
	if f.SensitiveInfo && d.Justification == nil {
		rec.SensitiveSubjects = f.SensitiveSubjects
	}
	if err := tx.RecordExport(ctx, rec); err != nil {
		return &d, err
	}
	return &d, nil
}
