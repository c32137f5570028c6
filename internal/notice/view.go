package notice

import (
	"embed"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/shujiao/shujiao/market"
)

//go:embed templates/*.html
var templateFS embed.FS

var templates = template.Must(template.New("notice").ParseFS(templateFS, "templates/*.html"))

// view is what the templates see: the document with its figures already
// written the Chinese way.
type view struct {
	Kind       Kind
	Title      string
	Doc        Document
	You        string // 你单位 or 你
	Issued     string
	Correction *correctionView
	Violations []violationView
	// Totals and Art. 77.
	TotalConfiscation string
	TotalFine         string
	AnyFine           bool // false when no violation is fined
	Hearing           bool
}

type correctionView struct {
	Breaches    string // 《陕西省大数据条例》第三十六条、第三十七条
	Penalties   string // 第七十四条、第七十五条
	Workdays    int
	Deadline    string
	Requirement string
	Art75       bool // warn of the fine for refusing to correct
}

type violationView struct {
	Index             string // 一, 二, …
	Breach            string // 《陕西省大数据条例》第三十六条
	Applied           string // 第七十四条
	Trades            string
	TransactionAmount string
	Confiscation      string
	FineApplies       bool
	Fine              string
	Range             string
	Discretion        string
	Factors           string
	Recommended       string
	OverrideReason    string
	NoFine            string // why Art. 75 imposes no fine
}

func newView(kind Kind, d Document) view {
	v := view{Kind: kind, Title: kind.Title(), Doc: d, You: "你单位", Issued: chineseDate(d.Issued)}
	if d.Party.Kind == "" && d.Penalty != nil {
		v.Doc.Party.Kind = d.Penalty.Party.Kind
	}
	if v.Doc.Party.Kind == market.PartyIndividual {
		v.You = "你"
	}
	if c := d.Correction; c != nil && kind == KindCorrection {
		cv := &correctionView{Workdays: c.Workdays, Deadline: chineseDate(c.Deadline), Requirement: c.Requirement}
		var br, ap []string
		for _, a := range c.Breaches {
			br, ap = append(br, articleNumber(a.Breached())), append(ap, articleNumber(a.Applied()))
			cv.Art75 = cv.Art75 || a == market.BreachArt37
		}
		cv.Breaches, cv.Penalties = regulation+strings.Join(br, "、"), strings.Join(ap, "、")
		v.Correction = cv
	}
	if p := d.Penalty; p != nil && kind != KindCorrection {
		for i, vp := range p.Violations {
			v.Violations = append(v.Violations, newViolationView(i, vp))
		}
		v.TotalConfiscation, v.TotalFine, v.Hearing = yuan(p.TotalConfiscation), yuan(p.TotalFine), p.HearingNotice
		v.AnyFine = !p.TotalFine.IsZero()
	}
	return v
}

func newViolationView(i int, vp market.ViolationPenalty) violationView {
	vv := violationView{
		Index:             chineseIndex(i + 1),
		Breach:            regulation + articleNumber(vp.Breach),
		Applied:           articleNumber(vp.Article),
		Trades:            strings.Join(vp.TradeIDs, "、"),
		TransactionAmount: yuan(vp.TransactionAmount),
		Confiscation:      yuan(vp.Confiscation),
		FineApplies:       vp.FineApplies,
		Fine:              yuan(vp.Fine),
		Range:             yuan(vp.FineMin) + "至" + yuan(vp.FineMax),
		Discretion:        vp.Discretion.Chinese(),
		Recommended:       yuan(vp.FineRecommended),
	}
	var fs []string
	for _, f := range vp.FactorsUsed {
		if fi, ok := market.LookupFactor(f); ok {
			fs = append(fs, fi.Chinese)
		}
	}
	vv.Factors = strings.Join(fs, "；")
	if vp.Override != nil {
		vv.OverrideReason = vp.Override.Reason
	}
	if !vp.FineApplies {
		if vp.Corrected != nil && *vp.Corrected {
			vv.NoFine = "当事人已改正，依法不予罚款"
		} else {
			vv.NoFine = "责令改正期限内暂不罚款；逾期拒不改正的，依法处一万元以上十万元以下罚款"
		}
	}
	return vv
}

// regulation is how a document names the Shaanxi regulation.
const regulation = "《陕西省大数据条例》"

// articleNumber turns "Shaanxi Art. 74" into "第七十四条".
func articleNumber(cite string) string {
	n := 0
	if _, err := fmt.Sscanf(cite, "Shaanxi Art. %d", &n); err != nil || n <= 0 || n >= 100 {
		return cite
	}
	return "第" + chineseIndex(n) + "条"
}

// chineseIndex writes 1–99 in Chinese numerals (一, 十二, 七十四).
func chineseIndex(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// chineseDate writes t as 2026年10月8日.
func chineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// yuan writes m as 1,000,000.00元.
func yuan(m market.Money) string {
	s := m.String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String() + "." + frac + "元"
	if neg {
		out = "-" + out
	}
	return out
}
