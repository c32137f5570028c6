package httpapi

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/shujiao/shujiao/market"
)

func TestCatalog_OnlyListedProductsFilteredSortedAndPaged(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	anon := &client{w: w}
	products := []struct {
		title, category, price string
		list                   bool
	}{
		{"西安公交刷卡数据", "transport", "500.00", true},
		{"地铁客流 Metro ridership", "transport", "1500.00", true},
		{"气象观测数据 weather observations", "weather", "80.00", true},
		{"未上架的交通草稿", "transport", "10.00", false},
	}
	for _, p := range products {
		d := ownDataDeclaration(p.title)
		d["description"] = "数据产品 data product"
		d["category"], d["price"] = p.category, p.price
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
		if p.list {
			seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		}
	}
	type page struct {
		Items []struct {
			Title string `json:"title"`
			Price string `json:"price"`
		} `json:"items"`
		Total int `json:"total"`
	}
	titles := func(p page) []string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.Title)
		}
		return out
	}
	cases := []struct {
		name  string
		query url.Values
		want  []string
		total int
	}{
		{"everything listed, newest first", url.Values{}, []string{"气象观测数据 weather observations", "地铁客流 Metro ridership", "西安公交刷卡数据"}, 3},
		{"a Chinese keyword", url.Values{"q": {"公交"}}, []string{"西安公交刷卡数据"}, 1},
		{"an English keyword in any case", url.Values{"q": {"RIDERSHIP"}}, []string{"地铁客流 Metro ridership"}, 1},
		{"two keywords must both match", url.Values{"q": {"数据 weather"}}, []string{"气象观测数据 weather observations"}, 1},
		{"a category", url.Values{"category": {"transport"}, "sort": {"price_asc"}}, []string{"西安公交刷卡数据", "地铁客流 Metro ridership"}, 2},
		{"a price range", url.Values{"min_price": {"100"}, "max_price": {"1000.00"}}, []string{"西安公交刷卡数据"}, 1},
		{"sorted by price, dearest first", url.Values{"sort": {"price_desc"}}, []string{"地铁客流 Metro ridership", "西安公交刷卡数据", "气象观测数据 weather observations"}, 3},
		{"the second page of one", url.Values{"sort": {"price_asc"}, "page": {"2"}, "page_size": {"1"}}, []string{"西安公交刷卡数据"}, 3},
		{"a draft is never shown", url.Values{"q": {"草稿"}}, nil, 0},
		{"a page past the end is empty but counts the matches", url.Values{"page": {"9"}, "page_size": {"2"}}, nil, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var p page
			anon.mustDo(http.StatusOK, http.MethodGet, "/v1/catalog?"+tc.query.Encode(), nil, &p)
			got := titles(p)
			if len(got) != len(tc.want) || p.Total != tc.total {
				t.Fatalf("got %v (total %d), want %v (total %d)", got, p.Total, tc.want, tc.total)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	for _, bad := range []string{"sort=cheapest", "min_price=abc", "page=0", "page_size=1000"} {
		if st, b := anon.do(http.MethodGet, "/v1/catalog?"+bad, nil); st != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", bad, st, b)
		}
	}
}

func TestRuleSets_AnOperatorVersionsTheNegativeListAndDecisionsRecordTheVersion(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	var rs map[string]any
	seller.mustDo(http.StatusOK, http.MethodGet, "/v1/rulesets/current", nil, &rs)
	shipped := market.DefaultRuleSet().Version
	if int(rs["version"].(float64)) != shipped {
		t.Fatalf("current rule set %v, want the shipped version %d", rs["version"], shipped)
	}
	rs["negative_list"] = append(rs["negative_list"].([]any), map[string]any{"category": "weather", "basis": "测试用禁止类目 test ban"})
	delete(rs, "version")
	if st, _ := seller.do(http.MethodPut, "/v1/rulesets/current", rs); st != http.StatusForbidden {
		t.Errorf("a seller editing the rule set: %d, want 403", st)
	}
	var v2 map[string]any
	operator.mustDo(http.StatusOK, http.MethodPut, "/v1/rulesets/current", rs, &v2)
	if int(v2["version"].(float64)) != shipped+1 {
		t.Fatalf("stored version %v, want %d", v2["version"], shipped+1)
	}
	rs["version"] = shipped + 1
	if st, b := operator.do(http.MethodPut, "/v1/rulesets/current", rs); st != http.StatusConflict || mustAPIProblem(t, b).Code != "ruleset_version_conflict" {
		t.Errorf("a stale version: %d %s, want 409 ruleset_version_conflict", st, b)
	}
	rs["version"] = shipped + 2
	rs["art37"].(map[string]any)["tolerance"] = "0.9"
	if st, b := operator.do(http.MethodPut, "/v1/rulesets/current", rs); st != http.StatusBadRequest || mustAPIProblem(t, b).Field != "art37.tolerance" {
		t.Errorf("an invalid rule set: %d %s, want 400 naming art37.tolerance", st, b)
	}

	t.Run("Shaanxi Art. 36(3): a category added to the negative list blocks, citing the operator's rule set", func(t *testing.T) {
		d := ownDataDeclaration("天气")
		d["category"] = "weather"
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		if l.State != "blocked" || l.Decision.RuleSetVersion != shipped+1 || len(l.Decision.Violations) != 1 ||
			l.Decision.Violations[0].Rule != market.RuleNegativeList || l.Decision.Violations[0].Article != market.ArticleShaanxi36_3 {
			t.Errorf("state %s decision %+v: want blocked by the negative list of rule set %d", l.State, l.Decision, shipped+1)
		}
	})
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'ruleset.changed'`); n != 1 {
		t.Errorf("ledger: %d rule-set changes, want 1", n)
	}
}
