package main

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/shujiao/shujiao/internal/pgp"
)

// buyerPath: a buyer registers an OpenPGP public key, finds a product in
// the catalog, asks for a quote with the five transaction conditions (a
// negative quantity is shown next to its field first), orders and pays
// into escrow, downloads the delivery — which decrypts with the buyer's
// private key, carries the platform's signature, and holds the release
// with its certificate — and accepts the order, which settles it.
func buyerPath(t *testing.T, w *webWorld) {
	key, err := pgp.Generate("Web Test Buyer", "web-buyer@example.test")
	if err != nil {
		t.Fatal(err)
	}
	pub, err := key.ArmoredPublic()
	if err != nil {
		t.Fatal(err)
	}
	b := w.newTab(t)
	b.login("buyer-a", "zh")
	b.open("/ui/buyer")
	b.do(chromedp.SetValue(chromedp.CSS("#armored"), string(pub)),
		chromedp.Click(chromedp.CSS(`form[action="/ui/buyer/key"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text("main"); !strings.Contains(got, key.Fingerprint()) {
		t.Fatalf("the buyer's desk does not show the registered key %s", key.Fingerprint())
	}

	b.open("/ui/catalog?q=" + "出行")
	b.do(chromedp.Click(chromedp.CSS(`main article h2 a`)),
		chromedp.WaitVisible(chromedp.CSS(`a.button[href^="/ui/buyer/quote"]`)),
		chromedp.Click(chromedp.CSS(`a.button[href^="/ui/buyer/quote"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-volume")),
		chromedp.SetValue(chromedp.CSS("#f-volume"), "-3"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/buyer/quotes"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#f-volume-err")))
	if got := read(b, chromedp.Value(chromedp.CSS("#f-volume"))); got != "-3" {
		t.Fatalf("after a bad quantity the form kept %q, want -3", got)
	}
	b.do(chromedp.SetValue(chromedp.CSS("#f-volume"), "1"),
		chromedp.Click(chromedp.CSS(`form[action="/ui/buyer/quotes"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#quote-unit-price")),
		chromedp.SendKeys(chromedp.CSS("#usage_purpose"), "物流线路规划的天气风险分析"),
		chromedp.Click(chromedp.CSS("#f-licence_accepted")),
		chromedp.Click(chromedp.CSS(`form[action="/ui/buyer/orders"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#order-state")))
	if got := b.text("#order-state"); got != "已付款（资金托管中）" {
		t.Fatalf("order state %q after ordering, want 已付款（资金托管中） (paid, in escrow)", got)
	}
	b.shot("buyer-order", "")
	waitSealed(b)

	downloads := t.TempDir()
	b.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads})
		return err
	}), chromedp.Click(chromedp.CSS("#download")))
	file := waitDownload(b, downloads)
	platform, err := pgp.LoadPlatformPublicKey(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	plain, err := pgp.Decrypt(f, key, platform)
	if err != nil {
		t.Fatalf("the delivery does not decrypt with the buyer's key under the platform's signature: %v", err)
	}
	names := tarNames(t, plain)
	for _, want := range []string{"certificate.json", "certificate.json.asc", "platform-key.asc"} {
		if !slices.Contains(names, want) {
			t.Fatalf("the delivery holds %v, want %s among them", names, want)
		}
	}

	loc := read(b, chromedp.Location())
	loc, _, _ = strings.Cut(strings.TrimPrefix(loc, w.base), "?")
	b.open(loc)
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/accept"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := b.text("#order-state"); got != "已结算" {
		t.Fatalf("order state %q after acceptance, want 已结算 (settled)", got)
	}
	b.open("/ui/buyer")
	b.shot("buyer-desk", "buyer")
}

// waitDownload waits for the browser to finish a download into dir.
func waitDownload(b *tab, dir string) string {
	t := b.t
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		es, _ := os.ReadDir(dir)
		for _, e := range es {
			if strings.HasSuffix(e.Name(), ".tar.asc") {
				return filepath.Join(dir, e.Name())
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("no delivery was downloaded within 30 s; the browser is %s", b.where())
	return ""
}

// tarNames lists the files of a tar archive.
func tarNames(t *testing.T, b []byte) []string {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(b))
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatalf("the delivery is not a tar archive: %v", err)
		}
		names = append(names, h.Name)
	}
}
