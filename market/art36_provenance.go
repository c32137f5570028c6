package market

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// Rule ids of the provenance rules of the Art. 36 gate: how the seller got
// each source, from evidence rather than the seller's word.
const (
	RuleOwnWithoutCollectionBasis = "provenance-own-without-collection-basis"
	RuleOwnWithoutNotice          = "provenance-own-personal-info-without-notice"
	RuleOwnNamesAnotherParty      = "provenance-own-names-another-party"
	RuleOwnMatchesListedProduct   = "provenance-own-matches-listed-product"
	RuleLicensedGrantorMismatch   = "provenance-licensed-grantor-mismatch"
	RulePurchaseWithoutOrder      = "provenance-purchase-without-order"
	RulePurchaseOrderUnknown      = "provenance-purchase-order-not-the-sellers"
	RulePurchaseLicenceNoResale   = "provenance-purchase-licence-forbids-resale"
	RulePurchaseLicenceUnknown    = "provenance-purchase-licence-scope-unknown"
	RulePurchaseUnchecked         = "provenance-purchase-not-checked"
)

// Collection bases of data a seller collected itself (PIPL Art. 13).
const (
	BasisConsentRecord = "consent_record"
	BasisContract      = "contract"
	BasisStatutoryDuty = "statutory_duty"
)

// Collection is how a seller collected its own data: the lawful basis
// (consent_record, contract or statutory_duty), a reference to the record
// that proves it, and, for personal information, the reference of the
// notice the individuals were given (PIPL Art. 17).
type Collection struct {
	Basis     string `json:"basis"`
	Reference string `json:"reference"`
	NoticeRef string `json:"notice_ref"`
}

// PurchaseRecord is what the platform's order records say of an order a
// source names as bought on this exchange: who bought from whom, the
// listing, its state and the licence the buyer accepted.
type PurchaseRecord struct {
	OrderID      uuid.UUID
	BuyerID      PartyID
	SellerID     PartyID
	ListingID    uuid.UUID
	State        OrderState
	LicenceTerms string
	LicenceScope []string
}

// ListedCopy is a product of another party listed here whose dataset has
// the same content (SHA-256) as the seller's.
type ListedCopy struct {
	ListingID uuid.UUID
	SellerID  PartyID
}

// ProvenanceRecords is what the platform's records say of a listing's
// sources, looked up by storage before the gate runs (nil offline): the
// seller, the orders its exchange_purchase sources name (by ID as
// written), and other parties' listed products with the same content.
type ProvenanceRecords struct {
	Seller  PartyID
	Orders  map[string]PurchaseRecord
	Copies  []ListedCopy
	Checked bool // the records were looked up (orders absent from Orders do not exist)
}

// isOwn reports whether source s claims to be the seller's own data.
func (s *Source) isOwn() bool { return s.OwnData || s.Origin == OriginSelfCollected }

// provenance applies Shaanxi Art. 36(1) to how each source was obtained:
// own data needs its collection basis (and the notice, for personal
// information); data declared own but named as another party's, or
// identical to another party's listed product, goes to review; licensed
// data needs an authorization from the grantor it names; data bought
// here names the order, whose licence must permit resale.
func (g *gateRun) provenance() {
	for i := range g.l.Sources {
		s := &g.l.Sources[i]
		switch {
		case s.isOwn():
			g.ownSource(i, s)
		case s.Origin == OriginContractLicensed:
			if s.Grantor != "" && s.Authorization != nil && FoldTerm(s.Authorization.Grantor) != FoldTerm(s.Grantor) {
				g.add(EffectBlock, RuleLicensedGrantorMismatch, ArticleShaanxi36_1, i,
					fmt.Sprintf("source %d is licensed from %q but its authorization was granted by %q", i, s.Grantor, s.Authorization.Grantor))
			}
		case s.Origin == OriginExchangePurchase:
			g.purchase(i, s)
		}
	}
}

func (g *gateRun) ownSource(i int, s *Source) {
	switch {
	case s.Origin != OriginSelfCollected:
		g.add(EffectReview, RuleOwnNamesAnotherParty, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d is declared the seller's own data but its origin is %s: data obtained from another party needs that party's authorization", i, s.Origin))
	case strings.TrimSpace(s.Grantor) != "" || s.Authorization != nil && strings.TrimSpace(s.Authorization.Grantor) != "":
		g.add(EffectReview, RuleOwnNamesAnotherParty, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d is declared the seller's own data but names a grantor; an operator must check whose data it is", i))
	}
	c := s.Collection
	switch {
	case c == nil || strings.TrimSpace(c.Reference) == "":
		g.add(EffectReview, RuleOwnWithoutCollectionBasis, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d is the seller's own data without its collection basis (consent record, contract or statutory duty, with a reference)", i))
	case c.Basis != BasisConsentRecord && c.Basis != BasisContract && c.Basis != BasisStatutoryDuty:
		g.add(EffectReview, RuleOwnWithoutCollectionBasis, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: collection basis %q is none of consent_record, contract, statutory_duty", i, c.Basis))
	}
	if g.l.ContainsPersonalInfo || g.l.ContainsSensitivePersonalInfo || g.l.ContainsMinorsData {
		if c == nil || strings.TrimSpace(c.NoticeRef) == "" {
			g.add(EffectReview, RuleOwnWithoutNotice, ArticleShaanxi36_1, i,
				fmt.Sprintf("source %d: personal information the seller collected itself needs the notice given to the individuals (notice_ref; PIPL Art. 17)", i))
		}
	}
	if rec := g.l.Provenance; rec != nil {
		for _, cp := range rec.Copies {
			if cp.SellerID != rec.Seller {
				g.add(EffectReview, RuleOwnMatchesListedProduct, ArticleShaanxi36_1, i,
					fmt.Sprintf("source %d is declared the seller's own data but the same content is listed here by another party (listing %s)", i, cp.ListingID))
				break
			}
		}
	}
}

// purchase checks a source bought on this exchange against the order it
// names: the order must be the seller's purchase, and its licence must
// permit selling the data on.
func (g *gateRun) purchase(i int, s *Source) {
	ref := strings.TrimSpace(s.OrderID)
	if ref == "" {
		g.add(EffectBlock, RulePurchaseWithoutOrder, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d was bought on this exchange but names no order_id: the order's licence decides whether it may be resold", i))
		return
	}
	rec := g.l.Provenance
	if rec == nil || !rec.Checked {
		g.add(EffectReview, RulePurchaseUnchecked, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d names order %s; only the platform can check its licence (offline, an operator must)", i, ref))
		return
	}
	o, ok := rec.Orders[ref]
	switch {
	case !ok || o.BuyerID != rec.Seller:
		g.add(EffectBlock, RulePurchaseOrderUnknown, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d names order %s, which is not a purchase of the seller on this exchange", i, ref))
		return
	case o.State == OrderCancelled || o.State == OrderRefunded:
		g.add(EffectBlock, RulePurchaseOrderUnknown, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d names order %s, which was %s: the seller holds no licence from it", i, ref, o.State))
		return
	}
	v := g.rs.JudgeScopes(o.LicenceScope)
	for _, w := range v.Unknown {
		g.add(EffectReview, RulePurchaseLicenceUnknown, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: the licence of order %s has scope %q, which rule set %d does not know; an operator must judge it", i, ref, w, g.rs.Version))
	}
	if !v.PermitsSale && len(v.Unknown) == 0 {
		g.add(EffectBlock, RulePurchaseLicenceNoResale, ArticleShaanxi36_1, i,
			fmt.Sprintf("source %d: the licence of order %s (%s) permits only %v, not resale", i, ref, o.LicenceTerms, o.LicenceScope))
	}
}
