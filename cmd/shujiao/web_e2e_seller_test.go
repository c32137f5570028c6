package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// sellerPath: a seller uploads a table of patients (through the
// progress-bar upload), reads what detection found, de-identifies it at
// k = 20 and watches the job, reads the report with its two charts, makes
// a listing from the release — first with a malformed digest, which the
// form shows next to its field while keeping what was typed — and submits
// it to the Art. 36 gate: blocked, for an authorization that does not cover
// trading, the page says why by article and what to fix; fixed and
// submitted again, it is listed.
func sellerPath(t *testing.T, w *webWorld) {
	b := w.newTab(t)
	b.login("seller-a", "zh")
	csvPath := writePatients(t, 300)
	b.open("/ui/seller")
	b.do(chromedp.WaitReady(chromedp.CSS("progress#upload-progress")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{csvPath}),
		chromedp.Click(chromedp.CSS(`form[data-progress] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/deidentify"]`)))
	if got := b.text("main table"); !strings.Contains(got, "居民身份证号") || !strings.Contains(got, "直接标识符") {
		t.Fatalf("detection table does not show the resident ID column as a direct identifier:\n%s", got)
	}
	if got := b.text("main table"); !strings.Contains(got, "610***") || strings.Contains(got, residentID(0)) {
		t.Fatalf("the workbench's sample of resident IDs is not masked (610*** expected):\n%s", got)
	}
	b.shot("seller-detection", "workbench")
	// The keyboard walks the workbench row by row: a column's role,
	// action, hierarchy, then the next column's role.
	read(b, chromedp.Evaluate[bool](`document.getElementById("role.姓名").focus(), true`))
	b.do(chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"))
	if got := read(b, chromedp.Evaluate[string](`document.activeElement.id`)); got != "role.身份证号" {
		t.Fatalf("three Tabs from the first column's role focus %q, want the next column's role", got)
	}
	// A preset fills k from the mode's threshold (enclave 1/3 → k = 3)
	// and keeps the roles; the public release preset brings k = 20 back.
	b.markStale()
	b.do(chromedp.Click(chromedp.CSS(`button[name=preset][value=enclave]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) form[action$="/deidentify"]`)))
	if k, mode := read(b, chromedp.Value(chromedp.CSS("#k"))), read(b, chromedp.Value(chromedp.CSS("#mode"))); k != "3" || mode != "enclave" {
		t.Fatalf("the enclave preset set k %q, mode %q; want 3, enclave", k, mode)
	}
	b.markStale()
	b.do(chromedp.Click(chromedp.CSS(`button[name=preset][value=public]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) form[action$="/deidentify"]`)))
	if k, role := read(b, chromedp.Value(chromedp.CSS("#k"))), read(b, chromedp.Value(chromedp.CSS(`[name="role.身份证号"]`))); k != "20" || role != "identifying" {
		t.Fatalf("the public preset set k %q and left the ID column %q; want 20, identifying", k, role)
	}

	b.do(chromedp.SetValue(chromedp.CSS(`[name="hierarchy.年龄"]`), "interval:10,20,40"),
		chromedp.SetValue(chromedp.CSS("#k"), "20"),
		chromedp.Click(chromedp.CSS(`form[action$="/deidentify"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#job-status")))
	b.waitJob()
	if bars := read(b, chromedp.Evaluate[int](`document.querySelectorAll("svg.chart rect").length`)); bars < 2 {
		t.Fatalf("the report draws %d bars, want the class-size and generalization charts", bars)
	}
	if bars := read(b, chromedp.Evaluate[int](`document.querySelectorAll("figure svg.chart").length`)); bars != 4 {
		t.Fatalf("the report draws %d charts, want class sizes, risk against the threshold, generalization levels and loss per column", bars)
	}
	// The certificate, as the buyer will verify it: the checks passed and
	// the offline command naming the released file.
	if got := b.text("#certificate"); !strings.Contains(got, "通过") || !strings.Contains(got, "发布数据中不含直接标识符") || !strings.Contains(got, "SHA-256") {
		t.Fatalf("the certificate section lacks the checks or the digests:\n%s", clipText(got, 1500))
	}
	if cmd := b.text("#cert-command"); !strings.HasPrefix(cmd, "shujiao verify-certificate certificate.json") || !strings.Contains(cmd, "--release ") {
		t.Fatalf("the offline command reads %q", cmd)
	}
	// Input beside release: the first rows of the file and the same rows
	// released, the resident ID gone from the release.
	if in, out := read(b, chromedp.Evaluate[int](`document.querySelectorAll("#preview table")[0].tBodies[0].rows.length`)),
		read(b, chromedp.Evaluate[int](`document.querySelectorAll("#preview table")[1].tBodies[0].rows.length`)); in != 10 || out != 10 {
		t.Fatalf("the preview shows %d input and %d released rows, want 10 and 10", in, out)
	}
	if rel := read(b, chromedp.Evaluate[string](`document.querySelectorAll("#preview table")[1].innerText`)); strings.Contains(rel, residentID(0)) || strings.Contains(rel, "身份证号") {
		t.Fatalf("the released rows of the preview hold the resident ID:\n%s", rel)
	}
	b.shot("seller-report", "report")

	b.do(chromedp.Click(chromedp.CSS(`a.button[href*="/ui/seller/listings/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "西安门诊就诊画像（去标识化）"),
		chromedp.SendKeys(chromedp.CSS("#f-category"), "health"),
		chromedp.SendKeys(chromedp.CSS("#f-price"), "5000.00"),
		chromedp.SetValue(chromedp.CSS("#src-origin"), "contract_licensed"), // licensed from the hospital (Shaanxi Art. 36(1))
		chromedp.SendKeys(chromedp.CSS("#f-sources-0-authorization-grantor"), "西安市第一医院"),
		chromedp.SendKeys(chromedp.CSS("#f-sources-0-authorization-document_sha256"), "not-a-digest"),
		chromedp.SetValue(chromedp.CSS("#f-sources-0-authorization-valid_from"), "2026-01-01"),
		chromedp.SetValue(chromedp.CSS("#f-sources-0-authorization-valid_to"), "2030-12-31"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/seller/listings"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-sources-0-authorization-document_sha256-err")))
	if got := read(b, chromedp.Value(chromedp.CSS("#f-title"))); got != "西安门诊就诊画像（去标识化）" {
		t.Fatalf("after a bad digest the form kept title %q, want what was typed", got)
	}
	sum := sha256.Sum256([]byte("authorization letter of Xi'an No. 1 Hospital"))
	b.do(chromedp.SetValue(chromedp.CSS("#f-sources-0-authorization-document_sha256"), hex.EncodeToString(sum[:])),
		chromedp.SetValue(chromedp.CSS("#f-sources-0-authorization-scope"), "research"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/seller/listings"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/submit"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#listing-state.bad")))
	// Blocked: the page says why, article by article, and what to fix.
	why := b.text("#decision + p + ol")
	for _, want := range []string{"《陕西省大数据条例》第三十六条", "授权范围不含交易", "如何改正", "请授权方将“交易”（trading）列入授权范围"} {
		if !strings.Contains(why, want) {
			t.Fatalf("the blocked listing's reasons lack %q:\n%s", want, why)
		}
	}
	b.shot("seller-blocked", "")
	b.do(chromedp.Click(chromedp.CSS(`a[href$="/edit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-sources-0-authorization-scope")),
		chromedp.SetValue(chromedp.CSS("#f-sources-0-authorization-scope"), "trading"),
		chromedp.Click(chromedp.CSS(`form[action$="/edit"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/submit"] button`)),
		chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#listing-state.good")))
	if got := b.text("#listing-state"); got != "已挂牌" {
		t.Fatalf("listing state %q after the fix, want 已挂牌 (listed)", got)
	}
	b.shot("seller-listed", "")
	b.open("/ui/seller")
	if got := b.text("main"); !strings.Contains(got, "西安门诊就诊画像") {
		t.Fatalf("the seller's desk does not list the new listing:\n%s", clipText(got, 800))
	}
	b.shot("seller-desk", "seller")
}

// markStale marks the page the tab shows, so that a step can wait for the
// page a form post brings at the same address (body:not([data-stale])).
func (b *tab) markStale() {
	b.t.Helper()
	read(b, chromedp.Evaluate[bool](`document.body.setAttribute("data-stale", ""), true`))
}

// waitJob reloads the job page until the job is done (the page reloads
// itself too; reading it afresh keeps the test independent of timing).
func (b *tab) waitJob() {
	b.t.Helper()
	loc, _, _ := strings.Cut(read(b, chromedp.Location()), "?")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		b.do(chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("#job-status")))
		switch status := b.text("#job-status"); status {
		case "已完成":
			return
		case "失败", "未通过检验":
			b.t.Fatalf("the de-identification job ended %s:\n%s", status, clipText(b.text("main"), 1500))
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the job did not finish within 2 minutes:\n%s", clipText(b.text("main"), 800))
		}
		time.Sleep(time.Second)
	}
}

// forbiddenPath: a seller who opens the regulator's queue gets a page
// that says so plainly, with status 403, and no data. The first Tab of a
// page lands on the skip link, which leads to the content.
func forbiddenPath(t *testing.T, w *webWorld) {
	b := w.newTab(t)
	b.login("seller-a", "zh")
	b.open("/ui/catalog")
	b.do(chromedp.KeyEvent("\t"))
	if got := read(b, chromedp.Evaluate[string](`document.activeElement.getAttribute("href") || ""`)); got != "#main" {
		t.Fatalf("the first Tab focuses %q, want the skip link to #main", got)
	}
	b.open("/ui/regulator/flags")
	if got := b.text("main h1"); got != "无权访问" {
		t.Fatalf("a seller on the regulator's queue sees %q, want 无权访问 (forbidden)", got)
	}
	if got := b.text("main"); strings.Contains(got, "{") || strings.Contains(got, "forbidden_role") {
		t.Fatalf("the forbidden page leaks a code or JSON: %s", got)
	}
}

// writePatients writes a CSV of n synthetic patients: name, resident ID
// (with a valid check digit), age, sex, city and diagnosis.
func writePatients(t *testing.T, n int) string {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 9))
	names := []string{"张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"}
	cities := []string{"西安", "咸阳", "宝鸡", "渭南"}
	diagnoses := []string{"感冒", "高血压", "糖尿病", "骨折", "胃炎"}
	var sb strings.Builder
	sb.WriteString("姓名,身份证号,年龄,性别,城市,诊断\n")
	for i := range n {
		sex := []string{"男", "女"}[r.IntN(2)]
		fmt.Fprintf(&sb, "%s,%s,%d,%s,%s,%s\n", names[r.IntN(len(names))], residentID(i), 20+r.IntN(50), sex,
			cities[r.IntN(len(cities))], diagnoses[r.IntN(len(diagnoses))])
	}
	p := filepath.Join(t.TempDir(), "patients.csv")
	if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// residentID makes the i-th resident ID number of Xi'an Xincheng district
// with its GB 11643 check digit.
func residentID(i int) string {
	base := fmt.Sprintf("610102199%d%02d%02d%03d", i%10, 1+i%12, 1+i%28, i%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, c := range base {
		sum += int(c-'0') * weights[k]
	}
	return base + string("10X98765432"[sum%11])
}

// phonePath opens the main pages at a phone's width (390 px) and checks
// that none is wider than the screen (tables scroll inside their box).
func phonePath(t *testing.T, w *webWorld) {
	b := w.newTab(t)
	b.do(chromedp.EmulateViewport(390, 844))
	for _, who := range []struct {
		key, lang string
		pages     []string
	}{
		{"buyer-a", "zh", []string{"/ui/catalog", "/ui/buyer"}},
		{"seller-a", "en", []string{"/ui/seller", "/ui/seller/cases"}},
		{"regulator", "zh", []string{"/ui/regulator/flags?status=", "/ui/regulator/cases"}},
	} {
		b.login(who.key, who.lang)
		for _, p := range who.pages {
			b.open(p)
			if over := read(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); over > 0 {
				b.shot("phone-overflow", "")
				t.Errorf("%s is %d px wider than a 390 px screen", p, over)
			}
		}
	}
	// A case: evidence chart, tables, forms, ledger entries.
	b.open("/ui/regulator/cases")
	b.do(chromedp.Click(chromedp.CSS(`main table a[href^="/ui/regulator/cases/"]`)), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	if over := read(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); over > 0 {
		t.Errorf("a case page is %d px wider than a 390 px screen", over)
	}
	b.shot("phone-case", "")
}
