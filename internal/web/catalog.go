package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

func (h *Handler) catalogRoutes() {
	h.handle("GET "+Prefix+"/catalog", h.catalog)
	h.handle("GET "+Prefix+"/catalog/{id}", h.product)
}

// catalogView is one page of search results.
type catalogView struct {
	Items            []market.CatalogEntry
	Total, Page      int
	Prev, Next       string
	Sorts            []string
	Categories       []string
	SearchedSomehing bool
}

// catalog searches the listed products as GET /v1/catalog does, with the
// same filters; a bad filter is shown next to its field.
func (h *Handler) catalog(rc *reqCtx) error {
	if _, err := rc.require(); err != nil {
		return err
	}
	f := rc.r.URL.Query()
	q := market.CatalogQuery{Q: f.Get("q"), Category: f.Get("category"), Sort: f.Get("sort"), Limit: 20}
	errs := map[string]string{}
	for _, p := range []struct {
		name string
		dst  **market.Money
	}{{"min_price", &q.MinPrice}, {"max_price", &q.MaxPrice}} {
		if v := f.Get(p.name); v != "" {
			m, err := market.ParseMoney(v)
			if err != nil || m.IsNegative() {
				errs[p.name] = rc.t("catalog.bad_price")
				continue
			}
			*p.dst = &m
		}
	}
	pg := 1
	if v := f.Get("page"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			pg = n
		}
	}
	q.Offset = (pg - 1) * q.Limit
	v := catalogView{Page: pg, Sorts: market.CatalogSorts}
	if len(errs) == 0 {
		items, total, err := h.deps.Stores.Catalog.Search(rc.r.Context(), q)
		if fe, ok := rc.fieldErrors(err); ok {
			errs = fe
		} else if err != nil {
			return err
		}
		v.Items, v.Total = items, total
	}
	link := func(p int) string {
		u := url.Values{}
		for k, vs := range f {
			u[k] = vs
		}
		u.Set("page", strconv.Itoa(p))
		return Prefix + "/catalog?" + u.Encode()
	}
	if pg > 1 {
		v.Prev = link(pg - 1)
	}
	if q.Offset+len(v.Items) < v.Total {
		v.Next = link(pg + 1)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusBadRequest
	}
	return rc.render(status, "catalog", "catalog.title", &page{Form: f, Errors: errs, Data: v})
}

// productView is a product page: the listing, its certificate and
// whether the platform's signature over it verifies.
type productView struct {
	Listing *market.ListingRecord
	Cert    *market.Certificate
	// Body is the signed certificate, decoded.
	Body *anonymizer.Certificate
	// Report is the anonymizer's report inside the certificate.
	Report      *anonymizer.Report
	SignatureOK bool
	SignatureNA bool
	Plan        *market.PricePlan
	// Columns are the release's columns with their role and treatment
	// (the sample of the product's shape).
	Columns []columnTreatment
	CanBuy  bool
}

type columnTreatment struct {
	Name, Role, Treatment string
	Level                 int
	Generalized           bool
}

// product shows one product: any logged-in user reads a listed listing
// and its certificate (the stores decide, as for the API).
func (h *Handler) product(rc *reqCtx) error {
	a, err := rc.require()
	if err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	l, err := h.uc.listings.Get(ctx, a, id)
	if err != nil {
		return err
	}
	v := productView{Listing: l, CanBuy: a.Can(market.RoleBuyer) && l.State == market.StateListed}
	if cid, err := uuid.Parse(l.Declaration.CertificateID); err == nil {
		if err := h.loadCertificate(rc, a, cid, &v); err != nil {
			return err
		}
	}
	if rec, err := h.deps.Stores.Quotes.PricePlan(ctx, l.ID, 0); err == nil {
		v.Plan = rec.Plan
	} else if !errors.Is(err, market.ErrNotFound) {
		return err
	}
	return rc.render(http.StatusOK, "product", "product.title", &page{Data: v})
}

// loadCertificate reads the certificate, checks the platform's detached
// signature over its exact bytes and decodes what the page shows.
func (h *Handler) loadCertificate(rc *reqCtx, a market.Actor, id uuid.UUID, v *productView) error {
	cert, err := h.uc.datasets.Certificate(rc.r.Context(), a, id)
	if errors.Is(err, market.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	v.Cert = cert
	if h.deps.PlatformKey == nil {
		v.SignatureNA = true
	} else {
		v.SignatureOK = h.deps.PlatformKey.VerifyBytes(cert.Body, []byte(cert.Signature)) == nil
	}
	var body anonymizer.Certificate
	if json.Unmarshal(cert.Body, &body) != nil {
		return nil
	}
	v.Body = &body
	if len(body.AnonymizerReport) > 0 {
		var rep anonymizer.Report
		if json.Unmarshal(body.AnonymizerReport, &rep) == nil {
			v.Report = &rep
		}
	}
	v.Columns = treatments(body.Policy, v.Report)
	return nil
}

// treatments lists the columns of a policy with their role and what was
// done to them (dropped, pseudonymized, generalized to a level, kept).
func treatments(p *anonymizer.Policy, rep *anonymizer.Report) []columnTreatment {
	if p == nil {
		return nil
	}
	var out []columnTreatment
	for _, name := range sortedKeys(p.Columns) {
		c := p.Columns[name]
		t := columnTreatment{Name: name, Role: string(c.Role)}
		switch c.Role {
		case anonymizer.RoleIdentifying:
			t.Treatment = "drop"
			if c.Action == "pseudonymize" {
				t.Treatment = "pseudonymize"
			}
		case anonymizer.RoleQuasi:
			t.Treatment, t.Generalized = "generalize", true
			if rep != nil {
				t.Level = rep.Transformation[name]
			}
		default:
			t.Treatment = "keep"
		}
		out = append(out, t)
	}
	return out
}
