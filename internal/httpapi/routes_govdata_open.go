package httpapi

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// govFormats are the machine-readable formats a resource's data downloads
// in, as data.<ext>, with their media types; the DCAT distributions and
// the CKAN resources list them in this order.
var govFormats = []struct{ ext, media string }{{"csv", "text/csv"}, {"json", "application/json"}, {"parquet", parquetMediaType}}

// govDownload serves a resource's data as CSV, JSON or Parquet: unconditionally
// open data to anyone without an account (Tianjin Art. 22, Municipal Art.
// 25); other data to the departments and approval holders the service
// lets through.
func (s *Server) govDownload(format string) gin.HandlerFunc {
	return func(c *gin.Context) {
		var who *market.Actor
		if a, ok := callerOf(c); ok {
			who = &a
		}
		r, d, err := s.gov().Download(c.Request.Context(), who, c.Param("ref"))
		if err != nil {
			s.fail(c, err)
			return
		}
		if r.OpenClass == market.OpenUnconditional {
			c.Header("Access-Control-Allow-Origin", "*")
		}
		c.Header("Content-Disposition", `attachment; filename="`+r.Code+`.`+format+`"`)
		if format == "parquet" {
			b, err := encodeParquet(r.Code, d)
			if err != nil {
				s.fail(c, err)
				return
			}
			c.Data(http.StatusOK, parquetMediaType, b)
			return
		}
		if format == "json" {
			records := make([]map[string]string, len(d.Rows))
			for i, row := range d.Rows {
				rec := make(map[string]string, len(d.Columns))
				for j, col := range d.Columns {
					rec[col] = row[j]
				}
				records[i] = rec
			}
			writeJSON(c, http.StatusOK, gin.H{"resource": r.Code, "version": d.Version, "columns": d.Columns, "records": records})
			return
		}
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Status(http.StatusOK)
		w := csv.NewWriter(c.Writer)
		_ = w.Write(d.Columns)
		_ = w.WriteAll(d.Rows) // a write error is the client going away
	}
}

// baseURL is the scheme and host the request came to, for absolute links.
func baseURL(c *gin.Context) string {
	scheme := "http"
	if c.Request.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request.Host
}

// dcatContext is the JSON-LD context of the DCAT descriptions.
var dcatContext = map[string]string{
	"dcat": "http://www.w3.org/ns/dcat#",
	"dct":  "http://purl.org/dc/terms/",
	"foaf": "http://xmlns.com/foaf/0.1/",
	"xsd":  "http://www.w3.org/2001/XMLSchema#",
}

// accrual maps update frequencies to the Dublin Core frequency vocabulary.
var accrual = map[govdata.Frequency]string{
	govdata.FreqRealtime: "continuous", govdata.FreqDaily: "daily", govdata.FreqWeekly: "weekly",
	govdata.FreqMonthly: "monthly", govdata.FreqQuarterly: "quarterly", govdata.FreqYearly: "annual", govdata.FreqIrregular: "irregular",
}

// accessRights maps an open class to the EU access-right vocabulary.
var accessRights = map[market.OpenClass]string{
	market.OpenUnconditional: "PUBLIC", market.OpenConditional: "RESTRICTED", market.OpenNone: "NON_PUBLIC",
}

// dcatDataset describes r as a dcat:Dataset; distributions only for data
// anyone may download.
func dcatDataset(base string, r *govdata.Resource) map[string]any {
	self := base + "/v1/gov/catalog/resources/" + r.Code
	kw := append([]string{}, r.Keywords...)
	ds := map[string]any{
		"@type": "dcat:Dataset", "@id": self,
		"dct:identifier": r.Code, "dct:title": r.Title, "dct:description": r.Description,
		"dct:publisher":          map[string]any{"@type": "foaf:Organization", "foaf:name": r.DepartmentName},
		"dcat:keyword":           kw,
		"dct:accrualPeriodicity": map[string]string{"@id": "http://purl.org/cld/freq/" + accrual[r.UpdateFrequency]},
		"dct:issued":             map[string]string{"@value": r.CreatedAt.Format("2006-01-02T15:04:05Z"), "@type": "xsd:dateTime"},
		"dct:modified":           map[string]string{"@value": r.UpdatedAt.Format("2006-01-02T15:04:05Z"), "@type": "xsd:dateTime"},
		"dct:accessRights":       map[string]string{"@id": "http://publications.europa.eu/resource/authority/access-right/" + accessRights[r.OpenClass]},
		"owl:versionInfo":        r.Version,
	}
	if r.OpenBasis != "" {
		ds["dct:rights"] = r.OpenBasis
	}
	dist := []map[string]any{}
	if r.OpenClass == market.OpenUnconditional && r.HasData {
		for _, f := range govFormats {
			dist = append(dist, map[string]any{"@type": "dcat:Distribution", "dct:title": r.Title + " (" + strings.ToUpper(f.ext) + ")",
				"dcat:downloadURL": map[string]string{"@id": self + "/data." + f.ext}, "dcat:mediaType": f.media, "dct:format": strings.ToUpper(f.ext)})
		}
	}
	ds["dcat:distribution"] = dist
	return ds
}

func withContext(v map[string]any) map[string]any {
	ctx := map[string]string{"owl": "http://www.w3.org/2002/07/owl#"}
	for k, x := range dcatContext {
		ctx[k] = x
	}
	v["@context"] = ctx
	return v
}

// writeLD answers with v as application/ld+json.
func writeLD(c *gin.Context, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		_ = c.Error(err)
		c.Status(http.StatusInternalServerError)
		return
	}
	c.Data(http.StatusOK, "application/ld+json", b)
}

func (s *Server) govResourceDCAT(c *gin.Context) {
	r, err := s.govReads().Resource(c.Request.Context(), c.Param("ref"))
	if err != nil {
		s.fail(c, err)
		return
	}
	writeLD(c, withContext(dcatDataset(baseURL(c), r)))
}

// govCatalogDCAT describes the open catalog (every resource whose open
// class is not none) as a dcat:Catalog.
func (s *Server) govCatalogDCAT(c *gin.Context) {
	all, err := s.openResources(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	base := baseURL(c)
	ds := make([]map[string]any, 0, len(all))
	for i := range all {
		ds = append(ds, dcatDataset(base, &all[i]))
	}
	writeLD(c, withContext(map[string]any{"@type": "dcat:Catalog", "@id": base + "/v1/gov/catalog/dcat",
		"dct:title": "政务数据开放目录", "dcat:dataset": ds}))
}

// openResources returns every resource open unconditionally or on
// conditions, by code.
func (s *Server) openResources(c *gin.Context) ([]govdata.Resource, error) {
	var out []govdata.Resource
	for _, class := range []market.OpenClass{market.OpenUnconditional, market.OpenConditional} {
		for off := 0; ; off += 200 {
			items, total, err := s.govReads().Search(c.Request.Context(), govdata.Query{OpenClass: class, Limit: 200, Offset: off})
			if err != nil {
				return nil, err
			}
			out = append(out, items...)
			if off+len(items) >= total || len(items) == 0 {
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b govdata.Resource) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}
