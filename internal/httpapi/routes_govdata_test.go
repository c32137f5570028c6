package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// mustGovAPI is an API with the government data service over its own
// database, on the municipal clocks, at a fixed time.
func mustGovAPI(tb testing.TB) *mkt {
	tb.Helper()
	w := &mkt{t: tb, pool: pgtest.NewDB(tb)}
	w.accounts = market.NewAccounts(postgres.NewAccountStore(w.pool), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	gov := govdata.NewService(postgres.NewGovDataStore(w.pool), govdata.Options{Jurisdiction: govdata.JurisdictionMunicipal, Now: func() time.Time { return now }})
	srv := New(Config{}, Deps{DB: w.pool, Services: Services{Accounts: w.accounts, GovData: gov}})
	w.srv = httptest.NewServer(srv.Handler())
	tb.Cleanup(w.srv.Close)
	return w
}

// govDept seeds a government department (or the bureau) with one user.
func (w *mkt) govDept(name string, role market.Role) *client {
	w.t.Helper()
	n := w.seq.Add(1)
	body := fmt.Sprintf("1112000000%07d", n)
	code := body + string(anonymizer.USCCCheckChar(body))
	return w.seedClient(market.Party{Kind: market.PartyOrganization, Type: market.PartyDepartment, Name: name, Jurisdiction: "12", CreditCode: code}, role)
}

func (w *mkt) seedClient(p market.Party, role market.Role) *client {
	w.t.Helper()
	n := w.seq.Add(1)
	email := fmt.Sprintf("gov%d@dept.test", n)
	party, _, err := w.accounts.Seed(context.Background(), market.Registration{Party: p,
		User: market.NewUser{Email: email, Name: p.Name, Password: "correct horse battery staple"}, Roles: []market.Role{role}})
	if err != nil {
		w.t.Fatalf("seed %s: %v", p.Name, err)
	}
	_, a, err := w.accounts.Login(context.Background(), email, "correct horse battery staple", party.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	_, secret, err := w.accounts.CreateToken(context.Background(), a, "test", time.Hour)
	if err != nil {
		w.t.Fatal(err)
	}
	return &client{w: w, token: secret, partyID: party.ID}
}

func govResourceBody(code string, share, open string) map[string]any {
	b := map[string]any{"code": code, "title": "市场主体登记信息 " + code, "description": "企业名称与登记状态",
		"fields":        []map[string]any{{"name": "name_" + strings.ToLower(strings.ReplaceAll(code, "-", "_")), "title": "企业名称"}},
		"source_system": "市场主体登记系统", "update_frequency": "daily", "format": "csv",
		"share_class": share, "open_class": open, "keywords": []string{"企业", "登记"}}
	if share != "unconditional" {
		b["share_basis"] = "《企业信息公示暂行条例》"
	}
	if open != "unconditional" {
		b["open_basis"] = "《个人信息保护法》第十三条"
	}
	return b
}

func TestGovAPI_OpenDataWithoutAnAccountAndCKAN(t *testing.T) {
	t.Parallel()
	w := mustGovAPI(t)
	dept := w.govDept("市市场监督管理局", market.RoleDepartment)
	anon := &client{w: w}
	var open, cond govdata.Resource
	dept.mustDo(http.StatusCreated, "POST", "/v1/gov/catalog/resources", govResourceBody("SCJ-OPEN-1", "unconditional", "unconditional"), &open)
	dept.mustDo(http.StatusCreated, "POST", "/v1/gov/catalog/resources", govResourceBody("SCJ-COND-1", "conditional", "conditional"), &cond)
	for _, r := range []govdata.Resource{open, cond} {
		dept.mustDo(http.StatusNoContent, "PUT", "/v1/gov/catalog/resources/"+r.Code+"/data",
			map[string]any{"columns": r.FieldNames(), "rows": [][]string{{"西安甲公司"}, {"西安乙公司"}}}, nil)
	}

	t.Run("Tianjin Art. 22: unconditionally open data downloads as CSV without an account", func(t *testing.T) {
		code, body := anon.do("GET", "/v1/gov/catalog/resources/SCJ-OPEN-1/data.csv", nil)
		if code != http.StatusOK || string(body) != "name_scj_open_1\n西安甲公司\n西安乙公司\n" {
			t.Fatalf("%d %q", code, body)
		}
	})
	t.Run("Tianjin Art. 22: and as JSON records", func(t *testing.T) {
		var got struct {
			Version int
			Records []map[string]string
		}
		anon.mustDo(http.StatusOK, "GET", "/v1/gov/catalog/resources/SCJ-OPEN-1/data.json", nil, &got)
		if len(got.Records) != 2 || got.Records[1]["name_scj_open_1"] != "西安乙公司" {
			t.Fatalf("%+v", got)
		}
	})
	t.Run("Municipal Art. 26: conditionally open data is not served without an account", func(t *testing.T) {
		if code, _ := anon.do("GET", "/v1/gov/catalog/resources/SCJ-COND-1/data.csv", nil); code != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", code)
		}
	})
	t.Run("the DCAT description is JSON-LD with download distributions for open data only", func(t *testing.T) {
		resp, err := w.srv.Client().Get(w.srv.URL + "/v1/gov/catalog/dcat")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var cat map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&cat); err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/ld+json" || cat["@type"] != "dcat:Catalog" {
			t.Fatalf("content type %q, @type %v", ct, cat["@type"])
		}
		ds := cat["dcat:dataset"].([]any)
		dists := map[string]int{}
		for _, d := range ds {
			m := d.(map[string]any)
			dists[m["dct:identifier"].(string)] = len(m["dcat:distribution"].([]any))
		}
		if dists["SCJ-OPEN-1"] != 3 || dists["SCJ-COND-1"] != 0 {
			t.Fatalf("distributions %v", dists)
		}
	})
	t.Run("CKAN Action API: package_list, package_show, package_search, organization_list in CKAN's shape", func(t *testing.T) {
		var list struct {
			Help    string
			Success bool
			Result  []string
		}
		anon.mustDo(http.StatusOK, "GET", "/api/3/action/package_list", nil, &list)
		if !list.Success || !strings.Contains(list.Help, "help_show") || strings.Join(list.Result, ",") != "scj-cond-1,scj-open-1" {
			t.Fatalf("package_list %+v", list)
		}
		var show struct {
			Success bool
			Result  struct {
				Name, Title  string
				Resources    []struct{ URL, Format string }
				Organization struct{ Title string }
			}
		}
		anon.mustDo(http.StatusOK, "GET", "/api/3/action/package_show?id=scj-open-1", nil, &show)
		if len(show.Result.Resources) != 3 || show.Result.Resources[0].Format != "CSV" || show.Result.Organization.Title != "市市场监督管理局" {
			t.Fatalf("package_show %+v", show)
		}
		code, body := anon.do("GET", show.Result.Resources[0].URL[len(w.srv.URL):], nil)
		if code != http.StatusOK || !strings.Contains(string(body), "西安甲公司") {
			t.Fatalf("the resource URL of package_show does not download: %d", code)
		}
		var search struct {
			Result struct {
				Count   int
				Results []struct{ Name string }
			}
		}
		anon.mustDo(http.StatusOK, "GET", "/api/3/action/package_search?q=SCJ-OPEN&rows=5", nil, &search)
		if search.Result.Count != 1 || search.Result.Results[0].Name != "scj-open-1" {
			t.Fatalf("package_search %+v", search)
		}
		var orgs struct{ Result []map[string]any }
		anon.mustDo(http.StatusOK, "GET", "/api/3/action/organization_list?all_fields=true", nil, &orgs)
		if len(orgs.Result) != 1 || orgs.Result[0]["title"] != "市市场监督管理局" {
			t.Fatalf("organization_list %+v", orgs)
		}
	})
	t.Run("CKAN Action API: an unknown package is CKAN's Not Found Error", func(t *testing.T) {
		resp, err := w.srv.Client().Get(w.srv.URL + "/api/3/action/package_show?id=nope")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct {
			Success bool
			Error   struct {
				Type string `json:"__type"`
			}
		}
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != 404 || e.Success || e.Error.Type != "Not Found Error" {
			t.Fatalf("%d %+v %v", resp.StatusCode, e, err)
		}
	})
}

func TestGovAPI_ApplicationsOnTheMunicipalClock(t *testing.T) {
	t.Parallel()
	w := mustGovAPI(t)
	provider := w.govDept("市市场监督管理局", market.RoleDepartment)
	user := w.govDept("市税务局", market.RoleDepartment)
	bureau := w.govDept("市大数据管理局", market.RoleCoordinator)
	biz := w.mustParty("西安数源科技", market.PartyParticipant, market.RoleSeller)
	var r govdata.Resource
	provider.mustDo(http.StatusCreated, "POST", "/v1/gov/catalog/resources", govResourceBody("SCJ-C-2", "conditional", "conditional"), &r)

	if code, b := biz.do("POST", "/v1/gov/catalog/resources", govResourceBody("X-1", "unconditional", "unconditional")); code != http.StatusForbidden {
		t.Fatalf("an enterprise catalogued a resource: %d %s", code, b)
	}
	apply := map[string]any{"kind": "sharing", "resource_id": r.ID, "purpose": "纳税信用评价", "legal_basis": "《税收征收管理法》第五条",
		"fields": r.FieldNames(), "period_from": "2026-03-01", "period_to": "2026-12-31"}
	var app govdata.Application
	user.mustDo(http.StatusCreated, "POST", "/v1/gov/applications", apply, &app)
	if app.DueDate != "2026-03-09" || app.Clock.Article != "Municipal Art. 20" {
		t.Fatalf("Municipal Art. 20: due %s by %s", app.DueDate, app.Clock.Article)
	}
	t.Run("Municipal Art. 20: a refusal without its basis is a 400 citing the article", func(t *testing.T) {
		code, body := provider.do("POST", "/v1/gov/applications/"+app.ID.String()+"/refuse", map[string]any{"reasons": "不符合条件"})
		var p Problem
		_ = json.Unmarshal(body, &p)
		if code != http.StatusBadRequest || p.Field != "basis" || p.Article != "Municipal Art. 20" {
			t.Fatalf("%d %+v", code, p)
		}
	})
	t.Run("the applicant may not answer its own application", func(t *testing.T) {
		if code, _ := user.do("POST", "/v1/gov/applications/"+app.ID.String()+"/provide", map[string]any{}); code != http.StatusForbidden {
			t.Fatalf("status %d", code)
		}
	})
	t.Run("an enterprise does not see departments' applications", func(t *testing.T) {
		if code, _ := biz.do("GET", "/v1/gov/applications/"+app.ID.String(), nil); code != http.StatusNotFound {
			t.Fatalf("status %d", code)
		}
	})
	provider.mustDo(http.StatusOK, "POST", "/v1/gov/applications/"+app.ID.String()+"/provide", map[string]any{"valid_to": "2026-06-30"}, &app)
	var ap govdata.Approval
	user.mustDo(http.StatusOK, "GET", "/v1/gov/approvals/"+app.ApprovalID.String(), nil, &ap)
	if ap.ValidTo.String() != "2026-06-30" || ap.Kind != govdata.KindSharing {
		t.Fatalf("approval %+v", ap)
	}
	t.Run("Shaanxi Art. 24: statistics for the coordinator only", func(t *testing.T) {
		var st struct{ Items []govdata.DepartmentStats }
		bureau.mustDo(http.StatusOK, "GET", "/v1/gov/statistics", nil, &st)
		found := false
		for _, s := range st.Items {
			if s.DepartmentName == "市市场监督管理局" {
				found = s.Applications == 1 && s.OnTime == 1
			}
		}
		if !found {
			t.Fatalf("statistics %+v", st.Items)
		}
		if code, _ := provider.do("GET", "/v1/gov/statistics", nil); code != http.StatusForbidden {
			t.Fatalf("a department read the statistics: %d", code)
		}
	})
}
