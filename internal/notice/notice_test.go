package notice

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var cst = time.FixedZone("CST", 8*3600)

// mustCase computes the penalty of a case file's JSON.
func mustCase(tb testing.TB, js string) *market.PenaltyResult {
	tb.Helper()
	c, err := market.ParsePenaltyCase([]byte(js))
	if err != nil {
		tb.Fatal(err)
	}
	r, err := market.ComputePenalty(c)
	if err != nil {
		tb.Fatal(err)
	}
	return &r
}

// exampleDocument is an organization that sold a product holding
// unauthorized data (Art. 36, 12,000 yuan) and overcharged a buyer
// (Art. 37, refused to correct).
func exampleDocument(tb testing.TB) Document {
	tb.Helper()
	issued := time.Date(2026, 9, 30, 10, 0, 0, 0, cst)
	corr, err := NewCorrection(market.DefaultCalendar(), issued, 3, "下架含未依法获得授权数据的数据产品，并向交易相对人退还多收价款。", market.BreachArt36, market.BreachArt37)
	if err != nil {
		tb.Fatal(err)
	}
	return Document{
		Authority:  "西安市市场监督管理局",
		Number:     "西市监罚〔2026〕12号",
		CaseID:     "0192a3b4-0000-7000-8000-000000000001",
		Party:      Party{Name: "陕西某数据科技有限公司", Kind: market.PartyOrganization, CreditCode: "91610000MA6TG0001X", Address: "西安市高新区科技路1号"},
		Issued:     issued,
		Facts:      "2026年8月，通过数交平台交易的数据产品含未依法获得授权的数据；对交易条件相同的交易相对人实施不合理的差别定价。",
		Correction: &corr,
		Evidence: []Evidence{
			{Description: "订单t1、t2的成交记录（交易时间、价款、买方）", Proof: "账本记录 0192a3b4-0000-7000-8000-0000000000a1"},
			{Description: "价格差异检测标记及同等交易条件买方成交价", Proof: "账本记录 0192a3b4-0000-7000-8000-0000000000a2"},
			{Description: "对当事人法定代表人的询问笔录", Proof: "SHA-256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		},
		Window:         &Window{Served: time.Date(2026, 9, 30, 0, 0, 0, 0, cst), Start: time.Date(2026, 10, 1, 0, 0, 0, 0, cst), End: time.Date(2026, 10, 13, 0, 0, 0, 0, cst), Workdays: 5},
		Hearing:        &Hearing{Date: time.Date(2026, 10, 26, 0, 0, 0, 0, cst), Place: "西安市市场监督管理局第一听证室"},
		Reasons:        "当事人陈述已下架涉案数据产品并退还部分多收价款，经复核属实，予以采纳；其主张交易条件不同，未提交证据，不予采纳。",
		ReviewBody:     "西安市人民政府",
		Court:          "西安铁路运输法院",
		PaymentChannel: "中国工商银行西安高新技术产业开发区支行（户名：西安市财政局非税收入汇缴户）或者陕西省非税收入电子缴款系统",
		Service:        &Service{Document: KindPenaltyDecision, Number: "西市监罚〔2026〕12号", Method: "direct", ServedOn: time.Date(2026, 11, 2, 0, 0, 0, 0, cst), Receipt: "当事人委托代理人王某签收", Place: "西安市高新区科技路1号"},
		Penalty: mustCase(tb, `{"party": {"id": "P1", "kind": "organization"}, "violations": [
			{"article": "shaanxi-36", "product": "L-0192", "trades": [{"id": "t1", "amount": "8000.00", "refunded": "500.00"}, {"id": "t2", "amount": "4000.00"}], "factors": ["first_offence", "prompt_correction"]},
			{"article": "shaanxi-37", "trades": [{"id": "t3", "amount": "3000.00", "overcharge": "600.00"}], "corrected": false, "factors": ["repeat"],
			 "override": {"fine": "60000.00", "reason": "多收价款已部分退还"}}]}`),
	}
}

func TestRender_MatchesGoldenFiles(t *testing.T) {
	for _, kind := range Kinds() {
		t.Run("the "+string(kind)+" document matches testdata/"+string(kind)+".golden.html", func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, kind, exampleDocument(t)); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", string(kind)+".golden.html")
			if *update {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/notice -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("%s differs from %s; run go test ./internal/notice -update and review the diff", kind, golden)
			}
		})
	}
}

func TestRender_ShowsTheFiguresAndArticles(t *testing.T) {
	tests := []struct {
		kind Kind
		want []string
	}{
		{KindCorrection, []string{"责令改正通知书", "第三十六条、第三十七条", "第七十四条、第七十五条", "3个工作日内（期限至2026年10月10日止）", "第七十五条的规定处一万元以上十万元以下罚款"}},
		{KindPenaltyNotice, []string{"行政处罚告知书", "人民币叁拾贰万元整", "自收到本告知书之日（2026年9月30日）起五个工作日内，即自2026年10月1日起至2026年10月13日止", "第四十五条", "第八十五条", "证据", "L-0192", "11,500.00元", "320,000.00元", "200,000.00元至1,000,000.00元", "从轻处罚", "初次违法", "60,000.00元", "多收价款已部分退还", "380,000.00元", "12,100.00元", "第七十七条", "有权要求举行听证", "拟没收违法所得"}},
		{KindHearingNotice, []string{"行政处罚听证告知书", "第七十七条", "第六十三条", "自2026年10月1日起至2026年10月13日止", "2026年10月26日", "第一听证室", "七日前通知"}},
		{KindPenaltyDecision, []string{"行政处罚决定书", "本机关决定如下", "380,000.00元", "人民币叁拾捌万元整", "十五日内", "陕西省非税收入电子缴款系统", "百分之三", "不超出罚款的数额", "六十日内向西安市人民政府申请行政复议", "六个月内向西安铁路运输法院提起行政诉讼", "第七十七条", "询问笔录", "予以采纳"}},
		{KindServiceReceipt, []string{"送达回证", "行政处罚决定书（西市监罚〔2026〕12号）", "直接送达", "2026年11月2日", "王某签收"}},
	}
	for _, tt := range tests {
		t.Run("the "+string(tt.kind)+" states its figures and cited articles", func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, tt.kind, exampleDocument(t)); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("%s lacks %q", tt.kind, w)
				}
			}
			if !strings.Contains(buf.String(), "@media print") {
				t.Errorf("%s has no print CSS", tt.kind)
			}
		})
	}
}

func TestRender_ShaanxiArt77_HearingRightsOnlyWhenDue(t *testing.T) {
	d := exampleDocument(t)
	// An organization fined 55,000 under Art. 75 alone: below 200,000.
	d.Penalty = mustCase(t, `{"party": {"id": "P1", "kind": "organization"}, "violations": [
		{"article": "shaanxi-37", "trades": [{"id": "t3", "amount": "3000.00", "overcharge": "600.00"}], "corrected": false}]}`)
	var buf bytes.Buffer
	if err := Render(&buf, KindPenaltyNotice, d); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "有权要求举行听证") {
		t.Errorf("a notice of a 55,000 fine on an organization offers a hearing; Shaanxi Art. 77 does not call for one")
	}
	if !strings.Contains(buf.String(), "陈述和申辩") {
		t.Errorf("the notice lacks the right to state and defend")
	}
}

func TestRender_EscapesInput(t *testing.T) {
	d := exampleDocument(t)
	d.Party.Name = `<script>alert("x")</script>`
	d.Facts = `<img src=x onerror=alert(1)>`
	d.Correction.Requirement = `</p><b>bold</b>`
	for _, kind := range Kinds() {
		t.Run("the "+string(kind)+" escapes the party name and facts", func(t *testing.T) {
			var buf bytes.Buffer
			if err := Render(&buf, kind, d); err != nil {
				t.Fatal(err)
			}
			for _, bad := range []string{"<script>", "<img", "<b>bold"} {
				if strings.Contains(buf.String(), bad) {
					t.Errorf("%s contains unescaped %q", kind, bad)
				}
			}
			if !strings.Contains(buf.String(), "&lt;script&gt;") {
				t.Errorf("%s lacks the escaped party name", kind)
			}
		})
	}
}

func TestRender_RefusesIncompleteDocuments(t *testing.T) {
	tests := []struct {
		name  string
		kind  Kind
		edit  func(*Document)
		field string
	}{
		{"a document without an authority", KindPenaltyNotice, func(d *Document) { d.Authority = "" }, "authority"},
		{"a document without a party name", KindPenaltyDecision, func(d *Document) { d.Party.Name = " " }, "party.name"},
		{"a correction order without its correction", KindCorrection, func(d *Document) { d.Correction = nil }, "correction"},
		{"a penalty notice without the penalty", KindPenaltyNotice, func(d *Document) { d.Penalty = nil }, "penalty"},
		{"an unknown kind", Kind("warning"), func(d *Document) {}, "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused and nothing is written", func(t *testing.T) {
			d := exampleDocument(t)
			tt.edit(&d)
			var buf bytes.Buffer
			err := Render(&buf, tt.kind, d)
			var e *market.Error
			if !errors.As(err, &e) || e.Field != tt.field {
				t.Fatalf("err = %v, want an error on field %q", err, tt.field)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes on error", buf.Len())
			}
		})
	}
}

func TestNewCorrection_DeadlineInWorkingDays(t *testing.T) {
	issued := time.Date(2026, 2, 13, 9, 0, 0, 0, cst)
	c, err := NewCorrection(market.DefaultCalendar(), issued, 2, "", market.BreachArt37)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := chineseDate(c.Deadline), "2026年2月24日"; got != want {
		t.Errorf("2 working days from Fri 13 Feb 2026 = %s, want %s (make-up Sat 14 Feb, then Spring Festival)", got, want)
	}
	if _, err := NewCorrection(market.DefaultCalendar(), time.Date(2026, 12, 30, 9, 0, 0, 0, cst), 5, ""); err == nil {
		t.Errorf("a deadline running into 2027, which the calendar does not cover, gave no error")
	}
}

func TestYuan_GroupsThousands(t *testing.T) {
	for in, want := range map[string]string{"0": "0.00元", "999.5": "999.50元", "1000": "1,000.00元", "1000000": "1,000,000.00元", "-12345.6": "-12,345.60元"} {
		if got := yuan(market.MustMoney(in)); got != want {
			t.Errorf("yuan(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestRender_ShaanxiArt75_NoFineStatesWhy(t *testing.T) {
	tests := []struct{ name, corrected, want string }{
		{"a corrected Art. 37 breach is not fined", "true", "当事人已改正，依法不予罚款"},
		{"a pending Art. 37 correction warns of the fine for refusing", "null", "逾期拒不改正的，依法处一万元以上十万元以下罚款"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := exampleDocument(t)
			d.Penalty = mustCase(t, `{"party": {"id": "P1", "kind": "individual"}, "violations": [
				{"article": "shaanxi-37", "trades": [{"id": "t3", "amount": "3000.00", "overcharge": "600.00"}], "corrected": `+tt.corrected+`}]}`)
			d.Party.Kind = ""
			var buf bytes.Buffer
			if err := Render(&buf, KindPenaltyDecision, d); err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{tt.want, "没收违法所得600.00元（大写：人民币陆佰元整），不予罚款", "你违反"} {
				if !strings.Contains(buf.String(), w) {
					t.Errorf("decision lacks %q", w)
				}
			}
		})
	}
}

// noPenaltyDocument is a first minor Art. 36 violation corrected in time,
// decided without penalty (Administrative Penalty Law Art. 33(1)).
func noPenaltyDocument(tb testing.TB) Document {
	d := exampleDocument(tb)
	d.Penalty = mustCase(tb, `{"party": {"id": "P1", "kind": "organization"}, "violations": [
		{"article": "shaanxi-36", "product": "L-0193", "trades": [{"id": "t9", "amount": "900.00"}], "corrected": true, "harm": "minor",
		 "factors": ["first_offence"], "decision": {"kind": "no_penalty", "reason": "初次违法，危害后果轻微，已于立案前下架"}}]}`)
	d.Facts, d.Reasons = "", ""
	return d
}

func TestRender_NoPenaltyDecision_GoldenAndNoPaymentInstruction(t *testing.T) {
	var buf bytes.Buffer
	if err := Render(&buf, KindPenaltyDecision, noPenaltyDocument(t)); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "penalty-decision-no-penalty.golden.html")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/notice -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("the no-penalty decision differs from %s; run go test ./internal/notice -update and review the diff", golden)
	}
	for _, w := range []string{"不予行政处罚", "第三十三条第一款", "六十日内", "六个月内", "通过数交平台交易依法不得交易的数据产品"} {
		if !strings.Contains(buf.String(), w) {
			t.Errorf("no-penalty decision lacks %q", w)
		}
	}
	for _, bad := range []string{"缴至", "加处罚款", "十五日内"} {
		if strings.Contains(buf.String(), bad) {
			t.Errorf("a decision without fine or confiscation says %q", bad)
		}
	}
}

func TestRender_NeverSaysSuggested(t *testing.T) {
	for _, kind := range Kinds() {
		var buf bytes.Buffer
		if err := Render(&buf, kind, exampleDocument(t)); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "建议") {
			t.Errorf("the %s prints 建议: a document states what the authority proposes or decides", kind)
		}
	}
}

// A period whose last day lies in a year the working-day calendar does not
// cover yet is stated in working days from its start, without a guessed
// last day: the correction order (Shaanxi Art. 74) and the statement and
// hearing window of the penalty notice (APL Art. 64(1), 85).
func TestRender_ShaanxiArt74_APL85_PendingLastDaysAreNotGuessed(t *testing.T) {
	d := exampleDocument(t)
	d.Correction.Deadline = time.Time{}
	d.Window.End = time.Time{}
	for kind, want := range map[Kind]string{
		KindCorrection:    "3个工作日内改正",
		KindPenaltyNotice: "五个工作日内，即自2026年10月1日起算",
	} {
		var buf bytes.Buffer
		if err := Render(&buf, kind, d); err != nil {
			t.Fatalf("%s with a pending last day: %v", kind, err)
		}
		if got := buf.String(); !strings.Contains(got, want) || strings.Contains(got, "期限至") || strings.Contains(got, "1年1月1日") {
			t.Errorf("%s: want %q and no last day", kind, want)
		}
	}
}
