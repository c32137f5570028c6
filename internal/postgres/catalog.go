package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/market"
)

// CatalogStore searches the listed products. It is safe for concurrent use.
type CatalogStore struct {
	db DB
}

// NewCatalogStore returns a catalog over db (a pool or a transaction).
func NewCatalogStore(db DB) *CatalogStore { return &CatalogStore{db: db} }

// catalogSearch is the catalog query; %s is the keyword condition.
const catalogSearch = `
WITH hits AS (
    SELECT l.*, (l.title || ' ' || l.description) AS doc
    FROM listings l
    WHERE l.state = 'listed' %s
      AND ($3 = '' OR l.category = $3)
      AND ($4::numeric IS NULL OR l.price >= $4)
      AND ($5::numeric IS NULL OR l.price <= $5)
)
SELECT h.id, h.party_id, p.name, h.title, h.description, h.category, h.product_type, h.price,
       h.certificate_id, c.level, a.report -> 'summary', h.ruleset_version, h.listed_at,
       count(*) OVER ()
FROM hits h
JOIN parties p ON p.id = h.party_id
LEFT JOIN certificates c ON c.id = h.certificate_id
LEFT JOIN artifacts a ON a.id = c.artifact_id
ORDER BY
    CASE WHEN $6 = 'price_asc' THEN h.price END ASC NULLS LAST,
    CASE WHEN $6 = 'price_desc' THEN h.price END DESC NULLS LAST,
    CASE WHEN $6 = 'title' THEN h.title END ASC,
    CASE WHEN $6 = 'relevance' THEN word_similarity($2, h.doc) END DESC,
    h.listed_at DESC, h.id
LIMIT $7 OFFSET $8`

// Every keyword must occur as a substring (ILIKE) or be close to a word
// of the text (pg_trgm's <% operator, word similarity above
// pg_trgm.word_similarity_threshold, 0.6 by default). The first keyword's
// test stands on its own, so that the planner can answer it from the GIN
// trigram index listings_search_trgm_idx; pg_trgm extracts no trigrams
// from Chinese characters under C.UTF-8, so Chinese keywords are matched
// as substrings.
const keywordCondition = `
      AND ((l.title || ' ' || l.description) ILIKE ($1::text[])[1]
           OR ($9::text[])[1] <% (l.title || ' ' || l.description))
      AND NOT EXISTS (
          SELECT 1 FROM unnest($1::text[], $9::text[]) AS k(pattern, term)
          WHERE NOT ((l.title || ' ' || l.description) ILIKE k.pattern
                     OR k.term <% (l.title || ' ' || l.description)))`

var (
	searchCatalog         = fmt.Sprintf(catalogSearch, "AND cardinality($1::text[]) + cardinality($9::text[]) = 0")
	searchCatalogKeywords = fmt.Sprintf(catalogSearch, keywordCondition)
)

// Search returns one page of listed products matching q and the number of
// all matches. It returns an ErrInvalid *Error for an unknown sort.
func (s *CatalogStore) Search(ctx context.Context, q market.CatalogQuery) ([]market.CatalogEntry, int, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	terms := strings.Fields(q.Q)
	if len(terms) > 8 {
		return nil, 0, market.Invalid("q", "too_many_keywords", "q: at most 8 keywords")
	}
	patterns := make([]string, len(terms))
	for i, t := range terms {
		patterns[i] = "%" + likeEscape(t) + "%"
	}
	sort := q.Sort
	switch {
	case sort == "" && len(terms) > 0:
		sort = "relevance"
	case sort == "":
		sort = "newest"
	case !slices.Contains(market.CatalogSorts, sort):
		return nil, 0, market.Invalid("sort", "invalid_sort", "sort: %q, want one of %s", sort, strings.Join(market.CatalogSorts, ", "))
	}
	sql := searchCatalog
	if len(terms) > 0 {
		sql = searchCatalogKeywords
	}
	rows, err := s.db.Query(ctx, sql, patterns, strings.Join(terms, " "), q.Category,
		moneyArg(q.MinPrice), moneyArg(q.MaxPrice), sort, q.Limit, q.Offset, terms)
	if err != nil {
		return nil, 0, fmt.Errorf("search catalog: %w", translate(err))
	}
	defer rows.Close()
	out := []market.CatalogEntry{}
	total := 0
	for rows.Next() {
		var e market.CatalogEntry
		var price decimal.NullDecimal
		if err := rows.Scan(&e.ID, &e.SellerID, &e.SellerName, &e.Title, &e.Description, &e.Category, &e.ProductType,
			&price, &e.CertificateID, &e.CertificateLevel, &e.Deidentification, &e.RuleSetVersion, &e.ListedAt, &total); err != nil {
			return nil, 0, fmt.Errorf("search catalog: %w", translate(err))
		}
		if price.Valid {
			m := market.NewMoney(price.Decimal)
			e.Price = &m
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("search catalog: %w", translate(err))
	}
	if len(out) == 0 && q.Offset > 0 {
		// past the last page: count the matches of the first
		_, total, err = s.Search(ctx, market.CatalogQuery{Q: q.Q, Category: q.Category, MinPrice: q.MinPrice,
			MaxPrice: q.MaxPrice, Sort: q.Sort, Limit: 1})
	}
	return out, total, err
}

// likeEscape escapes the LIKE wildcards of a keyword.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
