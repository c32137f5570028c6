package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// demoGovParties: two Tianjin departments and the big-data bureau that
// coordinates them.
var demoGovParties = []struct {
	key, email, name, code17 string
	role                     market.Role
}{
	{"dept-market", "scjg@tj-gov.demo", "天津市市场监督管理委员会", "11120000MB1234560", market.RoleDepartment},
	{"dept-tax", "sw@tj-gov.demo", "国家税务总局天津市税务局", "11120000MB1234571", market.RoleDepartment},
	{"coordinator", "dsj@tj-gov.demo", "天津市大数据管理中心", "11120000MB1234582", market.RoleCoordinator},
}

// seedGovData seeds the government data side: the departments and the
// coordinator, catalog entries of every sharing and opening class (with
// data), and applications in each state — received, accepted, provided,
// refused, escalated — one of them overdue, and an objection. It is
// skipped when the catalog already holds the demo's entries.
func seedGovData(ctx context.Context, w *demoWorld) error {
	for _, d := range demoGovParties {
		code, ok := market.CreditCodeCheckChar(d.code17)
		if !ok {
			return fmt.Errorf("%s: bad credit code prefix", d.key)
		}
		p := market.Party{Kind: market.PartyOrganization, Type: market.PartyDepartment, Name: d.name, CreditCode: d.code17 + string(code), Jurisdiction: "12"}
		if err := w.seedAccount(ctx, d.key, d.email, d.role, p); err != nil {
			return err
		}
	}
	if _, err := w.gov.Resource(ctx, "TJ-SCJG-0001"); err == nil {
		return nil // seeded by an earlier run
	} else if !errors.Is(err, market.ErrNotFound) {
		return err
	}
	mkt, tax := w.accounts["dept-market"].Actor, w.accounts["dept-tax"].Actor
	res := map[string]*govdata.Resource{}
	for _, e := range demoCatalog {
		r, err := w.gov.CreateResource(ctx, map[bool]market.Actor{true: mkt, false: tax}[e.market], e.r)
		if err != nil {
			return fmt.Errorf("catalog %s: %w", e.r.Code, err)
		}
		owner := map[bool]market.Actor{true: mkt, false: tax}[e.market]
		if err := w.gov.PutData(ctx, owner, r.ID, govdata.Data{Columns: r.FieldNames(), Rows: e.rows}); err != nil {
			return fmt.Errorf("data of %s: %w", e.r.Code, err)
		}
		res[r.Code] = r
	}
	return seedGovApplications(ctx, w, res, mkt, tax)
}

// seedAccount finds or seeds one demo account and issues it a token.
func (w *demoWorld) seedAccount(ctx context.Context, key, email string, role market.Role, p market.Party) error {
	party, uid, err := w.findOrSeed(ctx, email, role, p)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	actor, err := w.app.accounts.ActorOf(ctx, uid, party.ID)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	_, secret, err := w.app.accounts.CreateToken(ctx, actor, "demo "+w.now.Format("2006-01-02 15:04"), 30*24*time.Hour)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	w.accounts[key] = &demoAccount{Key: key, Email: email, Role: role, Party: party, Actor: actor, Token: secret, User: uid}
	w.order = append(w.order, key)
	return nil
}

func seedGovApplications(ctx context.Context, w *demoWorld, res map[string]*govdata.Resource, mkt, tax market.Actor) error {
	buyer := w.accounts["buyer-a"].Actor
	seller := w.accounts["seller-b"].Actor
	year := w.now.In(market.ChinaTime).Year()
	period := func(n govdata.NewApplication) govdata.NewApplication {
		n.PeriodFrom, n.PeriodTo = market.MustDate(fmt.Sprintf("%d-01-01", year)), market.MustDate(fmt.Sprintf("%d-12-31", year+1))
		return n
	}
	cond, credit := res["TJ-SCJG-0003"], res["TJ-SW-0002"]
	sharing := period(govdata.NewApplication{Kind: govdata.KindSharing, ResourceID: cond.ID, Purpose: "纳税人登记信息核验",
		LegalBasis: "《税收征收管理法》第十五条：税务登记", Fields: cond.FieldNames()})
	opening := period(govdata.NewApplication{Kind: govdata.KindOpening, ResourceID: cond.ID, Purpose: "供应链企业资质核验",
		Fields: cond.FieldNames(), WrittenAnswer: true})
	taxShare := period(govdata.NewApplication{Kind: govdata.KindSharing, ResourceID: credit.ID, Purpose: "信用监管分级分类",
		LegalBasis: "《优化营商环境条例》第五十三条", Fields: credit.FieldNames()})

	// overdue: received a month ago, never accepted
	past := govdata.NewService(postgres.NewGovDataStore(w.pool), govdata.Options{Jurisdiction: w.gov.Jurisdiction(),
		Now: func() time.Time { return w.now.AddDate(0, 0, -30) }})
	if _, err := past.Apply(ctx, buyer, opening); err != nil {
		return fmt.Errorf("overdue application: %w", err)
	}
	// received
	if _, err := w.gov.Apply(ctx, tax, sharing); err != nil {
		return fmt.Errorf("received application: %w", err)
	}
	// accepted
	a, err := w.gov.Apply(ctx, seller, opening)
	if err == nil {
		_, err = w.gov.Accept(ctx, mkt, a.ID)
	}
	if err != nil {
		return fmt.Errorf("accepted application: %w", err)
	}
	// provided: an opening approval without resale, and one with
	resale := opening
	resale.Resale = true
	for _, n := range []govdata.NewApplication{opening, resale} {
		a, err := w.gov.Apply(ctx, seller, n)
		if err == nil {
			_, err = w.gov.Provide(ctx, mkt, a.ID, govdata.Answer{Resale: n.Resale})
		}
		if err != nil {
			return fmt.Errorf("provided application: %w", err)
		}
	}
	// refused
	a, err = w.gov.Apply(ctx, mkt, taxShare)
	if err == nil {
		_, err = w.gov.Refuse(ctx, tax, a.ID, govdata.Answer{Reasons: "申请字段超出信用监管履职所需", Basis: "《纳税人涉税保密信息管理暂行办法》第九条"})
	}
	if err != nil {
		return fmt.Errorf("refused application: %w", err)
	}
	// escalated: refused, then disputed by the applicant
	a, err = w.gov.Apply(ctx, tax, sharing)
	if err == nil {
		_, err = w.gov.Refuse(ctx, mkt, a.ID, govdata.Answer{Reasons: "涉及市场主体非公示信息", Basis: "《企业信息公示暂行条例》第十条"})
	}
	if err == nil {
		_, err = w.gov.Escalate(ctx, tax, a.ID, "税务登记核验属法定职责，请求协调")
	}
	if err != nil {
		return fmt.Errorf("escalated application: %w", err)
	}
	// an objection to open data
	if _, err := w.gov.Object(ctx, buyer, govdata.NewObjection{ResourceID: res["TJ-SCJG-0001"].ID, Kind: govdata.ObjectionError,
		Fields: []string{"reg_status"}, Description: "天津滨海示例科技有限公司已注销，目录仍显示存续"}); err != nil {
		return fmt.Errorf("objection: %w", err)
	}
	return nil
}

// demoCatalog: entries of every sharing and opening class.
var demoCatalog = []struct {
	market bool // provided by the market department (else the tax department)
	r      govdata.Resource
	rows   [][]string
}{
	{true, govdata.Resource{Code: "TJ-SCJG-0001", Title: "市场主体登记信息", Description: "全市市场主体的名称、统一社会信用代码、登记状态",
		Fields:       []govdata.Field{{Name: "uscc", Title: "统一社会信用代码"}, {Name: "name", Title: "名称"}, {Name: "reg_status", Title: "登记状态"}},
		SourceSystem: "市场主体登记注册系统", UpdateFrequency: govdata.FreqDaily, Format: "csv",
		ShareClass: govdata.ShareUnconditional, OpenClass: market.OpenUnconditional, Keywords: []string{"企业", "登记", "信用"}},
		[][]string{{"91120116MA05K7HW4D", "天津滨海数据服务有限公司", "存续"}, {"91120118MA06XXXX1A", "天津滨海示例科技有限公司", "存续"}}},
	{true, govdata.Resource{Code: "TJ-SCJG-0002", Title: "行政处罚决定信息", Description: "市场监管领域行政处罚决定书摘要",
		Fields:       []govdata.Field{{Name: "decision_no", Title: "决定书文号"}, {Name: "party_uscc", Title: "当事人代码", Source: "TJ-SCJG-0001"}, {Name: "penalty", Title: "处罚内容"}},
		SourceSystem: "市场监管综合执法系统", UpdateFrequency: govdata.FreqWeekly, Format: "json",
		ShareClass: govdata.ShareUnconditional, OpenClass: market.OpenUnconditional, Keywords: []string{"处罚", "执法"}},
		[][]string{{"津市监罚〔2026〕12号", "91120116MA05K7HW4D", "警告"}}},
	{true, govdata.Resource{Code: "TJ-SCJG-0003", Title: "企业年报社保信息", Description: "企业年度报告中的社保缴纳人数与金额",
		Fields:       []govdata.Field{{Name: "report_uscc", Title: "统一社会信用代码", Source: "TJ-SCJG-0001"}, {Name: "insured", Title: "参保人数"}, {Name: "contribution", Title: "缴费基数"}},
		SourceSystem: "企业信用信息公示系统", UpdateFrequency: govdata.FreqYearly, Format: "csv",
		ShareClass: govdata.ShareConditional, ShareBasis: "《企业信息公示暂行条例》第九条：社保信息由企业选择是否公示",
		OpenClass: market.OpenConditional, OpenBasis: "《企业信息公示暂行条例》第九条；依申请开放", Keywords: []string{"年报", "社保"}},
		[][]string{{"91120116MA05K7HW4D", "58", "6200"}}},
	{true, govdata.Resource{Code: "TJ-SCJG-0004", Title: "投诉举报人信息", Description: "12315 投诉举报人身份与联系方式",
		Fields:       []govdata.Field{{Name: "complainant", Title: "投诉人"}, {Name: "phone", Title: "联系电话"}},
		SourceSystem: "12315 平台", UpdateFrequency: govdata.FreqRealtime, Format: "api",
		ShareClass: govdata.ShareNone, ShareBasis: "《市场监督管理投诉举报处理暂行办法》第三十一条：对举报人信息保密",
		OpenClass: market.OpenNone, OpenBasis: "《个人信息保护法》第十三条", Keywords: []string{"投诉"}},
		[][]string{{"王某", "138****0000"}}},
	{false, govdata.Resource{Code: "TJ-SW-0001", Title: "纳税信用A级纳税人名单", Description: "年度纳税信用评价为A级的纳税人",
		Fields:       []govdata.Field{{Name: "taxpayer_uscc", Title: "纳税人识别号", Source: "TJ-SCJG-0001"}, {Name: "taxpayer_name", Title: "纳税人名称"}, {Name: "grade_year", Title: "评价年度"}},
		SourceSystem: "金税三期", UpdateFrequency: govdata.FreqYearly, Format: "csv",
		ShareClass: govdata.ShareUnconditional, OpenClass: market.OpenUnconditional, Keywords: []string{"纳税信用", "A级"}},
		[][]string{{"91120116MA05K7HW4D", "天津滨海数据服务有限公司", "2025"}}},
	{false, govdata.Resource{Code: "TJ-SW-0002", Title: "纳税信用评价明细", Description: "纳税人纳税信用评价得分与扣分项",
		Fields:       []govdata.Field{{Name: "rated_uscc", Title: "纳税人识别号", Source: "TJ-SCJG-0001"}, {Name: "score", Title: "得分"}, {Name: "deductions", Title: "扣分项"}},
		SourceSystem: "金税三期", UpdateFrequency: govdata.FreqYearly, Format: "csv",
		ShareClass: govdata.ShareConditional, ShareBasis: "《纳税人涉税保密信息管理暂行办法》第九条",
		OpenClass: market.OpenNone, OpenBasis: "《税收征收管理法》第八条：纳税人涉税保密信息", Keywords: []string{"纳税信用"}},
		[][]string{{"91120116MA05K7HW4D", "95", "无"}}},
}
