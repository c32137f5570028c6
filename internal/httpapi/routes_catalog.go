package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// catalogRoutes registers the catalog of listed products (public).
func (s *Server) catalogRoutes(g v1Groups) {
	g.Public.GET("/catalog", s.catalog)
}

// catalogPage is one page of the catalog.
type catalogPage struct {
	Items    []market.CatalogEntry `json:"items"`
	Total    int                   `json:"total"`
	Page     int                   `json:"page"`
	PageSize int                   `json:"page_size"`
}

// catalog searches the listed products: q (keywords, Chinese or English),
// category, min_price, max_price, sort, page, page_size.
func (s *Server) catalog(c *gin.Context) {
	q := market.CatalogQuery{Q: c.Query("q"), Category: c.Query("category"), Sort: c.Query("sort")}
	for _, p := range []struct {
		name string
		dst  **market.Money
	}{{"min_price", &q.MinPrice}, {"max_price", &q.MaxPrice}} {
		if v := c.Query(p.name); v != "" {
			m, err := market.ParseMoney(v)
			if err != nil {
				s.fail(c, market.Invalid(p.name, "invalid_price", "%s: %s", p.name, err.Error()))
				return
			}
			*p.dst = &m
		}
	}
	var err error
	if q.Limit, q.Offset, err = page(c); err != nil {
		s.fail(c, err)
		return
	}
	items, total, err := s.catalogReads().Search(c.Request.Context(), q)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, catalogPage{Items: items, Total: total, Page: q.Offset/q.Limit + 1, PageSize: q.Limit})
}
