package main

import (
	"time"

	"github.com/chromedp/chromedp"
)

// waitSealed reloads the buyer's order page until it offers the download:
// the delivery is sealed in the background (issue 18), and until then the
// page says it is being sealed.
func waitSealed(b *tab) {
	b.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if read(b, chromedp.Evaluate[bool](`document.querySelector("#download") !== null`)) {
			return
		}
		if !read(b, chromedp.Evaluate[bool](`document.querySelector("#sealing") !== null`)) {
			b.t.Fatalf("the order page offers no download and says nothing of sealing: %s", b.where())
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("the delivery was not sealed within 30 s: %s", b.where())
		}
		time.Sleep(200 * time.Millisecond)
		b.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#order-state")))
	}
}
