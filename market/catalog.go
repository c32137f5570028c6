package market

import (
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// CatalogQuery selects listed products: keywords matched against title
// and description (every keyword as a substring, case-insensitive, in
// Chinese as in English, or close to a word of them by pg_trgm word
// similarity, which forgives a typo in a Latin-script word), a category,
// a price range, a sort order and a page.
type CatalogQuery struct {
	Q        string
	Category string
	MinPrice *Money
	MaxPrice *Money
	// Sort is relevance (the default with keywords), newest (the default
	// without), price_asc, price_desc or title.
	Sort string
	// Limit is the page size (0 means 20); Offset the matches skipped.
	Limit  int
	Offset int
}

// CatalogEntry is one listed product as the catalog shows it, with its
// certificate's effect level and the summary of its de-identification
// report.
type CatalogEntry struct {
	ID               uuid.UUID   `json:"id"`
	SellerID         PartyID     `json:"seller_id"`
	SellerName       string      `json:"seller_name"`
	Title            string      `json:"title"`
	Description      string      `json:"description"`
	Category         string      `json:"category"`
	ProductType      ProductType `json:"product_type"`
	Price            *Money      `json:"price"`
	CertificateID    *uuid.UUID  `json:"certificate_id"`
	CertificateLevel *string     `json:"certificate_level"`
	// Deidentification is the summary of the de-identification report of
	// the certified release (rows, models, suppression, loss, risk).
	Deidentification json.RawMessage `json:"deidentification"`
	RuleSetVersion   *int            `json:"ruleset_version"`
	ListedAt         *time.Time      `json:"listed_at"`
}
