package main

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// regulatorWords are what the regulator's pages say in each language.
var regulatorWords = map[string]struct {
	queue, refused, computed, proof string
}{
	"zh": {queue: "风险线索队列", refused: "逾期未改正", computed: "处罚计算结果", proof: "已在本页核验"},
	"en": {queue: "Flag queue", refused: "not corrected by the deadline", computed: "Penalty computed", proof: "Checked on this page"},
}

// regulatorPath: a regulator finds a new Shaanxi Art. 37 flag in the
// queue, reads its evidence and price chart, opens a case, orders
// correction in working days (a missing requirement is shown next to its
// field first), and — once the deadline has passed without correction —
// proceeds to a penalty, computes it, opens the Chinese penalty notice and
// checks the ledger proof of the case.
func regulatorPath(t *testing.T, w *webWorld, lang string) {
	words := regulatorWords[lang]
	flagID := seedPriceFlag(t, w)
	b := w.newTab(t)
	b.login("regulator", lang)
	b.open("/ui/regulator/flags")
	if got := b.text("main h1"); got != words.queue {
		t.Fatalf("queue heading %q, want %q", got, words.queue)
	}
	if lang == "en" {
		assertNoChineseChrome(t, b)
	}
	b.do(chromedp.Click(chromedp.CSS(`a[href="/ui/regulator/flags/`+flagID.String()+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	chart := read(b, chromedp.OuterHTML(chromedp.CSS("svg.chart")))
	if !strings.Contains(chart, "1040.00") || !strings.Contains(chart, "800.00") {
		t.Fatalf("the Art. 37 chart does not show the trade at 1040.00 against the reference 800.00:\n%s", clipText(chart, 600))
	}
	docs := ""
	if lang == "zh" {
		docs = "regulator"
	}
	b.shot("regulator-flag-"+lang, docs)

	b.do(chromedp.Click(chromedp.CSS(`form[action="/ui/regulator/cases"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/decision"]`)),
		chromedp.SetValue(chromedp.CSS("#workdays"), "5"),
		chromedp.Click(chromedp.CSS(`form[action$="/decision"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#requirement-err")))
	if got := read(b, chromedp.Value(chromedp.CSS("#workdays"))); got != "5" {
		t.Fatalf("after a missing requirement the form kept workdays %q, want 5", got)
	}
	b.do(chromedp.SendKeys(chromedp.CSS("#requirement"), "按价格方案对同等交易条件的买方统一定价，退还多收款项。"),
		chromedp.Click(chromedp.CSS(`form[action$="/decision"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#correction")))
	loc := read(b, chromedp.Location())
	caseID := uuid.MustParse(regexp.MustCompile(`/cases/([0-9a-f-]{36})`).FindStringSubmatch(loc)[1])

	if lang == "en" {
		sellerContests(t, w, caseID)
		b.login("regulator", lang)
	}
	passDeadline(t, w, caseID)
	b.open("/ui/regulator/cases/" + caseID.String())
	if got := b.text("main"); !strings.Contains(got, words.refused) {
		t.Fatalf("after the deadline the case does not say %q:\n%s", words.refused, clipText(got, 1500))
	}
	b.do(chromedp.Click(chromedp.CSS("#act-pen")),
		chromedp.SendKeys(chromedp.CSS("#reason"), "逾期未改正"),
		chromedp.Click(chromedp.CSS(`form[action$="/decision"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/penalty"]`)),
		chromedp.Click(chromedp.CSS(`[id="f-shaanxi-37-first_offence"]`)),
		chromedp.SendKeys(chromedp.CSS(`[id="of-shaanxi-37"]`), "99999999.00"),
		chromedp.SendKeys(chromedp.CSS(`[id="or-shaanxi-37"]`), "情节严重"),
		chromedp.Click(chromedp.CSS(`form[action$="/penalty"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[id="of-shaanxi-37-err"]`)))
	b.clear("of-shaanxi-37")
	b.clear("or-shaanxi-37")
	b.do(chromedp.Click(chromedp.CSS(`form[action$="/penalty"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#penalty-result")))
	if got := b.text("main"); !strings.Contains(got, words.computed) {
		t.Fatalf("the case does not show the penalty computed:\n%s", clipText(got, 1500))
	}
	b.shot("regulator-penalty-"+lang, "")

	b.do(chromedp.Click(chromedp.CSS(`a[href$="/documents/penalty-notice"]`)),
		chromedp.WaitReady(chromedp.CSS("body")))
	if got := b.text("body"); !strings.Contains(got, "行政处罚告知书") {
		t.Fatalf("the penalty notice is not the Chinese document:\n%s", clipText(got, 800))
	}
	b.shot("regulator-notice-"+lang, "")

	b.open("/ui/regulator/cases/" + caseID.String())
	b.do(chromedp.Click(chromedp.CSS(`a[href^="/ui/regulator/ledger/"]`)),
		chromedp.WaitVisible(chromedp.CSS(".badge")))
	if got := b.text(".badge"); !strings.HasPrefix(got, words.proof) {
		t.Fatalf("the ledger proof page says %q, want it verified", got)
	}
}

// sellerContests: the seller reads the correction order on its desk and
// contests it — first without a statement, which the form asks for next
// to the field. Contesting does not stop the deadline (Shaanxi Art. 75).
func sellerContests(t *testing.T, w *webWorld, caseID uuid.UUID) {
	t.Helper()
	var orderID uuid.UUID
	if err := w.pool.QueryRow(context.Background(), `SELECT id FROM correction_orders WHERE case_id = $1`, caseID).Scan(&orderID); err != nil {
		t.Fatalf("correction order of case %s: %v", caseID, err)
	}
	s := w.newTab(t)
	s.login("seller-a", "en")
	s.open("/ui/seller/cases")
	form := `form[action="/ui/seller/correction-orders/` + orderID.String() + `/response"]`
	s.do(chromedp.Click(chromedp.CSS(`[id="r-`+orderID.String()+`-contest"]`)),
		chromedp.Click(chromedp.CSS(form+" button")),
		chromedp.WaitVisible(chromedp.CSS(".field-error")),
		chromedp.SendKeys(chromedp.CSS(`[id="s-`+orderID.String()+`"]`), "The 1,040.00 price followed an agreed custom report."),
		chromedp.Click(chromedp.CSS(form+" button")),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := s.text("main"); !strings.Contains(got, "contested") {
		t.Fatalf("the seller's desk does not show the order contested:\n%s", clipText(got, 1200))
	}
	s.shot("seller-contests", "")
}

// seedPriceFlag raises a new open Art. 37 flag against the demo seller,
// with the evidence of the flag the demo's detector run raised.
func seedPriceFlag(t *testing.T, w *webWorld) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	flags, err := postgres.ListFlags(ctx, w.pool, market.FlagFilter{Rule: market.RuleShaanxi37, Limit: 1})
	if err != nil || len(flags) == 0 {
		t.Fatalf("the demo has no Art. 37 flag to copy (err %v)", err)
	}
	src := flags[0]
	f := &market.Flag{Rule: src.Rule, Article: src.Article, Kind: src.Kind, PartyID: src.PartyID, ListingID: src.ListingID,
		Summary: src.Summary, Evidence: src.Evidence, CreatedAt: time.Now().UTC()}
	if err := postgres.InTx(ctx, w.pool, func(tx pgx.Tx) error { return postgres.RaiseFlag(ctx, tx, f) }); err != nil {
		t.Fatalf("raise an Art. 37 flag: %v", err)
	}
	return f.ID
}

// passDeadline moves the case's correction order 90 days into the past,
// as if the deadline had passed without a response.
func passDeadline(t *testing.T, w *webWorld, caseID uuid.UUID) {
	t.Helper()
	tag, err := w.pool.Exec(context.Background(),
		`UPDATE correction_orders SET issued_at = issued_at - interval '90 days', deadline = deadline - 90 WHERE case_id = $1`, caseID)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("move the correction order of case %s into the past: %v (%d rows)", caseID, err, tag.RowsAffected())
	}
}

// han matches a Chinese character.
var han = regexp.MustCompile(`\p{Han}`)

// assertNoChineseChrome checks that an English page has no Chinese in its
// navigation, headings, labels, buttons and table headers (data such as a
// party's registered name stays as registered).
func assertNoChineseChrome(t *testing.T, b *tab) {
	t.Helper()
	text := read(b, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll("header, h1, label, button, th, caption, option, footer")).map(e => e.innerText).join("\n")`))
	for _, line := range strings.Split(text, "\n") {
		if han.MatchString(line) && line != "中文" {
			t.Fatalf("the English page has Chinese in its chrome: %q", line)
		}
	}
}

// clear empties the form control with id.
func (b *tab) clear(id string) {
	b.t.Helper()
	read(b, chromedp.Evaluate[bool](`(function(e){ e.value = ""; return true })(document.getElementById("`+id+`"))`))
}
