package market

import (
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// PriceUnit is what a plan's base price is for.
type PriceUnit string

// Price units.
const (
	UnitLicence        PriceUnit = "licence"          // one dataset licence
	UnitPer1000Records PriceUnit = "per_1000_records" // 1,000 records
	UnitPerCall        PriceUnit = "per_call"         // one API call
	UnitPerMonth       PriceUnit = "per_month"        // one month of access
)

// PricePlan is how a listing is priced, in CNY: a base price per unit,
// tiers whose criteria are transaction conditions, new-customer
// promotions and random-allocation rules. Plans are versioned; a quote
// names the version it was priced from. A plan is not modified once
// published; it is safe for concurrent reads.
type PricePlan struct {
	ID        string `json:"id"`
	SellerID  string `json:"seller_id"`
	ListingID string `json:"listing_id"`
	Version   int    `json:"version"`
	// EffectiveFrom and EffectiveTo bound when this version prices trades
	// (from inclusive, to exclusive); a change of plan creates a new
	// version and closes the old one. Nil means open.
	EffectiveFrom *time.Time `json:"effective_from,omitempty"`
	EffectiveTo   *time.Time `json:"effective_to,omitempty"`
	Unit          PriceUnit  `json:"unit"`
	// MinQuantity and Step narrow the quantities the plan sells (see
	// QuantityRule); absent, the unit's own apply.
	MinQuantity *decimal.Decimal `json:"min_quantity,omitempty"`
	Step        *decimal.Decimal `json:"step,omitempty"`
	BasePrice   Money            `json:"base_price"`
	Tiers       []Tier           `json:"tiers"`
	Promotions  []Promotion      `json:"promotions"`
	RandomRules []RandomRule     `json:"random_rules"`
	// CostItems are costs a trade may add to the unit price, each with
	// the practice it rests on (Shaanxi Art. 37 exception (1)).
	CostItems []CostItem `json:"cost_items,omitempty"`
}

// CostItem is a cost some trades add — a custom extraction, a dedicated
// line — priced per unit on top of the list price.
type CostItem struct {
	ID         string `json:"id"`
	Basis      string `json:"basis"`
	UnitAmount Money  `json:"unit_amount"`
}

// CostItem returns the cost item with id, if the plan has one.
func (p *PricePlan) CostItem(id string) (CostItem, bool) {
	for _, c := range p.CostItems {
		if c.ID == id {
			return c, true
		}
	}
	return CostItem{}, false
}

// Tier is a price for trades whose transaction conditions meet its
// criteria, resting on a named trade practice or industry custom (Shaanxi
// Art. 37 exception (1)).
type Tier struct {
	ID        string   `json:"id"`
	Criteria  Criteria `json:"criteria"`
	UnitPrice Money    `json:"unit_price"`
	// Practice is the trade practice or industry custom the tier rests on
	// ("volume discount customary for bulk data licences").
	Practice string `json:"practice"`
}

// Criteria are conditions over the five transaction conditions only; an
// empty field does not constrain. They can never name a buyer-profile
// attribute.
type Criteria struct {
	MinVolume         *decimal.Decimal `json:"min_volume,omitempty"`
	MaxVolume         *decimal.Decimal `json:"max_volume,omitempty"`
	Channels          []string         `json:"channels,omitempty"`
	DeliveryModes     []string         `json:"delivery_modes,omitempty"`
	MinCertLevel      string           `json:"min_certification_level,omitempty"`
	Credits           []CreditRating   `json:"credits,omitempty"`
	Stages            []Stage          `json:"stages,omitempty"`
	MinDurationMonths int              `json:"min_duration_months,omitempty"`
	MaxDurationMonths int              `json:"max_duration_months,omitempty"`
}

// Met reports whether conditions c meet the criteria.
func (k Criteria) Met(c Conditions) bool {
	v := c.Cost.Volume
	switch {
	case k.MinVolume != nil && v.LessThan(*k.MinVolume),
		k.MaxVolume != nil && v.GreaterThan(*k.MaxVolume),
		len(k.Channels) > 0 && !slices.Contains(k.Channels, c.Cost.Channel),
		len(k.DeliveryModes) > 0 && !slices.Contains(k.DeliveryModes, c.Security.DeliveryMode),
		k.MinCertLevel != "" && LevelRank(c.Security.CertificationLevel) < LevelRank(k.MinCertLevel),
		len(k.Credits) > 0 && !slices.Contains(k.Credits, c.Credit),
		len(k.Stages) > 0 && !slices.Contains(k.Stages, c.Stage),
		k.MinDurationMonths > 0 && c.DurationMonths < k.MinDurationMonths,
		k.MaxDurationMonths > 0 && c.DurationMonths > k.MaxDurationMonths:
		return false
	}
	return true
}

// PromotionKind is the kind of a promotion; only new-customer promotions
// are an Art. 37 exception.
type PromotionKind string

// PromotionNewCustomer: for buyers with no earlier trade with this seller,
// during a reasonable period (Shaanxi Art. 37 exception (2)).
const PromotionNewCustomer PromotionKind = "new_customer"

// Promotion is a discount off the base (or tier) price for new customers
// between Start (inclusive) and End (exclusive).
type Promotion struct {
	ID   string        `json:"id"`
	Kind PromotionKind `json:"kind"`
	// Discount is the fraction taken off (0.2 = 20 % off), in (0, 1).
	Discount decimal.Decimal `json:"discount"`
	Start    time.Time       `json:"start"`
	End      time.Time       `json:"end"`
}

// ActiveAt reports whether the promotion runs at t.
func (p Promotion) ActiveAt(t time.Time) bool { return !t.Before(p.Start) && t.Before(p.End) }

// Days returns the length of the promotion in days, rounded up.
func (p Promotion) Days() int {
	d := p.End.Sub(p.Start)
	days := int(d / (24 * time.Hour))
	if d%(24*time.Hour) != 0 {
		days++
	}
	return days
}

// RandomRule is a published random allocation (Shaanxi Art. 37 exception
// (3)): every draw wins with probability Odds, and a winner gets
// PrizeDiscount off. The Seed is published with the rule, so anyone can
// replay a draw from its id (see Draw).
type RandomRule struct {
	ID            string          `json:"id"`
	Odds          decimal.Decimal `json:"odds"`
	PrizeDiscount decimal.Decimal `json:"prize_discount"`
	Seed          string          `json:"seed"`
	Start         time.Time       `json:"start"`
	End           time.Time       `json:"end"`
}

// Tier returns the tier with id, if the plan has one.
func (p *PricePlan) Tier(id string) (Tier, bool) {
	for _, t := range p.Tiers {
		if t.ID == id {
			return t, true
		}
	}
	return Tier{}, false
}

// Promotion returns the promotion with id, if the plan has one.
func (p *PricePlan) Promotion(id string) (Promotion, bool) {
	for _, x := range p.Promotions {
		if x.ID == id {
			return x, true
		}
	}
	return Promotion{}, false
}

// RandomRule returns the random-allocation rule with id, if the plan has one.
func (p *PricePlan) RandomRule(id string) (RandomRule, bool) {
	for _, x := range p.RandomRules {
		if x.ID == id {
			return x, true
		}
	}
	return RandomRule{}, false
}

// ListUnitPrice returns the unit price conditions c get before any
// promotion or draw: the lowest price of the tiers whose criteria c meets,
// or the base price; and the tier applied, if any.
func (p *PricePlan) ListUnitPrice(c Conditions) (Money, *Tier) {
	price := p.BasePrice
	var best *Tier
	for i := range p.Tiers {
		t := &p.Tiers[i]
		if t.Criteria.Met(c) && (best == nil || t.UnitPrice.Cmp(price) < 0) {
			best, price = t, t.UnitPrice
		}
	}
	return price, best
}

// EffectiveAt reports whether this version of the plan prices trades at t.
func (p *PricePlan) EffectiveAt(t time.Time) bool {
	return (p.EffectiveFrom == nil || !t.Before(*p.EffectiveFrom)) && (p.EffectiveTo == nil || t.Before(*p.EffectiveTo))
}

// normalized returns a copy of the plan whose tier criteria name values
// of the vocabulary (the plan is not modified).
func (p *PricePlan) normalized(n *Normalizer) *PricePlan {
	q := *p
	q.Tiers = make([]Tier, len(p.Tiers))
	for i, t := range p.Tiers {
		t.Criteria, _ = t.Criteria.normalized(n)
		q.Tiers[i] = t
	}
	return &q
}
