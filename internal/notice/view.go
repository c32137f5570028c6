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

var templates = template.Must(template.New("notice").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).ParseFS(templateFS, "templates/*.html"))

// view is what the templates see: the document with its figures already
// written the Chinese way.
type view struct {
	Kind       Kind
	Title      string
	Doc        Document
	You        string // 你单位 or 你
	Issued     string
	Facts      string
	Correction *correctionView
	Violations []violationView
	Basis      []Basis
	// Totals and Art. 77.
	TotalConfiscation, TotalConfiscationCap string
	TotalFine, TotalFineCap                 string
	Due, DueCap                             string
	AnyFine                                 bool // a fine is imposed (or proposed)
	AnyDue                                  bool // something is to be paid
	NoPenalty                               bool // no violation is penalized
	Hearing                                 bool
	// The notices' period and the decision's remedies.
	Period                            string
	HearingDate, HearingPlace         string
	ReviewBody, Court, PaymentChannel string
	Service                           *serviceView
}

type serviceView struct {
	Document, Number, Method, ServedOn, Receipt, Place string
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
	Index                 string // 一, 二, …
	Breach                string // 《陕西省大数据条例》第三十六条
	Applied               string // 第七十四条
	Product               string
	Trades                string
	TransactionAmount     string
	Confiscation, ConfCap string
	FineApplies           bool
	Penalized             bool
	Fine, FineCap         string
	Range                 string
	Decision              string // 从轻处罚, 减轻处罚, 不予行政处罚…
	DecisionBasis         string
	Factors               string
	Reason                string
	NoFine                string // why no fine
}

func newView(kind Kind, d Document) view {
	v := view{Kind: kind, Title: kind.Title(), Doc: d, You: "你单位", Issued: chineseDate(d.Issued), Facts: d.Facts}
	if d.Party.Kind == "" && d.Penalty != nil {
		v.Doc.Party.Kind = d.Penalty.Party.Kind
	}
	if v.Doc.Party.Kind == market.PartyIndividual {
		v.You = "你"
	}
	v.ReviewBody, v.Court, v.PaymentChannel = d.ReviewBody, d.Court, d.PaymentChannel
	if v.ReviewBody == "" {
		v.ReviewBody = reviewBodyOf(d.Authority)
	}
	if v.Court == "" {
		v.Court = "本机关所在地有管辖权的人民法院"
	}
	if v.PaymentChannel == "" {
		v.PaymentChannel = "本机关指定的银行或者通过电子支付系统"
	}
	if c := d.Correction; c != nil && kind == KindCorrection {
		cv := &correctionView{Workdays: c.Workdays, Requirement: c.Requirement}
		if !c.Deadline.IsZero() { // zero while pending: the working days alone are stated
			cv.Deadline = chineseDate(c.Deadline)
		}
		var br, ap []string
		for _, a := range c.Breaches {
			br, ap = append(br, articleNumber(a.Breached())), append(ap, articleNumber(a.Applied()))
			cv.Art75 = cv.Art75 || a == market.BreachArt37
		}
		cv.Breaches, cv.Penalties = regulation+strings.Join(br, "、"), strings.Join(ap, "、")
		v.Correction = cv
	}
	if s := d.Service; s != nil {
		v.Service = &serviceView{Document: s.Document.Title(), Number: s.Number, Method: market.ServiceMethods[s.Method],
			ServedOn: chineseDate(s.ServedOn), Receipt: s.Receipt, Place: s.Place}
	}
	if p := d.Penalty; p != nil && kind != KindCorrection && kind != KindServiceReceipt {
		v.NoPenalty = true
		for i, vp := range p.Violations {
			vv := newViolationView(i, vp, v.You)
			v.NoPenalty = v.NoPenalty && !vv.Penalized
			v.Violations = append(v.Violations, vv)
		}
		if v.Facts == "" {
			v.Facts = factsOf(p, v.You)
		}
		due := p.TotalFine.Add(p.TotalConfiscation)
		v.TotalConfiscation, v.TotalConfiscationCap = yuan(p.TotalConfiscation), capitals(p.TotalConfiscation)
		v.TotalFine, v.TotalFineCap = yuan(p.TotalFine), capitals(p.TotalFine)
		v.Due, v.DueCap = yuan(due), capitals(due)
		v.AnyFine, v.AnyDue, v.Hearing = !p.TotalFine.IsZero(), !due.IsZero(), p.HearingNotice
		v.Basis = penaltyBasis(kind, p)
		if kind == KindPenaltyDecision && v.NoPenalty {
			v.Title = "不予行政处罚决定书"
		}
		v.Period = periodOf(d.Window)
		if h := d.Hearing; h != nil {
			v.HearingDate, v.HearingPlace = chineseDate(h.Date), h.Place
		}
	}
	return v
}

// periodOf states the five working days and when they start and end.
func periodOf(w *Window) string {
	if w == nil {
		return "自收到本告知书之日起五个工作日内（自收到之日的次日起算，不含法定节假日）"
	}
	if w.End.IsZero() { // pending: the calendar does not cover the year it ends in yet
		return fmt.Sprintf("自收到本告知书之日（%s）起%s个工作日内，即自%s起算（期间开始之日不计算在内，不含法定节假日）",
			chineseDate(w.Served), chineseIndex(w.Workdays), chineseDate(w.Start))
	}
	return fmt.Sprintf("自收到本告知书之日（%s）起%s个工作日内，即自%s起至%s止（期间开始之日不计算在内，不含法定节假日）",
		chineseDate(w.Served), chineseIndex(w.Workdays), chineseDate(w.Start), chineseDate(w.End))
}

// reviewBodyOf names the review body of a market-supervision authority:
// the people's government at its level (行政复议法 Art. 24).
func reviewBodyOf(authority string) string {
	if place, ok := strings.CutSuffix(authority, "市场监督管理局"); ok && place != "" {
		return place + "人民政府"
	}
	return "本机关的本级人民政府"
}

// factsOf writes the facts in Chinese from the violations.
func factsOf(p *market.PenaltyResult, you string) string {
	var parts []string
	for _, v := range p.Violations {
		product := ""
		if v.Product != "" {
			product = "（数据产品编号：" + v.Product + "）"
		}
		what := "交易依法不得交易的数据产品" + product
		if v.Breach == "Shaanxi Art. 37" {
			what = "在数据产品" + product + "交易中对交易条件相同的交易相对人实施不合理的差别待遇，多收价款" + yuan(v.Confiscation)
		}
		parts = append(parts, fmt.Sprintf("%s通过数交平台%s，涉及交易%s，交易金额合计%s，违反了%s%s的规定",
			you, what, strings.Join(v.TradeIDs, "、"), yuan(v.TransactionAmount), regulation, articleNumber(v.Breach)))
	}
	return strings.Join(parts, "；") + "。"
}

func newViolationView(i int, vp market.ViolationPenalty, you string) violationView {
	vv := violationView{
		Index:             chineseIndex(i + 1),
		Breach:            regulation + articleNumber(vp.Breach),
		Applied:           articleNumber(vp.Article),
		Product:           vp.Product,
		Trades:            strings.Join(vp.TradeIDs, "、"),
		TransactionAmount: yuan(vp.TransactionAmount),
		Confiscation:      yuan(vp.Confiscation),
		ConfCap:           capitals(vp.Confiscation),
		FineApplies:       vp.FineApplies,
		Penalized:         vp.Decision == "" || vp.Decision.Penalizes(),
		Fine:              yuan(vp.Fine),
		FineCap:           capitals(vp.Fine),
		Range:             yuan(vp.FineMin) + "至" + yuan(vp.FineMax),
		Decision:          vp.Decision.Chinese(),
		DecisionBasis:     decisionBasisChinese(vp),
		Reason:            vp.DecisionReason,
	}
	if vv.Reason == "" && vp.Override != nil {
		vv.Reason = vp.Override.Reason
	}
	var fs []string
	for _, f := range vp.FactorsUsed {
		if fi, ok := market.LookupFactor(f); ok {
			fs = append(fs, fi.Chinese)
		}
	}
	vv.Factors = strings.Join(fs, "；")
	if !vp.FineApplies {
		if vp.Corrected != nil && *vp.Corrected {
			vv.NoFine = "当事人已改正，依法不予罚款"
		} else {
			vv.NoFine = "责令改正期限内暂不罚款；逾期拒不改正的，依法处一万元以上十万元以下罚款"
		}
	}
	return vv
}

// decisionBasisChinese cites the Administrative Penalty Law article of a decision.
func decisionBasisChinese(vp market.ViolationPenalty) string {
	switch vp.Decision {
	case market.DecisionReduced:
		return apl + "第三十二条"
	case market.DecisionLighter:
		if strings.Contains(vp.DecisionBasis, "Art. 32") {
			return apl + "第三十二条"
		}
		return regulation + articleNumber(vp.Article)
	case market.DecisionNoPenalty:
		if strings.Contains(vp.DecisionBasis, "33(2)") {
			return apl + "第三十三条第二款"
		}
		return apl + "第三十三条第一款"
	case market.DecisionNotEstablished:
		return apl + "第四十条、第五十七条第一款第（三）项"
	case market.DecisionLimitationExpired:
		return apl + "第三十六条"
	}
	return regulation + articleNumber(vp.Article)
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
