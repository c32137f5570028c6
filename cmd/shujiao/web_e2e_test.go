package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"
)

// updateScreens rewrites docs/screenshots/{seller,buyer,regulator}.png, the
// README's pictures of each role's main page.
var updateScreens = flag.Bool("update-screenshots", false, "write each role's main page to docs/screenshots/<role>.png")

// chromiumPath finds Debian's chromium (or another Chrome) on PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("the web UI tests need a Chromium browser and none is on PATH: install Debian's chromium package (apt-get install -y chromium), as .ci/run does")
	return ""
}

// webWorld is a demo world served by `shujiao serve` and one headless
// browser driving it.
type webWorld struct {
	base     string
	dir      string // the data directory (platform key, private PostgreSQL)
	password string
	emails   map[string]string // demo account key → email
	pool     *pgxpool.Pool     // the same database, to seed flags and let time pass
	browser  context.Context
}

// TestWeb_Browser drives the /ui/ pages in headless Chromium against a real
// `shujiao serve` over the demo world and its private PostgreSQL: each role
// does its job in the browser, in Chinese (the default) and, for the
// regulator, again in English.
func TestWeb_Browser(t *testing.T) {
	chrome := chromiumPath(t)
	w := startWebWorld(t)
	opts := append([]chromedp.ExecAllocatorOption{},
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("lang", "zh-CN"), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chrome, err)
	}
	w.browser = bctx

	t.Run("a seller uploads, de-identifies and lists a dataset", func(t *testing.T) { sellerPath(t, w) })
	t.Run("a seller is told plainly that the regulator's pages are forbidden", func(t *testing.T) { forbiddenPath(t, w) })
	t.Run("a regulator weighs an Art. 37 flag, orders correction and after the deadline computes a penalty, in Chinese",
		func(t *testing.T) { regulatorPath(t, w, "zh") })
	t.Run("a regulator does the same in English, on pages without Chinese chrome",
		func(t *testing.T) { regulatorPath(t, w, "en") })
	t.Run("a buyer quotes, orders, pays and downloads", func(t *testing.T) { buyerPath(t, w) })
	t.Run("a regulator traces a leaked sample of the buyer's copy to its order", func(t *testing.T) { tracePath(t, w) })
	t.Run("the pages read at phone width without sideways scrolling", func(t *testing.T) { phonePath(t, w) })
}

// startWebWorld seeds the demo (private PostgreSQL under a temporary data
// directory), serves it on a free port and joins its database.
func startWebWorld(t *testing.T) *webWorld {
	t.Helper()
	t.Setenv("DATABASE_URL", "")
	dir := t.TempDir()
	for _, d := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"demo", "--data-dir", dir, "--json"}, nil, &out, &errb); err != nil {
		t.Fatalf("demo: %v\n%s", err, errb.String())
	}
	var demo struct {
		Password string
		Accounts []struct{ Key, Email string }
	}
	if err := json.Unmarshal(out.Bytes(), &demo); err != nil {
		t.Fatalf("demo --json: %v", err)
	}
	w := &webWorld{dir: dir, password: demo.Password, emails: map[string]string{}}
	for _, a := range demo.Accounts {
		w.emails[a.Key] = a.Email
	}
	outR, outW := io.Pipe()
	var serveErr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, nil, outW, &serveErr)
		outW.Close()
	}()
	line, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed no address: %v\n%s", err, serveErr.String())
	}
	go func() { _, _ = io.Copy(io.Discard, outR) }()
	w.base = strings.TrimSpace(strings.TrimPrefix(line, "shujiao serving on "))
	env := &cliEnv{stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv}
	pool, closeDB, err := openDatabase(ctx, env, dir)
	if err != nil {
		t.Fatalf("join the demo database: %v", err)
	}
	w.pool = pool
	t.Cleanup(func() {
		closeDB()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v\n%s", err, serveErr.String())
			}
		case <-time.After(60 * time.Second):
			t.Errorf("serve did not stop within 60 s")
		}
	})
	return w
}

// tab is one browser tab of a subtest, with the subtest's clock.
type tab struct {
	t   *testing.T
	w   *webWorld
	ctx context.Context
}

// newTab opens a tab (each role logs in afresh with login).
func (w *webWorld) newTab(t *testing.T) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(w.browser)
	t.Cleanup(cancel)
	// The first action on a context opens its tab for the context's
	// lifetime: open it here, not under do's per-step timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a browser tab: %v", err)
	}
	return &tab{t: t, w: w, ctx: ctx}
}

// stepTimeout bounds one do call: a page that never shows what a step
// waits for fails the test with the page as it stands.
const stepTimeout = 45 * time.Second

// do runs steps, failing the test with the page's address and text.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v\n%s", err, b.where())
	}
	b.axeCheck()
}

// text returns the visible text of the first element matching css.
func (b *tab) text(css string) string {
	b.t.Helper()
	return read(b, chromedp.Text(chromedp.CSS(css)))
}

// read runs one action that reads a value, within stepTimeout, failing the
// test with the page's address and text.
func read[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v\n%s", err, b.where())
	}
	return v
}

// open navigates to a page of the site.
func (b *tab) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.w.base + path))
}

// login logs in through the form as the demo account key, after clearing
// the cookies (the browser's tabs share them).
func (b *tab) login(key, lang string) {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.ClearBrowserCookies, cdp.Empty{})
		return err
	}))
	b.open("/ui/login?lang=" + lang)
	b.do(chromedp.SendKeys(chromedp.ID("email"), b.w.emails[key]),
		chromedp.SendKeys(chromedp.ID("password"), b.w.password),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/ui/logout"]`)))
}

// shot saves a full-page PNG in the test's artifact directory (kept with
// go test -artifacts), and in docs/screenshots when asked to.
func (b *tab) shot(name, docsName string) {
	b.t.Helper()
	png := read(b, chromedp.FullScreenshot(100))
	if err := os.WriteFile(filepath.Join(b.t.ArtifactDir(), name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if *updateScreens && docsName != "" {
		if err := os.MkdirAll("../../docs/screenshots", 0o755); err != nil {
			b.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("../../docs/screenshots", docsName+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
}

func clipText(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// where tells where the browser is and what the page says, for a failure.
func (b *tab) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	return "at " + loc + "\n" + clipText(body, 1500)
}
