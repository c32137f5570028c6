package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// session is one person logged in once (POST /v1/sessions), acting through
// the JSON API and through the pages with the same cookie and CSRF token.
type session struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func (w *webWorld) mustSession(t *testing.T, key string) *session {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	s := &session{t: t, base: w.base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	var res struct {
		CSRFToken string `json:"csrf_token"`
	}
	st, b := s.api(http.MethodPost, "/v1/sessions", map[string]string{"email": w.emails[key], "password": w.password})
	if st != http.StatusCreated || json.Unmarshal(b, &res) != nil {
		t.Fatalf("log in %s: %d %s", key, st, b)
	}
	s.csrf = res.CSRFToken
	return s
}

// api sends a JSON request and returns the status and body.
func (s *session) api(method, path string, body any) (int, []byte) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if s.csrf != "" {
		req.Header.Set("X-CSRF-Token", s.csrf)
	}
	return s.send(req)
}

// page posts a form as the browser would and returns the status and the
// redirect target (or the page).
func (s *session) page(path string, form url.Values) (int, string) {
	s.t.Helper()
	form.Set("csrf_token", s.csrf)
	req, _ := http.NewRequest(http.MethodPost, s.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	st, b := s.send(req)
	return st, string(b)
}

func (s *session) send(req *http.Request) (int, []byte) {
	s.t.Helper()
	resp, err := s.c.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if loc := resp.Header.Get("Location"); resp.StatusCode == http.StatusSeeOther || resp.StatusCode == http.StatusFound {
		return resp.StatusCode, []byte(loc)
	}
	return resp.StatusCode, b
}

// idAfter returns the ID in a page's redirect target after prefix.
func idAfter(t *testing.T, loc, prefix string) uuid.UUID {
	t.Helper()
	rest, ok := strings.CutPrefix(loc, prefix)
	if !ok {
		t.Fatalf("the page redirected to %q, want %s…", loc, prefix)
	}
	id, err := uuid.Parse(strings.SplitN(rest, "?", 2)[0])
	if err != nil {
		t.Fatalf("redirect %q: %v", loc, err)
	}
	return id
}

// Each action a person can take both through the JSON API and through
// the pages gives the same result and the same error either way, because
// both call the same service: quote (Shaanxi Art. 37: the same conditions
// get the same price), order, accept, submit a listing (Shaanxi Art. 36),
// open a case.
func TestActionPairs_APIAndPagesAgree(t *testing.T) {
	w := startWebWorld(t)
	buyer := w.mustSession(t, "buyer-a")
	var catalog struct {
		Items []struct {
			ID uuid.UUID `json:"id"`
		} `json:"items"`
	}
	st, b := buyer.api(http.MethodGet, "/v1/catalog?q=出行", nil)
	if st != http.StatusOK || json.Unmarshal(b, &catalog) != nil || len(catalog.Items) == 0 {
		t.Fatalf("catalog: %d %s", st, b)
	}
	listing := catalog.Items[0].ID
	conds := map[string]any{"security": map[string]string{"delivery_mode": "download", "certification_level": "L2"},
		"cost": map[string]string{"volume": "1", "channel": "standard"}, "stage": "direct", "duration_months": 12}
	form := url.Values{"listing": {listing.String()}, "delivery_mode": {"download"}, "certification_level": {"L2"},
		"volume": {"1"}, "channel": {"standard"}, "stage": {"direct"}, "duration_months": {"12"}}

	var apiQuote, webQuote market.QuoteRecord
	t.Run("quote", func(t *testing.T) {
		st, b := buyer.api(http.MethodPost, "/v1/listings/"+listing.String()+"/quotes", conds)
		if st != http.StatusCreated || json.Unmarshal(b, &apiQuote) != nil {
			t.Fatalf("API quote: %d %s", st, b)
		}
		st, loc := buyer.page("/ui/buyer/quotes", form)
		if st != http.StatusSeeOther {
			t.Fatalf("page quote: %d %.300s", st, loc)
		}
		id := idAfter(t, loc, "/ui/buyer/quotes/")
		if st, b := buyer.api(http.MethodGet, "/v1/quotes/"+id.String(), nil); st != http.StatusOK || json.Unmarshal(b, &webQuote) != nil {
			t.Fatalf("the page's quote: %d %s", st, b)
		}
		if !apiQuote.UnitPrice.Decimal().Equal(webQuote.UnitPrice.Decimal()) || !apiQuote.Amount.Decimal().Equal(webQuote.Amount.Decimal()) {
			t.Errorf("same conditions, different prices (Shaanxi Art. 37): API %s/%s, page %s/%s",
				apiQuote.UnitPrice, apiQuote.Amount, webQuote.UnitPrice, webQuote.Amount)
		}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("volume", "-3")
		badConds := map[string]any{"security": conds["security"], "cost": map[string]string{"volume": "-3", "channel": "standard"},
			"stage": "direct", "duration_months": 12}
		apiSt, _ := buyer.api(http.MethodPost, "/v1/listings/"+listing.String()+"/quotes", badConds)
		pageSt, _ := buyer.page("/ui/buyer/quotes", bad)
		if apiSt != http.StatusBadRequest || pageSt != apiSt {
			t.Errorf("a negative quantity: API %d, page %d; want 400 both", apiSt, pageSt)
		}
	})

	var apiOrder, webOrder market.Order
	t.Run("order", func(t *testing.T) {
		req := func(q market.QuoteID, accepted bool) (map[string]any, url.Values) {
			api := map[string]any{"quote_id": q, "usage_purpose": "内部分析 internal analysis",
				"licence": map[string]any{"accepted": accepted, "terms": "Shujiao standard data licence v1", "scope": []string{"internal_analysis"}}}
			f := url.Values{"quote_id": {q.String()}, "idempotency_key": {uuid.NewString()}, "usage_purpose": {"内部分析 internal analysis"},
				"licence_terms": {"Shujiao standard data licence v1"}, "licence_scope": {"internal_analysis"}}
			if accepted {
				f.Set("licence_accepted", "on")
			}
			return api, f
		}
		apiBad, pageBad := req(apiQuote.ID, false)
		apiSt, b := buyer.apiKey("/v1/orders", apiBad)
		pageSt, _ := buyer.page("/ui/buyer/orders", pageBad)
		if apiSt != http.StatusBadRequest || pageSt != apiSt {
			t.Errorf("an order without accepting the licence: API %d %s, page %d; want 400 both", apiSt, b, pageSt)
		}
		apiReq, _ := req(apiQuote.ID, true)
		if st, b := buyer.apiKey("/v1/orders", apiReq); st != http.StatusCreated || json.Unmarshal(b, &apiOrder) != nil {
			t.Fatalf("API order: %d %s", st, b)
		}
		_, pageReq := req(webQuote.ID, true)
		st, loc := buyer.page("/ui/buyer/orders", pageReq)
		if st != http.StatusSeeOther {
			t.Fatalf("page order: %d %.300s", st, loc)
		}
		id := idAfter(t, loc, "/ui/buyer/orders/")
		if st, b := buyer.api(http.MethodGet, "/v1/orders/"+id.String(), nil); st != http.StatusOK || json.Unmarshal(b, &webOrder) != nil {
			t.Fatalf("the page's order: %d %s", st, b)
		}
		if apiOrder.State != market.OrderPaid || webOrder.State != apiOrder.State || !webOrder.Fee.Decimal().Equal(apiOrder.Fee.Decimal()) ||
			webOrder.DeliverBy == nil || apiOrder.DeliverBy == nil {
			t.Errorf("API order %s fee %s, page order %s fee %s: want both paid alike", apiOrder.State, apiOrder.Fee, webOrder.State, webOrder.Fee)
		}
		_, again := req(apiQuote.ID, true)
		apiSt, _ = buyer.apiKey("/v1/orders", apiReq)
		pageSt, _ = buyer.page("/ui/buyer/orders", again)
		if apiSt != http.StatusConflict || pageSt != apiSt {
			t.Errorf("ordering an ordered quote again with a new key: API %d, page %d; want 409 both", apiSt, pageSt)
		}
	})

	t.Run("accept", func(t *testing.T) {
		st, b := buyer.api(http.MethodPost, "/v1/orders/"+apiOrder.ID.String()+"/accept", nil)
		var got market.Order
		if st != http.StatusOK || json.Unmarshal(b, &got) != nil || got.State != market.OrderSettled {
			t.Fatalf("API accept: %d %s", st, b)
		}
		if st, loc := buyer.page("/ui/buyer/orders/"+webOrder.ID.String()+"/accept", url.Values{}); st != http.StatusSeeOther {
			t.Fatalf("page accept: %d %.300s", st, loc)
		}
		if st, b := buyer.api(http.MethodGet, "/v1/orders/"+webOrder.ID.String(), nil); st != http.StatusOK || json.Unmarshal(b, &got) != nil || got.State != market.OrderSettled {
			t.Fatalf("the page's accepted order: %d %s", st, b)
		}
		apiSt, _ := buyer.api(http.MethodPost, "/v1/orders/"+apiOrder.ID.String()+"/accept", nil)
		pageSt, _ := buyer.page("/ui/buyer/orders/"+webOrder.ID.String()+"/accept", url.Values{})
		if apiSt != http.StatusConflict || pageSt != apiSt {
			t.Errorf("accepting a settled order: API %d, page %d; want 409 both", apiSt, pageSt)
		}
	})

	t.Run("submit a listing", func(t *testing.T) {
		seller := w.mustSession(t, "seller-a")
		other := w.mustSession(t, "seller-b")
		draft := func() uuid.UUID {
			decl := map[string]any{"title": "动作对照 action pair " + uuid.NewString()[:8], "description": "数据产品", "category": "transport",
				"product_type": "dataset", "classification": "general", "price": "100.00",
				"sources": []map[string]any{{"origin": "self_collected", "own_data": true, "disclosure": "non_public",
					"collection": map[string]any{"basis": "contract", "reference": "服务合同 2026"}}}}
			var l market.ListingRecord
			if st, b := seller.api(http.MethodPost, "/v1/listings", decl); st != http.StatusCreated || json.Unmarshal(b, &l) != nil {
				t.Fatalf("draft: %d %s", st, b)
			}
			return l.ID
		}
		a, p := draft(), draft()
		apiSt, _ := other.api(http.MethodPost, "/v1/listings/"+a.String()+"/submit", nil)
		pageSt, _ := other.page("/ui/seller/listings/"+p.String()+"/submit", url.Values{})
		if apiSt < 400 || pageSt != apiSt {
			t.Errorf("another party submitting the listing: API %d, page %d; want the same refusal", apiSt, pageSt)
		}
		var got market.ListingRecord
		if st, b := seller.api(http.MethodPost, "/v1/listings/"+a.String()+"/submit", nil); st != http.StatusOK || json.Unmarshal(b, &got) != nil {
			t.Fatalf("API submit: %d %s", st, b)
		}
		apiState := got.State
		if st, loc := seller.page("/ui/seller/listings/"+p.String()+"/submit", url.Values{}); st != http.StatusSeeOther {
			t.Fatalf("page submit: %d %.300s", st, loc)
		}
		if st, b := seller.api(http.MethodGet, "/v1/listings/"+p.String(), nil); st != http.StatusOK || json.Unmarshal(b, &got) != nil || got.State != apiState {
			t.Errorf("after the Art. 36 gate: API listing %s, page listing %s (%d); want the same state", apiState, got.State, st)
		}
	})

	t.Run("an export without its assessment is refused alike (Shaanxi Art. 72)", func(t *testing.T) {
		// Important data needs the seller's security assessment to leave the
		// mainland; this new listing has none registered.
		seller := w.mustSession(t, "seller-a")
		var l market.ListingRecord
		decl := map[string]any{"title": "重要数据出境对照 " + uuid.NewString()[:8], "category": "energy", "product_type": "dataset",
			"classification": "important", "security_assessment_ref": "陕网信评〔2026〕009号", "price": "100.00",
			"sources": []map[string]any{{"origin": "self_collected", "own_data": true, "disclosure": "non_public",
				"collection": map[string]any{"basis": "statutory_duty", "reference": "调度运行记录"}}}}
		if st, b := seller.api(http.MethodPost, "/v1/listings", decl); st != http.StatusCreated || json.Unmarshal(b, &l) != nil {
			t.Fatalf("important listing: %d %s", st, b)
		}
		if st, b := seller.api(http.MethodPost, "/v1/listings/"+l.ID.String()+"/submit", nil); st != http.StatusOK {
			t.Fatalf("submit: %d %s", st, b)
		}
		if st, b := seller.api(http.MethodPut, "/v1/listings/"+l.ID.String()+"/price-plan", map[string]any{"unit": "licence", "base_price": "100.00"}); st != http.StatusOK && st != http.StatusCreated {
			t.Fatalf("price plan: %d %s", st, b)
		}
		overseas := w.mustSession(t, "buyer-overseas")
		quote := func() market.QuoteID {
			var q market.QuoteRecord
			if st, b := overseas.api(http.MethodPost, "/v1/listings/"+l.ID.String()+"/quotes", conds); st != http.StatusCreated || json.Unmarshal(b, &q) != nil {
				t.Fatalf("overseas quote: %d %s", st, b)
			}
			return q.ID
		}
		apiSt, b := overseas.apiKey("/v1/orders", map[string]any{"quote_id": quote(), "usage_purpose": "analysis",
			"licence": map[string]any{"accepted": true, "terms": "v1", "scope": []string{"internal_analysis"}}})
		pageSt, _ := overseas.page("/ui/buyer/orders", url.Values{"quote_id": {quote().String()}, "idempotency_key": {uuid.NewString()},
			"usage_purpose": {"analysis"}, "licence_accepted": {"on"}, "licence_terms": {"v1"}, "licence_scope": {"internal_analysis"}})
		if apiSt != http.StatusUnprocessableEntity || pageSt != apiSt {
			t.Errorf("an overseas order without an export assessment: API %d %s, page %d; want 422 both", apiSt, b, pageSt)
		}
	})

	t.Run("open a case", func(t *testing.T) {
		reg := w.mustSession(t, "regulator")
		var flags struct {
			Flags []market.Flag `json:"flags"`
		}
		if st, b := reg.api(http.MethodGet, "/v1/regulator/flags?status=open&rule=shaanxi-72", nil); st != http.StatusOK || json.Unmarshal(b, &flags) != nil || len(flags.Flags) < 2 {
			t.Fatalf("want the two open Art. 72 flags of the refused exports: %d %s", st, b)
		}
		apiSt, _ := reg.api(http.MethodPost, "/v1/regulator/cases", map[string]any{"flag_ids": []string{}})
		pageSt, _ := reg.page("/ui/regulator/cases", url.Values{"title": {"空"}})
		if apiSt != http.StatusBadRequest || pageSt != apiSt {
			t.Errorf("a case without flags: API %d, page %d; want 400 both", apiSt, pageSt)
		}
		var cs market.Case
		if st, b := reg.api(http.MethodPost, "/v1/regulator/cases", map[string]any{"flag_ids": []uuid.UUID{flags.Flags[0].ID}}); st != http.StatusCreated || json.Unmarshal(b, &cs) != nil {
			t.Fatalf("API case: %d %s", st, b)
		}
		st, loc := reg.page("/ui/regulator/cases", url.Values{"flag_ids": {flags.Flags[1].ID.String()}})
		if st != http.StatusSeeOther {
			t.Fatalf("page case: %d %.300s", st, loc)
		}
		id := idAfter(t, loc, "/ui/regulator/cases/")
		var webCase market.Case
		if st, b := reg.api(http.MethodGet, "/v1/regulator/cases/"+id.String(), nil); st != http.StatusOK || json.Unmarshal(b, &webCase) != nil || webCase.Status != cs.Status {
			t.Errorf("the page's case: %d %s; want status %s like the API's", st, b, cs.Status)
		}
	})
}

// apiKey posts body to path with a fresh Idempotency-Key.
func (s *session) apiKey(path string, body any) (int, []byte) {
	s.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", s.csrf)
	req.Header.Set("Idempotency-Key", uuid.NewString())
	return s.send(req)
}
