package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (npm axe-core, MPL-2.0, testdata/axe/LICENSE),
// vendored so the browser tests need no network.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeSeen remembers the pages already checked in this test binary: a page
// is its address and its number of elements, so a job page is checked
// again once its report appears, but not at every reload.
var axeSeen sync.Map

// axeResult is what axe.run reports, trimmed to what a failure shows.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any  `json:"target"`
			HTML   string `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// axeRun runs axe-core over the whole document and returns its result as
// JSON (WCAG 2.x A and AA and axe's best practices).
const axeRun = `axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target, html: n.html}))}))}))`

// axeCheck runs axe-core on the page the tab shows, once per page, and
// fails the test on every violation with its rule, impact and nodes.
// Every page every role reaches in the browser tests passes through here
// (do calls it after each step), so zero violations is the bar.
func (b *tab) axeCheck() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	// A step that clicked a link may leave the next page loading: wait
	// for it to settle before reading it.
	var key string
	for range 50 {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`document.readyState === "complete" ? location.href.split("#")[0] + " " + document.getElementsByTagName("*").length : ""`))
		if err == nil && v != "" {
			key = v
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if key == "" || strings.HasPrefix(key, "about:") || strings.Contains(key, "/data.csv") {
		return
	}
	if _, dup := axeSeen.LoadOrStore(key, true); dup {
		return
	}
	url, _, _ := strings.Cut(key, " ")
	var out string
	var err error
	for range 3 {
		out, err = chromedp.Run(ctx, chromedp.Evaluate[string](
			`(typeof axe === "undefined" ? (0, eval)(`+jsString(axeSource)+`) : 0, `+axeRun+`)`, chromedp.EvalAwaitPromise))
		if err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond) // the page navigated under us: read it again
	}
	if err != nil {
		b.t.Errorf("axe-core on %s: %v", url, err)
		return
	}
	var res axeResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		b.t.Errorf("axe-core on %s: %v", url, err)
		return
	}
	for _, v := range res.Violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("%v %s", n.Target, clipText(n.HTML, 200)))
		}
		b.t.Errorf("axe-core on %s: %s (%s) %s:\n  %s", url, v.ID, v.Impact, v.Help, strings.Join(nodes, "\n  "))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
