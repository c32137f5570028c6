package market

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestGate_GovernmentSourcesJudgedByTheCatalog: with the catalog's records
// the gate reads the approval, not the seller's word.
func TestGate_GovernmentSourcesJudgedByTheCatalog(t *testing.T) {
	seller := PartyID(uuid.New())
	at := time.Date(2026, 6, 1, 4, 0, 0, 0, time.UTC)
	rec := &GovRecords{Seller: seller,
		OpenClass: map[string]OpenClass{"TJ-1": OpenConditional, "TJ-0": OpenNone},
		Approvals: map[string]GovApproval{
			"resale":   {Kind: "opening", ResourceCode: "TJ-1", HolderID: seller, ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate("2026-12-31"), Resale: true},
			"noresale": {Kind: "opening", ResourceCode: "TJ-1", HolderID: seller, ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate("2026-12-31")},
			"expired":  {Kind: "opening", ResourceCode: "TJ-1", HolderID: seller, ValidFrom: MustDate("2025-01-01"), ValidTo: MustDate("2026-05-31"), Resale: true},
			"sharing":  {Kind: "sharing", ResourceCode: "TJ-1", HolderID: seller, ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate("2026-12-31")},
			"other":    {Kind: "opening", ResourceCode: "TJ-1", HolderID: PartyID(uuid.New()), ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate("2026-12-31"), Resale: true},
		}}
	ref := func(s string) *string { return &s }
	cases := []struct {
		name     string
		code     string
		declared OpenClass
		ref      *string
		records  *GovRecords
		rule     string
	}{
		{"Shaanxi Art. 36(2): an approval permitting resale, in force, held by the seller passes", "TJ-1", OpenConditional, ref("resale"), rec, ""},
		{"Shaanxi Art. 36(2): an approval without resale blocks", "TJ-1", OpenConditional, ref("noresale"), rec, RuleGovernmentApprovalNoResale},
		{"Shaanxi Art. 36(2): the approval expired the day before blocks", "TJ-1", OpenConditional, ref("expired"), rec, RuleGovernmentApprovalExpired},
		{"Tianjin Art. 18: a sharing approval never lets data be traded", "TJ-1", OpenUnconditional, ref("sharing"), rec, RuleGovernmentSharedForDuty},
		{"Shaanxi Art. 36(2): another party's approval blocks", "TJ-1", OpenConditional, ref("other"), rec, RuleGovernmentApprovalHolder},
		{"Shaanxi Art. 36(2): an approval the catalog lacks blocks", "TJ-1", OpenConditional, ref("forged"), rec, RuleGovernmentApprovalUnknown},
		{"Shaanxi Art. 36(2): the catalog's class none overrides a declared open class", "TJ-0", OpenUnconditional, nil, rec, RuleGovernmentNotOpen},
		{"Shaanxi Art. 36(2): another platform's entry is judged on the declaration", "SX-9", OpenConditional, ref("x"), rec, RuleGovernmentApprovalUndeclared},
		{"Shaanxi Art. 36(2): offline, without records, the declaration is judged", "TJ-1", OpenConditional, ref("noresale"), nil, RuleGovernmentApprovalUndeclared},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := &Listing{Title: "t", Category: "credit", ProductType: ProductDataset, Classification: ClassGeneral, GovRecords: c.records,
				Sources: []Source{{Origin: OriginGovernmentOpen, Disclosure: DisclosurePublic,
					Government: &Government{CatalogID: c.code, OpenClass: c.declared, ApprovalRef: c.ref}}}}
			res := Gate(l, nil, DefaultRuleSet(), at)
			if c.rule == "" {
				if res.Decision != DecisionListable {
					t.Fatalf("decision %s %+v", res.Decision, res.Violations)
				}
				return
			}
			if len(res.Violations) != 1 || res.Violations[0].Rule != c.rule || res.Decision == DecisionListable {
				t.Fatalf("violations %+v, want one %s", res.Violations, c.rule)
			}
		})
	}
}
