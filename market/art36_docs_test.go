package market

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
)

const docsBaseListing = `{"title": "示例", "category": "transport", "product_type": "dataset", "classification": "general",
 "sources": [{"origin": "self_collected", "own_data": true, "disclosure": "non_public",
              "collection": {"basis": "contract", "reference": "服务合同 2026-017"}}]}`

// TestDocs_ShaanxiArt36_EveryRuleHasAnExampleThatFires runs every row of
// "Every rule, with an example" in docs/listing-gate.md through the gate:
// the row's rule must fire with the row's article and effect, and every
// rule of the gate and of the default content signatures must have a row.
func TestDocs_ShaanxiArt36_EveryRuleHasAnExampleThatFires(t *testing.T) {
	doc, err := os.ReadFile("../docs/listing-gate.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Every rule, with an example")
	if !ok {
		t.Fatal("docs/listing-gate.md has no section \"Every rule, with an example\"")
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, " | ")
		if len(cells) != 4 || !strings.HasPrefix(cells[0], "| `") {
			continue
		}
		rule := strings.Trim(strings.TrimPrefix(cells[0], "| "), "`")
		article, effect := cells[1], Effect(cells[2])
		example := strings.TrimSuffix(strings.TrimSuffix(cells[3], " |"), "`")
		example = strings.TrimPrefix(example, "`")
		seen[rule] = true
		t.Run(rule, func(t *testing.T) {
			l := docsExample(t, example)
			res := Gate(&l, nil, DefaultRuleSet(), gateAt)
			v := findViolation(res, rule)
			if v == nil || v.Article != article || v.Effect != effect {
				t.Fatalf("want %s (%s, %s); got %+v", rule, article, effect, res.Violations)
			}
		})
	}
	if res := Gate(ptr(docsExample(t, "{}")), nil, DefaultRuleSet(), gateAt); res.Decision != DecisionListable {
		t.Errorf("the base listing is %s: %+v", res.Decision, res.Violations)
	}
	rules := []string{RuleAuthorizationMissing, RuleAuthorizationNotYetValid, RuleAuthorizationExpired, RuleAuthorizationNoTrading,
		RuleAuthorizationUnknownScope, RulePersonalInfoNoCertificate, RuleGovernmentNotOpen, RuleGovernmentNoApproval, RuleGovernmentSharedForDuty,
		RuleGovernmentUndeclared, RuleNonPublicNotAuthorized, RuleDisclosureInconsistent, RuleCoreData, RuleImportantNoAssessment, RuleStateSecret,
		RuleSensitiveBelowL3, RuleMinorsBelowL3, RuleNegativeList, RuleCertificateNotProof, RulePersonalInfoBelowL3,
		RuleGovernmentApprovalUnknown, RuleGovernmentApprovalHolder, RuleGovernmentApprovalExpired, RuleGovernmentApprovalNoResale,
		RuleGovernmentApprovalUndeclared, RuleGovernmentApprovalPurposeUnknown,
		RuleOwnWithoutCollectionBasis, RuleOwnWithoutNotice, RuleOwnNamesAnotherParty, RuleOwnMatchesListedProduct, RuleLicensedGrantorMismatch,
		RulePurchaseWithoutOrder, RulePurchaseOrderUnknown, RulePurchaseLicenceNoResale, RulePurchaseLicenceUnknown, RulePurchaseUnchecked,
		RuleContentUnscanned}
	for _, s := range DefaultRuleSet().ContentSignatures {
		rules = append(rules, s.Rule)
	}
	for _, r := range rules {
		if !seen[r] {
			t.Errorf("docs/listing-gate.md has no example of rule %s", r)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// docsExample merges example onto the base listing and applies its
// platform keys (_certificate, _catalog, _orders, _copies, _content).
func docsExample(t *testing.T, example string) Listing {
	t.Helper()
	example = strings.ReplaceAll(example, `"SHA"`, `"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`)
	var base, edit map[string]json.RawMessage
	if err := json.Unmarshal([]byte(docsBaseListing), &base); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(example), &edit); err != nil {
		t.Fatalf("example %s: %v", example, err)
	}
	platform := map[string]json.RawMessage{}
	for k, v := range edit {
		if strings.HasPrefix(k, "_") {
			platform[k] = v
			continue
		}
		base[k] = v
	}
	merged, _ := json.Marshal(base)
	l, err := ParseListing(merged)
	if err != nil {
		t.Fatalf("example %s is no valid declaration: %v", example, err)
	}
	seller, other := PartyID(uuid.New()), PartyID(uuid.New())
	for k, v := range platform {
		switch k {
		case "_certificate":
			var level string
			mustJSON(t, v, &level)
			l.Certificate = provenCert(true, level)
		case "_catalog":
			var classes map[string]OpenClass
			mustJSON(t, v, &classes)
			l.GovRecords = &GovRecords{Seller: seller, OpenClass: classes, Approvals: map[string]GovApproval{
				"A-other": {Kind: "opening", ResourceCode: "TJ-1", HolderID: other, ValidFrom: MustDate("2026-01-01"), ValidTo: MustDate("2027-12-31"), Resale: true}}}
		case "_orders":
			var orders map[string]struct {
				Buyer string   `json:"buyer"`
				Scope []string `json:"scope"`
			}
			mustJSON(t, v, &orders)
			l.Provenance = &ProvenanceRecords{Seller: seller, Checked: true, Orders: map[string]PurchaseRecord{}}
			for id, o := range orders {
				buyer := seller
				if o.Buyer != "seller" {
					buyer = other
				}
				l.Provenance.Orders[id] = PurchaseRecord{OrderID: uuid.New(), BuyerID: buyer, SellerID: other, State: OrderSettled, LicenceTerms: "licence v1", LicenceScope: o.Scope}
			}
		case "_copies":
			l.Provenance = &ProvenanceRecords{Seller: seller, Checked: true, Copies: []ListedCopy{{ListingID: uuid.New(), SellerID: other}}}
		case "_content":
			var cols []ContentColumn
			mustJSON(t, v, &cols)
			l.Content = &ContentProfile{Columns: cols}
		default:
			t.Fatalf("unknown platform key %s", k)
		}
	}
	return l
}

func mustJSON(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}
