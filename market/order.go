package market

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Order is a buyer's purchase from a quote: the price and quantity the
// quote fixed, the platform fee, the usage purpose and licence terms the
// buyer accepted (use only as declared), the export facts of Shaanxi
// Art. 72, the Shaanxi Art. 36 gate run again when it was placed, and
// where it stands in its life cycle (see OrderState).
type Order struct {
	ID                  uuid.UUID       `json:"id"`
	QuoteID             QuoteID         `json:"quote_id"`
	ListingID           uuid.UUID       `json:"listing_id"`
	SellerID            PartyID         `json:"seller_id"`
	BuyerID             PartyID         `json:"buyer_id"`
	State               OrderState      `json:"state"`
	UnitPrice           Money           `json:"unit_price"`
	Quantity            decimal.Decimal `json:"quantity"`
	Amount              Money           `json:"amount"`
	FeeRate             decimal.Decimal `json:"fee_rate"`
	Fee                 Money           `json:"fee"`
	UsagePurpose        string          `json:"usage_purpose"`
	LicenceTerms        LicenceTerms    `json:"licence_terms"`
	Export              bool            `json:"export"`
	ExportAssessmentRef *string         `json:"export_assessment_ref"`
	// ExportClass is the Shaanxi Art. 72 classification made when the
	// order was placed, with the seller's filing that covers it
	// (export_class.go). Read back from storage it is the stored decision
	// of an export, not_export for an order that is not one, and nil only
	// for an export placed before orders were classified (issue 15).
	ExportClass   *ExportDecision `json:"export_class,omitempty"`
	Gate          GateResult      `json:"gate"`
	DisputeReason string          `json:"dispute_reason,omitempty"`
	CreatedAt     time.Time       `json:"created_at"`
	PaidAt        *time.Time      `json:"paid_at"`
	// DeliverBy is when a paid order that was never delivered is refunded
	// to the buyer automatically.
	DeliverBy *time.Time `json:"deliver_by"`
	// SettleDueAt is when a delivered order is settled to the seller
	// automatically (nil until delivery); SettleAfter is the period that
	// counts from delivery, fixed when the order was placed.
	SettleDueAt *time.Time    `json:"settle_due_at"`
	SettleAfter time.Duration `json:"-"`
	DeliveredAt *time.Time    `json:"delivered_at"`
	SettledAt   *time.Time    `json:"settled_at"`
	SettledBy   string        `json:"settled_by,omitempty"`
	CancelledAt *time.Time    `json:"cancelled_at"`
	DisputedAt  *time.Time    `json:"disputed_at"`
	RefundedAt  *time.Time    `json:"refunded_at"`
	// Delivery says where the delivery stands (nil for an order placed
	// before deliveries were sealed in the background, until asked for).
	Delivery *OrderDelivery `json:"delivery"`
}

// LicenceTerms are the licence the buyer accepted with an order: the
// terms (their name and version, or their text) and the uses they permit.
type LicenceTerms struct {
	Accepted bool     `json:"accepted"`
	Terms    string   `json:"terms"`
	Scope    []string `json:"scope"`
}

// OrderRequest is what a buyer sends to order from a quote.
type OrderRequest struct {
	QuoteID             QuoteID      `json:"quote_id"`
	UsagePurpose        string       `json:"usage_purpose"`
	Licence             LicenceTerms `json:"licence"`
	ExportAssessmentRef *string      `json:"export_assessment_ref"`
	// OnwardTransferAbroad: the buyer declares it will pass the data to a
	// party outside the mainland (then the order is an export, Shaanxi Art. 72).
	OnwardTransferAbroad bool `json:"onward_transfer_abroad,omitempty"`
	// ExportExemption: the exemption of the 2024 Provisions Art. 5(1)–(3)
	// the buyer declares, with its justification in the rule set's words
	// (export_exemption.go).
	ExportExemption *ExportExemptionClaim `json:"export_exemption,omitempty"`
}

// Normalize trims the request's text fields; an empty assessment
// reference becomes nil.
func (r *OrderRequest) Normalize() {
	r.UsagePurpose = strings.TrimSpace(r.UsagePurpose)
	r.Licence.Terms = strings.TrimSpace(r.Licence.Terms)
	for i, s := range r.Licence.Scope {
		r.Licence.Scope[i] = strings.TrimSpace(s)
	}
	if r.ExportAssessmentRef != nil {
		if ref := strings.TrimSpace(*r.ExportAssessmentRef); ref == "" {
			r.ExportAssessmentRef = nil
		} else {
			r.ExportAssessmentRef = &ref
		}
	}
}

// Validate checks a normalized request: a quote, a usage purpose (1–500
// characters) and licence terms the buyer accepted, with at least one
// permitted use. It returns an ErrInvalid *Error naming the field.
func (r OrderRequest) Validate() error {
	switch {
	case r.QuoteID.IsZero():
		return Invalid("quote_id", "missing_field", "quote_id: name the quote to order from (POST /v1/listings/{id}/quotes)")
	case r.UsagePurpose == "":
		return Invalid("usage_purpose", "missing_field", "usage_purpose: state what the data will be used for; it is stored with the order and binds the buyer")
	case len([]rune(r.UsagePurpose)) > 500:
		return Invalid("usage_purpose", "invalid_field", "usage_purpose: at most 500 characters")
	case !r.Licence.Accepted:
		return Invalid("licence.accepted", "licence_not_accepted", "licence.accepted: the buyer must accept the licence terms to order")
	case r.Licence.Terms == "":
		return Invalid("licence.terms", "missing_field", "licence.terms: name the licence terms accepted (e.g. \"Shujiao standard data licence v1\")")
	case len(r.Licence.Scope) == 0 || r.Licence.Scope[0] == "":
		return Invalid("licence.scope", "missing_field", "licence.scope: list the uses the licence permits (e.g. [\"internal_analysis\"])")
	case r.ExportAssessmentRef != nil && len(*r.ExportAssessmentRef) > 200:
		return Invalid("export_assessment_ref", "invalid_field", "export_assessment_ref: at most 200 characters")
	}
	return nil
}

// ArticleShaanxi72 is the article on data leaving the mainland: a
// data-export security assessment is needed.
const ArticleShaanxi72 = "Shaanxi Art. 72"

// Fee returns the platform fee on amount at rate, rounded half-up to the fen.
func Fee(amount Money, rate decimal.Decimal) Money {
	return amount.Mul(rate).Round()
}

// ValidFeeRate returns an ErrInvalid *Error unless rate is in [0, 1).
func ValidFeeRate(rate decimal.Decimal) error {
	if rate.IsNegative() || !rate.LessThan(decimal.NewFromInt(1)) {
		return Invalid("fee_rate", "invalid_fee_rate", "fee rate %s: want a fraction in [0, 1)", rate)
	}
	return nil
}
