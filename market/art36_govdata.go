package market

import (
	"fmt"
	"time"
)

// Rule ids of the Art. 36 gate that check a government source against this
// platform's own government data catalog (market/govdata).
const (
	RuleGovernmentApprovalUnknown  = "government-approval-not-in-catalog"
	RuleGovernmentApprovalHolder   = "government-approval-other-holder"
	RuleGovernmentApprovalExpired  = "government-approval-not-in-force"
	RuleGovernmentApprovalNoResale = "government-approval-without-resale"
)

// GovApproval is what the catalog records of an approval a listing cites:
// its kind ("sharing" or "opening"), the resource's catalog code, the
// holder, the validity and whether it permits resale.
type GovApproval struct {
	Kind         string
	ResourceCode string
	HolderID     PartyID
	ValidFrom    Date
	ValidTo      Date
	Resale       bool
}

// GovRecords is what this platform's government data catalog says of the
// government sources of one listing, looked up by storage before the gate
// runs: the open class of each catalog code it knows, and the approvals it
// knows by ID. With GovRecords the gate checks approvals against the
// catalog instead of the seller's word; without (offline, or a catalog
// entry of another platform) it judges the declaration.
type GovRecords struct {
	Seller    PartyID
	OpenClass map[string]OpenClass
	Approvals map[string]GovApproval
}

// catalogued applies Art. 36(2) to government source i using the catalog
// records, and reports whether it did (the catalog knows the entry or the
// approval the source cites). Data obtained by sharing is never traded
// (Tianjin Art. 18); conditionally opened data only under an approval of
// this catalog held by the seller, in force and permitting resale.
func (g *gateRun) catalogued(i int, gv *Government) bool {
	rec := g.l.GovRecords
	if rec == nil || gv == nil {
		return false
	}
	class, known := rec.OpenClass[gv.CatalogID]
	var ap *GovApproval
	if gv.ApprovalRef != nil {
		if a, ok := rec.Approvals[*gv.ApprovalRef]; ok {
			ap = &a
		}
	}
	if !known && ap == nil {
		return false
	}
	if ap != nil && ap.Kind == "sharing" || gv.SharedForDuty {
		g.add(EffectBlock, RuleGovernmentSharedForDuty, ArticleTianjin18, i,
			fmt.Sprintf("source %d was obtained through inter-departmental sharing for duties and may never go to third parties (%s)", i, ArticleMunicipal23))
		return true
	}
	if !known {
		class = OpenConditional // an approval of this catalog names a resource it holds
	}
	switch class {
	case OpenNone:
		g.add(EffectBlock, RuleGovernmentNotOpen, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: government catalogue entry %q is not open (open_class none in the catalog)", i, gv.CatalogID))
	case OpenConditional:
		g.catalogApproval(i, gv, ap)
	}
	return true
}

// catalogApproval checks the approval of conditionally opened data.
func (g *gateRun) catalogApproval(i int, gv *Government, ap *GovApproval) {
	switch {
	case ap == nil:
		ref := ""
		if gv.ApprovalRef != nil {
			ref = *gv.ApprovalRef
		}
		g.add(EffectBlock, RuleGovernmentApprovalUnknown, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: catalogue entry %q is open only on conditions and the catalog holds no approval %q", i, gv.CatalogID, ref))
	case ap.HolderID != g.l.GovRecords.Seller:
		g.add(EffectBlock, RuleGovernmentApprovalHolder, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: the approval was granted to another party, not the seller", i))
	case ap.ResourceCode != gv.CatalogID && gv.CatalogID != "":
		g.add(EffectBlock, RuleGovernmentApprovalUnknown, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: the approval is for catalogue entry %q, not %q", i, ap.ResourceCode, gv.CatalogID))
	case !approvalInForce(ap, g.at):
		g.add(EffectBlock, RuleGovernmentApprovalExpired, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: the approval is valid %s to %s, not at %s", i, ap.ValidFrom, ap.ValidTo, g.at.In(chinaTime).Format(time.DateOnly)))
	case !ap.Resale:
		g.add(EffectBlock, RuleGovernmentApprovalNoResale, ArticleShaanxi36_2, i,
			fmt.Sprintf("source %d: the approval of catalogue entry %q does not permit resale; data opened on conditions is used only as approved (%s)", i, gv.CatalogID, ArticleTianjin18))
	}
}

func approvalInForce(ap *GovApproval, at time.Time) bool {
	return !at.Before(ap.ValidFrom.Start()) && at.Before(ap.ValidTo.End())
}
