package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestWeb_Workbench drives the seller's de-identification workbench in
// headless Chromium (issue 23): from upload to a chosen, certified release
// — roles, a sample run shown input beside release, the full table as a
// job, the loss per column against the job's report, an alternative
// transformation picked with the keyboard, the gate run again and the
// certificate — in Chinese and in English, then at phone width. axe-core
// checks every page reached (tab.do).
func TestWeb_Workbench(t *testing.T) {
	w := startBrowserWorld(t)
	t.Run("a seller goes from upload to a chosen, certified release, in Chinese", func(t *testing.T) { workbenchPath(t, w, "zh") })
	t.Run("a seller does the same in English, on pages without Chinese chrome", func(t *testing.T) { workbenchPath(t, w, "en") })
	t.Run("the workbench, its sample and the job page read at phone width", func(t *testing.T) { workbenchPhone(t, w) })
}

// startBrowserWorld starts the demo world and one headless Chromium.
func startBrowserWorld(t *testing.T) *webWorld {
	t.Helper()
	chrome := chromiumPath(t)
	w := startWebWorld(t)
	opts := append([]chromedp.ExecAllocatorOption{},
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "zh-CN"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	w.browser = bctx
	return w
}

// workbenchText is what the workbench test reads, per language.
var workbenchText = map[string]struct{ done, passed string }{
	"zh": {"已完成", "通过"},
	"en": {"succeeded", "passed"},
}

// jobEnded are the final states of a job other than succeeded.
var jobEnded = map[string]bool{"失败": true, "未通过检验": true, "failed": true, "rejected by the check": true}

// hanRE finds Chinese characters.
var hanRE = regexp.MustCompile(`\p{Han}`)

// apiJob is what the test reads of a job's release: GET
// /v1/artifacts/{id} of the artifact GET /v1/jobs/{id} names.
type apiJob struct {
	Report struct {
		Anonymizer struct {
			QuasiIdentifiers []string           `json:"quasi_identifiers"`
			Transformation   map[string]int     `json:"transformation"`
			ColumnLoss       map[string]float64 `json:"column_loss"`
		} `json:"anonymizer"`
		Alternatives []struct {
			Transformation map[string]int `json:"transformation"`
			Loss           float64        `json:"loss"`
		} `json:"alternatives"`
	} `json:"report"`
}

func workbenchPath(t *testing.T, w *webWorld, lang string) {
	txt := workbenchText[lang]
	b := w.newTab(t)
	b.login("seller-a", lang)
	b.open("/ui/seller")
	b.do(chromedp.WaitReady(chromedp.CSS("progress#upload-progress")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{writePatients(t, 2500)}),
		chromedp.Click(chromedp.CSS(`form[data-progress] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/deidentify"]`)))
	// Roles: the detected ones, the release under agreement preset (k = 5).
	b.markStale()
	b.do(chromedp.Click(chromedp.CSS(`button[name=preset][value=agreement]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) form[action$="/deidentify"]`)))
	if k := read(b, chromedp.Value(chromedp.CSS("#k"))); k != "5" {
		t.Fatalf("the agreement preset set k %q, want 5", k)
	}
	b.do(chromedp.SetValue(chromedp.CSS(`[name="hierarchy.年龄"]`), "interval:5,10,20"))

	// The sample run: the first 2,000 rows, nothing stored, input beside release.
	b.markStale()
	b.do(chromedp.Click(chromedp.CSS(`button[name=sample]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) #sample`)))
	if h := b.text("#sample h2"); !strings.Contains(h, "2000") {
		t.Fatalf("the sample's heading %q does not say 2000 rows", h)
	}
	if lang == "en" {
		for _, css := range []string{"#sample h2", "#sample > p.muted", "#sample table caption", "#sample dl"} {
			if got := b.text(css); hanRE.MatchString(got) {
				t.Errorf("English sample: %s reads %q", css, got)
			}
		}
	}
	in := read(b, chromedp.Evaluate[int](`document.querySelectorAll("#sample .side-by-side table")[0].tBodies[0].rows.length`))
	out := read(b, chromedp.Evaluate[int](`document.querySelectorAll("#sample .side-by-side table")[1].tBodies[0].rows.length`))
	if in != 20 || out != 20 {
		t.Fatalf("the sample shows %d input and %d released rows, want 20 and 20", in, out)
	}
	if rel := read(b, chromedp.Evaluate[string](`document.querySelectorAll("#sample .side-by-side table")[1].innerText`)); strings.Contains(rel, residentID(0)) {
		t.Fatalf("the sample's released rows hold a resident ID:\n%s", rel)
	}
	// A row is marked suppressed exactly when its quasi-identifiers are all "*".
	marks := read(b, chromedp.Evaluate[string](`(() => {
	  const qis = [...document.querySelectorAll("#sample table.alternatives thead th")].slice(1, -5).map(th => th.textContent);
	  const t = document.querySelectorAll("#sample .side-by-side table")[1];
	  const head = [...t.tHead.rows[0].cells].map(c => c.textContent);
	  return [...t.tBodies[0].rows].map(r => {
	    const star = qis.length > 0 && qis.every(q => r.cells[head.indexOf(q)].textContent === "*");
	    return (r.classList.contains("suppressed") === star) ? "ok" : "bad:" + r.cells[0].textContent;
	  }).join(",") + "|" + qis.join(",");
	})()`))
	if strings.Contains(marks, "bad") || strings.HasSuffix(marks, "|") {
		t.Fatalf("suppressed marks disagree with the released rows (or no alternatives table): %s", marks)
	}
	if lang == "zh" {
		b.shot("workbench-sample", "workbench-sample")
	}

	// The full table as a job: its state while it runs, then the report.
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/deidentify"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#job-status")))
	first := b.waitJobIn(txt.done)
	job := b.apiJob(first)
	rep := job.Report.Anonymizer
	if len(rep.ColumnLoss) == 0 || len(job.Report.Alternatives) == 0 {
		t.Fatalf("the job's report has column_loss %v and %d alternatives", rep.ColumnLoss, len(job.Report.Alternatives))
	}
	// The loss chart draws the report's column_loss.
	desc := read(b, chromedp.Evaluate[string](`document.querySelector("#loss-chart svg desc").textContent`))
	want := ""
	for _, q := range rep.QuasiIdentifiers {
		want += fmt.Sprintf("%s: %.1f%%; ", q, 100*rep.ColumnLoss[q])
	}
	if desc != want {
		t.Fatalf("the loss chart reads %q, the report's column_loss %q", desc, want)
	}
	if n := read(b, chromedp.Evaluate[int](`document.querySelectorAll("#alternatives tbody tr[id^=alt-]").length`)); n != len(job.Report.Alternatives) {
		t.Fatalf("the page lists %d alternatives, the report %d", n, len(job.Report.Alternatives))
	}
	if lang == "en" {
		for _, css := range []string{"#alternatives h2", "#alternatives > p", "#alternatives caption", "#loss-chart figcaption", "#loss-chart svg > title"} {
			got := read(b, chromedp.Evaluate[string](`document.querySelector(`+jsString(css)+`).textContent`))
			if got == "" || hanRE.MatchString(got) {
				t.Errorf("English job page: %s reads %q", css, got)
			}
		}
	}
	if lang == "zh" {
		b.shot("workbench-job", "workbench-job")
	}

	// The keyboard reaches the first alternative's choice and Enter picks it.
	if !b.tabTo(`#alt-1 button`, 120) {
		t.Fatalf("Tab never reached the first alternative's choice")
	}
	b.markStale()
	b.do(chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) #job-status`)))
	if notice := b.text("p.notice"); notice == "" {
		t.Fatal("no notice after choosing an alternative")
	}
	second := b.waitJobIn(txt.done)
	if second == first {
		t.Fatal("choosing an alternative did not queue a new job")
	}
	chosen := b.apiJob(second)
	if got, want := chosen.Report.Anonymizer.Transformation, job.Report.Alternatives[0].Transformation; !maps.Equal(got, want) {
		t.Fatalf("the chosen release has levels %v, want the alternative's %v", got, want)
	}
	held := b.text("#max-levels")
	for q, l := range job.Report.Alternatives[0].Transformation {
		if !strings.Contains(held, fmt.Sprintf("%s ≤ %d", q, l)) {
			t.Errorf("the chosen job's facts read %q, lacking %s ≤ %d", held, q, l)
		}
	}
	// The gate ran again and the certificate is the new release's.
	if got := b.text("#certificate"); !strings.Contains(got, txt.passed) || !strings.Contains(got, "SHA-256") {
		t.Fatalf("the chosen release's certificate lacks the checks or digests:\n%s", clipText(got, 1200))
	}
	levels := read(b, chromedp.Evaluate[string](`[...document.querySelectorAll("figure svg.chart desc")].map(d => d.textContent).join("\n")`))
	for q, l := range chosen.Report.Anonymizer.Transformation {
		if !strings.Contains(levels, fmt.Sprintf("%s: %d;", q, l)) {
			t.Errorf("the level chart does not show %s at level %d:\n%s", q, l, levels)
		}
	}
	if lang == "zh" {
		b.shot("workbench-chosen", "workbench-chosen")
	}
}

// waitJobIn reloads the job page until its status reads done (failing
// on any other final state) and returns the job's id.
func (b *tab) waitJobIn(done string) string {
	b.t.Helper()
	loc, _, _ := strings.Cut(read(b, chromedp.Location()), "?")
	deadline := time.Now().Add(3 * time.Minute)
	for {
		b.do(chromedp.Navigate(loc), chromedp.WaitVisible(chromedp.CSS("#job-status")))
		status := b.text("#job-status")
		if status == done {
			return loc[strings.LastIndex(loc, "/")+1:]
		}
		if jobEnded[status] {
			b.t.Fatalf("the job ended %s:\n%s", status, clipText(b.text("main"), 1500))
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the job did not finish within 3 minutes:\n%s", clipText(b.text("main"), 800))
		}
		time.Sleep(time.Second)
	}
}

// apiJob reads a succeeded job's release and its report through the
// API, with the tab's session.
func (b *tab) apiJob(id string) apiJob {
	b.t.Helper()
	body := read(b, chromedp.Evaluate[string](`fetch("/v1/jobs/`+id+`").then(r => r.json()).then(j => fetch("/v1/artifacts/" + j.result.artifact_id)).then(r => r.text())`, chromedp.EvalAwaitPromise))
	var j apiJob
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		b.t.Fatalf("the release of job %s: %v: %s", id, err, clipText(body, 400))
	}
	return j
}

// tabTo presses Tab from the top of the page until the focused element
// matches css, at most n times; it reports whether it got there.
func (b *tab) tabTo(css string, n int) bool {
	b.t.Helper()
	read(b, chromedp.Evaluate[bool](`document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0), true`))
	for range n {
		ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
		err := chromedp.Do(ctx, chromedp.KeyEvent("\t"))
		cancel()
		if err != nil {
			b.t.Fatalf("browser: %v\n%s", err, b.where())
		}
		if read(b, chromedp.Evaluate[bool](`!!document.activeElement && document.activeElement.matches(`+jsString(css)+`)`)) {
			return true
		}
	}
	return false
}

// workbenchPhone opens the workbench, a sample run and a job page at a
// phone's width (390 px): none is wider than the screen.
func workbenchPhone(t *testing.T, w *webWorld) {
	b := w.newTab(t)
	b.do(chromedp.EmulateViewport(390, 844))
	b.login("seller-a", "zh")
	b.open("/ui/seller")
	b.do(chromedp.WaitReady(chromedp.CSS("progress#upload-progress")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{writePatients(t, 400)}),
		chromedp.Click(chromedp.CSS(`form[data-progress] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/deidentify"]`)))
	over := func(what string) {
		if px := read(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`)); px > 0 {
			b.shot("phone-workbench-overflow", "")
			t.Errorf("%s is %d px wider than a 390 px screen", what, px)
		}
	}
	over("the workbench")
	b.markStale()
	b.do(chromedp.Click(chromedp.CSS(`button[name=sample]`)),
		chromedp.WaitVisible(chromedp.CSS(`body:not([data-stale]) #sample`)))
	over("the sample run")
	b.shot("phone-workbench-sample", "workbench-phone")
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/deidentify"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#job-status")))
	b.waitJobIn(workbenchText["zh"].done)
	over("a job page with its report, alternatives and certificate")
}
