package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestWeb_GovData drives the government data pages in headless Chromium
// against `shujiao serve` over the demo world: open data downloads without
// an account; an enterprise applies for conditionally open data and
// follows its clock; the providing department is told a refusal needs
// its basis, accepts and provides; the big-data bureau sees the overdue
// queue and the statistics chart (Shaanxi Art. 24).
func TestWeb_GovData(t *testing.T) {
	chrome := chromiumPath(t)
	w := startWebWorld(t)
	opts := append([]chromedp.ExecAllocatorOption{},
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	w.browser = bctx

	var appPath string
	t.Run("Tianjin Art. 22: anyone finds open data in the catalog and downloads it without an account", func(t *testing.T) {
		b := w.newTab(t)
		b.open("/ui/gov/catalog?open_class=unconditional")
		if got := b.text("main h1"); got != "政务数据资源目录" {
			t.Fatalf("heading %q", got)
		}
		href := read(b, chromedp.AttributeValue(chromedp.CSS(`#gov-catalog a[href$="TJ-SCJG-0001/data.csv"]`), "href")).Value
		resp, err := http.Get(w.base + href)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "uscc,name,reg_status\n") {
			t.Fatalf("anonymous download: %d %q", resp.StatusCode, body)
		}
	})
	t.Run("an enterprise applies for conditionally open data and follows its clock", func(t *testing.T) {
		b := w.newTab(t)
		b.login("seller-b", "zh")
		b.open("/ui/gov/catalog/TJ-SCJG-0003")
		b.do(chromedp.SendKeys(chromedp.ID("purpose"), "供应商资质核验"),
			chromedp.SetValue(chromedp.ID("period_from"), "2026-01-01"),
			chromedp.SetValue(chromedp.ID("period_to"), "2026-12-31"),
			chromedp.Click(chromedp.CSS(`#apply-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("app-state")))
		if got := b.text("#app-state"); got != "已收到" {
			t.Fatalf("state %q, want 已收到", got)
		}
		if got := b.text("#deadline"); !regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`).MatchString(got) {
			t.Fatalf("no acceptance deadline shown: %q", got)
		}
		appPath = strings.TrimPrefix(read(b, chromedp.Location()), w.base)
		appPath = appPath[:strings.IndexByte(appPath+"?", '?')]
		b.open("/ui/gov/applications")
		if !strings.Contains(b.text("main"), "企业年报社保信息") {
			t.Fatal("the applicant's list does not show the application")
		}
	})
	t.Run("Tianjin Art. 23: the department is told a refusal needs its basis, then accepts and provides", func(t *testing.T) {
		if appPath == "" {
			t.Skip("no application from the previous step")
		}
		b := w.newTab(t)
		b.login("dept-market", "zh")
		b.open("/ui/gov/department")
		if !strings.Contains(b.text("main"), "天津滨海数据服务有限公司") {
			t.Fatal("the department's incoming list does not show the enterprise's application")
		}
		b.open(appPath)
		b.do(chromedp.SendKeys(chromedp.ID("reasons"), "涉及企业非公示信息"),
			chromedp.Click(chromedp.CSS(`#refuse-form button[type=submit]`)),
			chromedp.WaitVisible(chromedp.ID("basis-err")))
		b.open(appPath)
		// the accepted page has no accept form: wait for it to go, not for
		// #app-state, which the page being left shows too
		b.do(chromedp.Click(chromedp.CSS(`#accept-form button[type=submit]`)), chromedp.WaitNotPresent(chromedp.ID("accept-form")),
			chromedp.WaitVisible(chromedp.ID("app-state")))
		if got := b.text("#app-state"); got != "已受理" {
			t.Fatalf("state %q, want 已受理", got)
		}
		b.do(chromedp.Click(chromedp.CSS(`#provide-form button[type=submit]`)), chromedp.WaitVisible(chromedp.ID("approval")))
		if got := b.text("#app-state"); got != "已提供" {
			t.Fatalf("state %q, want 已提供", got)
		}
	})
	t.Run("Shaanxi Art. 27: the department upholds an objection and records the correction as a new version", func(t *testing.T) {
		b := w.newTab(t)
		b.login("dept-market", "zh")
		b.open("/ui/gov/department")
		b.do(chromedp.SendKeys(chromedp.CSS(`form[action$="/verification"] input[name=finding]`), "核实：该企业已于本月注销"),
			chromedp.Click(chromedp.CSS(`form[action$="/verification"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action$="/correction"]`)))
		b.markStale() // the verification's page has a notice too: wait for the correction's
		b.do(chromedp.SendKeys(chromedp.CSS(`form[action$="/correction"] input[name=note]`), "更正登记状态"),
			chromedp.SetValue(chromedp.CSS(`form[action$="/correction"] textarea`),
				"uscc,name,reg_status\n91120116MA05K7HW4D,天津滨海数据服务有限公司,存续\n91120118MA06XXXX1A,天津滨海示例科技有限公司,注销"),
			chromedp.Click(chromedp.CSS(`form[action$="/correction"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("body:not([data-stale]) .notice")))
		resp, err := http.Get(w.base + "/v1/gov/catalog/resources/TJ-SCJG-0001/data.csv")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "天津滨海示例科技有限公司,注销") {
			t.Fatalf("the corrected data is not served: %q", body)
		}
		b.open("/ui/gov/catalog/TJ-SCJG-0001")
		if got := b.text("main ol"); !strings.Contains(got, "v2") || !strings.Contains(got, "更正登记状态") {
			t.Fatalf("the versions do not record the correction: %q", got)
		}
	})
	t.Run("Shaanxi Art. 24: the bureau sees the overdue queue and each department's statistics", func(t *testing.T) {
		b := w.newTab(t)
		b.login("coordinator", "zh")
		b.open("/ui/gov/coordinator")
		if n := read(b, chromedp.Evaluate[int](`document.querySelectorAll("tr.overdue").length`)); n < 1 {
			t.Fatalf("the overdue queue is empty; the demo seeds one overdue application")
		}
		chart := read(b, chromedp.OuterHTML(chromedp.CSS("svg.chart")))
		if !strings.Contains(chart, "天津市市场监督管理委员会") || !strings.Contains(chart, "逾期") {
			t.Fatalf("the chart does not show the departments and the overdue mark:\n%s", clipText(chart, 800))
		}
		b.shot("govdata-coordinator", "govdata")
	})
	t.Run("the government data pages in English have no Chinese chrome", func(t *testing.T) {
		b := w.newTab(t)
		b.login("coordinator", "en")
		for _, p := range []string{"/ui/gov/coordinator", "/ui/gov/catalog"} { // a resource page's heading is its (Chinese) title
			b.open(p)
			assertNoChineseChrome(t, b)
		}
	})
}
