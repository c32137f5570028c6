package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// govWorld is a catalog over a test database: two departments, the
// big-data bureau, an enterprise, and a clock the test moves.
type govWorld struct {
	t                        *testing.T
	ctx                      context.Context
	pool                     *pgxpool.Pool
	svc                      *govdata.Service
	now                      time.Time
	acc                      *market.Accounts
	market, tax, bureau, biz market.Actor
	seq                      int
}

// creditCode returns a valid unified social credit code from its first 17
// characters (GB 32100-2015).
func creditCode(tb testing.TB, first17 string) string {
	tb.Helper()
	c, ok := market.CreditCodeCheckChar(first17)
	if !ok {
		tb.Fatalf("credit code prefix %q", first17)
	}
	return first17 + string(c)
}

func mustGovWorld(t *testing.T, j govdata.Jurisdiction, start string) *govWorld {
	t.Helper()
	pool := pgtest.NewDB(t)
	w := &govWorld{t: t, ctx: context.Background(), pool: pool}
	w.now = cstTime(t, start)
	w.acc = market.NewAccounts(postgres.NewAccountStore(pool), market.AccountsOptions{Password: market.PasswordParams{Time: 1, Memory: 8 * 1024, Threads: 1}})
	w.svc = govdata.NewService(postgres.NewGovDataStore(pool), govdata.Options{Jurisdiction: j, Now: func() time.Time { return w.now }})
	w.market = w.actor("天津市市场监督管理委员会", market.PartyDepartment, market.RoleDepartment, "11120000MB1A2B3C4")
	w.tax = w.actor("天津市税务局", market.PartyDepartment, market.RoleDepartment, "11120000MB1A2B3C5")
	w.bureau = w.actor("天津市大数据管理中心", market.PartyDepartment, market.RoleCoordinator, "11120000MB1A2B3C6")
	w.biz = w.actor("天津滨海征信有限公司", market.PartyParticipant, market.RoleSeller, "91120116MA05K7HW4")
	return w
}

func cstTime(tb testing.TB, s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, market.ChinaTime)
	if err != nil {
		tb.Fatal(err)
	}
	return t.UTC()
}

func (w *govWorld) actor(name string, typ market.PartyType, role market.Role, code17 string) market.Actor {
	w.t.Helper()
	return w.actorIn("12", name, typ, role, code17)
}

func (w *govWorld) actorIn(jurisdiction, name string, typ market.PartyType, role market.Role, code17 string) market.Actor {
	w.t.Helper()
	w.seq++
	p, u, err := w.acc.Seed(w.ctx, market.Registration{
		Party: market.Party{Kind: market.PartyOrganization, Type: typ, Name: name, CreditCode: creditCode(w.t, code17), Jurisdiction: jurisdiction},
		User:  market.NewUser{Email: fmt.Sprintf("user%d@gov.test", w.seq), Name: name, Password: "a long enough password"},
		Roles: []market.Role{role}})
	if err != nil {
		w.t.Fatalf("seed %s: %v", name, err)
	}
	a, err := w.acc.ActorOf(w.ctx, u.ID, p.ID)
	if err != nil {
		w.t.Fatal(err)
	}
	return a
}

// resource catalogs a resource of the market department with the classes.
func (w *govWorld) resource(code string, share govdata.ShareClass, open market.OpenClass, fields ...govdata.Field) *govdata.Resource {
	w.t.Helper()
	if len(fields) == 0 {
		fields = []govdata.Field{{Name: "f_" + strings.ToLower(strings.NewReplacer("-", "_", ".", "_").Replace(code)), Title: "名称"}}
	}
	r, err := w.svc.CreateResource(w.ctx, w.market, govdata.Resource{Code: code, Title: "资源 " + code, Fields: fields,
		SourceSystem: "市场主体登记系统", UpdateFrequency: govdata.FreqDaily, Format: "csv",
		ShareClass: share, ShareBasis: basisFor(share != govdata.ShareUnconditional), OpenClass: open, OpenBasis: basisFor(open != market.OpenUnconditional)})
	if err != nil {
		w.t.Fatalf("catalog %s: %v", code, err)
	}
	return r
}

func basisFor(restricted bool) string {
	if restricted {
		return "《企业信息公示暂行条例》第十条"
	}
	return ""
}

func (w *govWorld) apply(a market.Actor, kind govdata.Kind, r *govdata.Resource, resale bool) *govdata.Application {
	w.t.Helper()
	n := govdata.NewApplication{Kind: kind, ResourceID: r.ID, Purpose: "企业信用评估", Fields: r.FieldNames(),
		PeriodFrom: market.MustDate("2026-01-01"), PeriodTo: market.MustDate("2026-12-31"), Resale: resale}
	if kind == govdata.KindSharing {
		n.LegalBasis = "税收征收管理法第五条：税务登记核验"
	}
	app, err := w.svc.Apply(w.ctx, a, n)
	if err != nil {
		w.t.Fatalf("apply: %v", err)
	}
	return app
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var me *market.Error
	if !errors.As(err, &me) || me.Code != code {
		t.Fatalf("error %v, want code %s", err, code)
	}
}

// ledgerKinds returns the ledger event kinds about subject, in order.
func ledgerKinds(t *testing.T, pool *pgxpool.Pool, subject uuid.UUID) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT kind FROM ledger_entries WHERE subject_id = $1 ORDER BY at, id`, subject)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

func TestGovData_CatalogClassesNeedTheirBasisAndOneSourcePerDatum(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-03-02 09:00")
	w.resource("TJ-SCJ-0001", govdata.ShareUnconditional, market.OpenUnconditional, govdata.Field{Name: "credit_code", Title: "统一社会信用代码"})

	t.Run("Tianjin Art. 16: a conditional sharing class without its legal basis is refused", func(t *testing.T) {
		_, err := w.svc.CreateResource(w.ctx, w.market, govdata.Resource{Code: "TJ-SCJ-0002", Title: "x", Fields: []govdata.Field{{Name: "a"}},
			SourceSystem: "s", UpdateFrequency: govdata.FreqDaily, Format: "csv", ShareClass: govdata.ShareConditional, OpenClass: market.OpenUnconditional})
		wantCode(t, err, "missing_basis")
	})
	t.Run("Shaanxi Art. 26: a second source for one datum is refused", func(t *testing.T) {
		_, err := w.svc.CreateResource(w.ctx, w.tax, govdata.Resource{Code: "TJ-SW-0001", Title: "纳税人", Fields: []govdata.Field{{Name: "credit_code"}},
			SourceSystem: "金税", UpdateFrequency: govdata.FreqDaily, Format: "csv", ShareClass: govdata.ShareUnconditional, OpenClass: market.OpenUnconditional})
		wantCode(t, err, "datum_has_source")
	})
	t.Run("Shaanxi Art. 26: citing the datum's source is accepted", func(t *testing.T) {
		_, err := w.svc.CreateResource(w.ctx, w.tax, govdata.Resource{Code: "TJ-SW-0001", Title: "纳税人", Fields: []govdata.Field{{Name: "credit_code", Source: "TJ-SCJ-0001"}, {Name: "tax_grade"}},
			SourceSystem: "金税", UpdateFrequency: govdata.FreqMonthly, Format: "csv", ShareClass: govdata.ShareUnconditional, OpenClass: market.OpenUnconditional})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("Tianjin Art. 10: a revision is a new version with its reason; another department may not revise", func(t *testing.T) {
		cur, err := w.svc.Resource(w.ctx, "TJ-SCJ-0001")
		if err != nil {
			t.Fatal(err)
		}
		next := *cur
		next.UpdateFrequency = govdata.FreqRealtime
		if _, err := w.svc.UpdateResource(w.ctx, w.tax, cur.ID, next, "改为实时"); !errors.Is(err, market.ErrForbidden) {
			t.Fatalf("another department revised the entry: %v", err)
		}
		got, err := w.svc.UpdateResource(w.ctx, w.market, cur.ID, next, "改为实时更新")
		if err != nil || got.Version != 2 || got.UpdateFrequency != govdata.FreqRealtime {
			t.Fatalf("revise: %v %+v", err, got)
		}
		vs, err := w.svc.Versions(w.ctx, "TJ-SCJ-0001")
		if err != nil || len(vs) != 2 || vs[0].Resource.UpdateFrequency != govdata.FreqDaily || vs[1].Reason != "改为实时更新" {
			t.Fatalf("versions %v %+v", err, vs)
		}
	})
	t.Run("only department staff catalog resources", func(t *testing.T) {
		_, err := w.svc.CreateResource(w.ctx, w.biz, govdata.Resource{Code: "X-1"})
		if !errors.Is(err, market.ErrForbidden) {
			t.Fatalf("an enterprise catalogued a resource: %v", err)
		}
	})
	t.Run("search finds resources by field title and class", func(t *testing.T) {
		got, total, err := w.svc.Search(w.ctx, govdata.Query{Q: "信用代码", OpenClass: market.OpenUnconditional})
		if err != nil || total != 1 || got[0].Code != "TJ-SCJ-0001" || got[0].DepartmentName != "天津市市场监督管理委员会" {
			t.Fatalf("search: %v %d %+v", err, total, got)
		}
	})
}

func TestGovData_DownloadByClass(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-03-02 09:00")
	open := w.resource("TJ-OPEN", govdata.ShareUnconditional, market.OpenUnconditional)
	shared := w.resource("TJ-SHARE", govdata.ShareUnconditional, market.OpenNone)
	closed := w.resource("TJ-CLOSED", govdata.ShareConditional, market.OpenConditional)
	for _, r := range []*govdata.Resource{open, shared, closed} {
		if err := w.svc.PutData(w.ctx, w.market, r.ID, govdata.Data{Columns: r.FieldNames(), Rows: [][]string{{"甲"}, {"乙"}}}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("Tianjin Art. 22: unconditionally open data downloads without an account", func(t *testing.T) {
		_, d, err := w.svc.Download(w.ctx, nil, "TJ-OPEN")
		if err != nil || len(d.Rows) != 2 {
			t.Fatalf("anonymous download: %v", err)
		}
	})
	t.Run("Tianjin Art. 22: data not open unconditionally asks for an account", func(t *testing.T) {
		_, _, err := w.svc.Download(w.ctx, nil, "TJ-SHARE")
		if !errors.Is(err, market.ErrUnauthenticated) {
			t.Fatalf("anonymous download of shared-only data: %v", err)
		}
	})
	t.Run("Tianjin Art. 16: any department obtains unconditionally shared data, in the ledger", func(t *testing.T) {
		if _, _, err := w.svc.Download(w.ctx, &w.tax, "TJ-SHARE"); err != nil {
			t.Fatal(err)
		}
		if got := ledgerKinds(t, w.pool, uuid.UUID(shared.ID)); got[len(got)-1] != "govdata.data_obtained" {
			t.Fatalf("ledger %v", got)
		}
	})
	t.Run("Tianjin Art. 17: conditionally shared data needs an approval", func(t *testing.T) {
		_, _, err := w.svc.Download(w.ctx, &w.tax, "TJ-CLOSED")
		wantCode(t, err, "approval_required")
	})
	t.Run("Tianjin Art. 23: an enterprise without approval is refused conditionally open data", func(t *testing.T) {
		_, _, err := w.svc.Download(w.ctx, &w.biz, "TJ-CLOSED")
		wantCode(t, err, "approval_required")
	})
}

// TestGovData_TianjinSharingClock: received, accepted on the day before
// National Day, due two working days later (9 Oct); answered at 23:59
// that day on time; every step in the ledger.
func TestGovData_TianjinSharingClock(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-09-29 10:00")
	r := w.resource("TJ-SCJ-0100", govdata.ShareConditional, market.OpenNone)
	app := w.apply(w.tax, govdata.KindSharing, r, false)
	if app.DueBy != nil || app.AcceptBy == nil || govdata.DueDate(*app.AcceptBy) != "2026-09-30" {
		t.Fatalf("Tianjin Art. 17: before acceptance no answer clock, acceptance by 30 Sep; got due %v accept %v", app.DueBy, app.AcceptBy)
	}
	if _, err := w.svc.Provide(w.ctx, w.tax, app.ID, govdata.Answer{}); !errors.Is(err, market.ErrForbidden) {
		t.Fatalf("the applicant answered its own application: %v", err)
	}
	w.now = cstTime(t, "2026-09-30 16:00")
	app, err := w.svc.Accept(w.ctx, w.market, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	if app.DueDate != "2026-10-09" {
		t.Fatalf("Tianjin Art. 17: accepted 30 Sep, due %s, want 2026-10-09 (National Day skipped)", app.DueDate)
	}
	w.now = cstTime(t, "2026-10-09 23:59")
	if got, _ := w.svc.Applications(w.ctx, w.bureau, true); len(got) != 0 {
		t.Fatalf("overdue at 23:59 on the last day: %d", len(got))
	}
	if _, err := w.svc.Refuse(w.ctx, w.market, app.ID, govdata.Answer{Reasons: "涉及商业秘密"}); err == nil {
		t.Fatal("Tianjin Art. 17: a refusal without its basis was accepted")
	}
	app, err = w.svc.Provide(w.ctx, w.market, app.ID, govdata.Answer{ValidTo: market.MustDate("2026-06-30")})
	if err != nil {
		t.Fatal(err)
	}
	if app.State != govdata.StateProvided || !app.AnsweredOnTime() {
		t.Fatalf("answered at 23:59 on the due day: state %s on time %v", app.State, app.AnsweredOnTime())
	}
	ap, err := w.svc.Approval(w.ctx, w.tax, app.ApprovalID)
	if err != nil || ap.ValidTo.String() != "2026-06-30" || ap.Resale {
		t.Fatalf("approval %+v: %v", ap, err)
	}
	want := []string{"govdata.application_received", "govdata.application_accepted", "govdata.application_provided"}
	if got := ledgerKinds(t, w.pool, app.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ledger %v, want %v", got, want)
	}
}

// TestGovData_MunicipalClocks: sharing due five working days after
// receipt (Art. 20), opening fifteen (Art. 26); an unanswered one is on
// the coordinator's overdue queue from midnight after its last day.
func TestGovData_MunicipalClocks(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionMunicipal, "2026-09-30 09:00")
	r := w.resource("M-0001", govdata.ShareConditional, market.OpenConditional)
	share := w.apply(w.tax, govdata.KindSharing, r, false)
	open := w.apply(w.biz, govdata.KindOpening, r, true)
	if share.DueDate != "2026-10-13" || open.DueDate != "2026-10-27" {
		t.Fatalf("Municipal Art. 20/26: due %s and %s, want 2026-10-13 and 2026-10-27", share.DueDate, open.DueDate)
	}
	w.now = cstTime(t, "2026-10-13 23:59")
	if got, _ := w.svc.Applications(w.ctx, w.bureau, true); len(got) != 0 {
		t.Fatalf("Municipal Art. 20: overdue before the deadline: %d", len(got))
	}
	w.now = cstTime(t, "2026-10-14 00:00")
	got, err := w.svc.Applications(w.ctx, w.bureau, true)
	if err != nil || len(got) != 1 || got[0].ID != share.ID {
		t.Fatalf("Municipal Art. 20: the overdue queue holds %d (%v)", len(got), err)
	}
	if _, err := w.svc.Applications(w.ctx, w.biz, true); err != nil {
		t.Fatal(err)
	}
	stats, err := w.svc.Statistics(w.ctx, w.bureau)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stats {
		if s.DepartmentID == w.market.PartyID && (s.Applications != 2 || s.Overdue != 1 || s.Resources != 1) {
			t.Fatalf("Shaanxi Art. 24: statistics %+v", s)
		}
	}
	if _, err := w.svc.Statistics(w.ctx, w.market); !errors.Is(err, market.ErrForbidden) {
		t.Fatalf("a department read the coordinator's statistics: %v", err)
	}
}

// TestGovData_EscalationAndCoordinatorDecision: Tianjin Art. 17 — the
// applicant department disputes a refusal; the bureau decides.
func TestGovData_EscalationAndCoordinatorDecision(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-03-02 09:00")
	r := w.resource("TJ-ESC", govdata.ShareConditional, market.OpenConditional)
	app := w.apply(w.tax, govdata.KindSharing, r, false)
	app, err := w.svc.Refuse(w.ctx, w.market, app.ID, govdata.Answer{Reasons: "超出履职需要", Basis: "《数据安全法》第三十八条"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Decide(w.ctx, w.bureau, app.ID, true, govdata.Answer{}); err == nil {
		t.Fatal("the bureau decided an application nobody escalated")
	}
	if _, err = w.svc.Escalate(w.ctx, w.tax, app.ID, "稽查职责确需"); err != nil {
		t.Fatal(err)
	}
	opening := w.apply(w.biz, govdata.KindOpening, r, false)
	if _, err := w.svc.Escalate(w.ctx, w.market, opening.ID, "x"); err == nil {
		t.Fatal("an opening application went to the coordinator")
	}
	if _, err := w.svc.Decide(w.ctx, w.market, app.ID, true, govdata.Answer{}); !errors.Is(err, market.ErrForbidden) {
		t.Fatalf("a department decided as coordinator: %v", err)
	}
	shaanxi := w.actorIn("61", "陕西省大数据局", market.PartyDepartment, market.RoleCoordinator, "11610000MB1A2B3C7")
	if _, err := w.svc.Decide(w.ctx, shaanxi, app.ID, true, govdata.Answer{}); !errors.Is(err, market.ErrForbidden) {
		t.Fatalf("another jurisdiction's coordinator decided: %v", err)
	}
	app, err = w.svc.Decide(w.ctx, w.bureau, app.ID, true, govdata.Answer{})
	if err != nil || app.State != govdata.StateProvided || !app.DecidedByCoordinator {
		t.Fatalf("decide: %v %+v", err, app)
	}
	want := []string{"govdata.application_received", "govdata.application_accepted", "govdata.application_refused", "govdata.application_escalated", "govdata.application_provided"}
	got := ledgerKinds(t, w.pool, app.ID)
	// accept and refuse of an unaccepted application share one ledger event
	if fmt.Sprint(got) != fmt.Sprint([]string{want[0], want[2], want[3], want[4]}) {
		t.Fatalf("ledger %v", got)
	}
	if _, err := w.svc.Apply(w.ctx, w.tax, govdata.NewApplication{Kind: govdata.KindSharing, ResourceID: r.ID, Purpose: "p", LegalBasis: "b",
		Fields: r.FieldNames(), PeriodFrom: market.MustDate("2026-01-01"), PeriodTo: market.MustDate("2026-02-01"), Resale: true}); err == nil {
		t.Fatal("Tianjin Art. 18: a sharing application asked for resale and was received")
	}
}

// TestGovData_ObjectionCorrectedAgainstTheVersion: Shaanxi Art. 27.
func TestGovData_ObjectionCorrectedAgainstTheVersion(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-09-29 10:00")
	r := w.resource("TJ-OBJ", govdata.ShareUnconditional, market.OpenUnconditional)
	o, err := w.svc.Object(w.ctx, w.biz, govdata.NewObjection{ResourceID: r.ID, Kind: govdata.ObjectionError, Fields: r.FieldNames(), Description: "名称有误"})
	if err != nil {
		t.Fatal(err)
	}
	if o.VerifyBy == nil || govdata.DueDate(*o.VerifyBy) != "2026-10-12" {
		t.Fatalf("Shaanxi Art. 27: verification due %s, want 2026-10-12 (five working days: National Day skipped, make-up Saturday 10 Oct counted)", o.VerifyBy)
	}
	if _, err := w.svc.Correct(w.ctx, w.market, o.ID, govdata.Correction{Note: "x", Data: &govdata.Data{Columns: r.FieldNames()}}); err == nil {
		t.Fatal("an objection was corrected before it was upheld")
	}
	w.now = cstTime(t, "2026-10-13 00:00")
	if objs, _ := w.svc.Objections(w.ctx, w.bureau); len(objs) != 1 || !objs[0].Overdue {
		t.Fatal("an objection past its verification deadline is not overdue")
	}
	if o, err = w.svc.Verify(w.ctx, w.market, o.ID, true, "核实：名称录入错误"); err != nil {
		t.Fatal(err)
	}
	o, err = w.svc.Correct(w.ctx, w.market, o.ID, govdata.Correction{Note: "更正名称", Data: &govdata.Data{Columns: r.FieldNames(), Rows: [][]string{{"正确名称"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if o.State != govdata.ObjectionCorrected || o.CorrectedVersion != 2 {
		t.Fatalf("corrected objection %+v", o)
	}
	vs, err := w.svc.Versions(w.ctx, r.Code)
	if err != nil || len(vs) != 2 || vs[1].ObjectionID == nil || *vs[1].ObjectionID != o.ID {
		t.Fatalf("the correction is not recorded against the resource version: %v %+v", err, vs)
	}
	_, d, err := w.svc.Download(w.ctx, nil, r.Code)
	if err != nil || d.Version != 2 || d.Rows[0][0] != "正确名称" {
		t.Fatalf("corrected data: %v %+v", err, d)
	}
	want := []string{"govdata.objection_received", "govdata.objection_verified", "govdata.objection_corrected"}
	if got := ledgerKinds(t, w.pool, o.ID); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("ledger %v, want %v", got, want)
	}
}

// TestGovData_ADeadlineInAYearTheCalendarLacksIsPendingNotRefused: an
// application whose deadline reaches a year the working-day calendar does
// not cover was refused (409 calendar_year_not_covered): from mid-December
// no citizen could apply under the municipal clock (15 working days,
// Art. 26). It is received, its deadline pending and named so, never
// overdue nor guessed; once an operator adds the year, the next read sets
// the deadline, and answering records it.
func TestGovData_ADeadlineInAYearTheCalendarLacksIsPendingNotRefused(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionMunicipal, "2026-12-20 09:00")
	cal := w.withoutYear(govdata.JurisdictionMunicipal, 2027)
	r := w.resource("M-2027", govdata.ShareConditional, market.OpenConditional)
	app := w.apply(w.biz, govdata.KindOpening, r, false)
	if app.State != govdata.StateReceived || app.DueBy != nil || !strings.Contains(app.DuePending, "does not cover 2027") {
		t.Fatalf("received %s, due %v, pending %q: want received with the deadline pending on 2027", app.State, app.DueBy, app.DuePending)
	}
	w.now = cstTime(t, "2027-03-01 09:00")
	if got, err := w.svc.Applications(w.ctx, w.bureau, true); err != nil || len(got) != 0 {
		t.Fatalf("a pending deadline on the overdue queue: %d (%v)", len(got), err)
	}

	// An operator adds 2027 (a test arrangement: New Year's Day off).
	w.addYear(cal, 2027)
	w.now = cstTime(t, "2027-01-05 09:00")
	got, err := w.svc.Application(w.ctx, w.biz, app.ID)
	// From Sunday 20 December: 21–25, 28–31 December, 4–8 and 11 January.
	if err != nil || got.DueDate != "2027-01-11" || got.DuePending != "" || got.Overdue {
		t.Fatalf("after 2027 was added: due %q pending %q overdue %v (%v), want 2027-01-11", got.DueDate, got.DuePending, got.Overdue, err)
	}
	prov, err := w.svc.Provide(w.ctx, w.market, app.ID, govdata.Answer{Purposes: []string{"企业信用评估"}, Fields: r.FieldNames(),
		ValidFrom: market.MustDate("2026-01-01"), ValidTo: market.MustDate("2026-12-31")})
	if err != nil {
		t.Fatalf("provide: %v", err)
	}
	if prov.DueDate != "2027-01-11" || !prov.AnsweredOnTime() {
		t.Fatalf("provided: due %q on time %v", prov.DueDate, prov.AnsweredOnTime())
	}
}

// TestGovData_AnObjectionWhoseDeadlineIsInAYearTheCalendarLacksIsReceived:
// the same for an objection (Shaanxi Art. 27): received on 28 December with
// its verification deadline pending (five working days reach 2027),
// verified on time before the year ends though the deadline is unknown,
// and the correction deadline, pending too, set once 2027 is added.
func TestGovData_AnObjectionWhoseDeadlineIsInAYearTheCalendarLacksIsReceived(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-12-28 10:00")
	cal := w.withoutYear(govdata.JurisdictionTianjin, 2027)
	r := w.resource("TJ-OBJ-2027", govdata.ShareUnconditional, market.OpenUnconditional)
	o, err := w.svc.Object(w.ctx, w.biz, govdata.NewObjection{ResourceID: r.ID, Kind: govdata.ObjectionError, Fields: r.FieldNames(), Description: "名称有误"})
	if err != nil {
		t.Fatalf("Shaanxi Art. 27: an objection refused for the calendar: %v", err)
	}
	if o.VerifyBy != nil || !strings.Contains(o.DuePending, "does not cover 2027") {
		t.Fatalf("verify by %v, pending %q: want pending on 2027", o.VerifyBy, o.DuePending)
	}
	w.now = cstTime(t, "2026-12-30 10:00")
	if o, err = w.svc.Verify(w.ctx, w.market, o.ID, true, "核实：名称录入错误"); err != nil {
		t.Fatal(err)
	}
	if o.CorrectBy != nil || o.DuePending == "" || o.Overdue {
		t.Fatalf("upheld: correct by %v, pending %q, overdue %v: want the correction deadline pending", o.CorrectBy, o.DuePending, o.Overdue)
	}
	var onTime string
	if err := w.pool.QueryRow(w.ctx, `SELECT coalesce(payload->>'on_time', 'null') FROM ledger_entries WHERE subject_id = $1 AND kind = 'govdata.objection_verified'`, o.ID).Scan(&onTime); err != nil || onTime != "true" {
		t.Fatalf("verified in 2026 with the deadline pending on 2027: on_time %s (%v), want true", onTime, err)
	}
	w.addYear(cal, 2027)
	got, err := w.svc.Objection(w.ctx, w.biz, o.ID)
	// Ten working days from Wednesday 30 December: 31 December, 4–8 and 11–14 January.
	if err != nil || got.CorrectBy == nil || govdata.DueDate(*got.CorrectBy) != "2027-01-14" || got.DuePending != "" {
		t.Fatalf("after 2027 was added: correct by %v pending %q (%v), want 2027-01-14", got.CorrectBy, got.DuePending, err)
	}
}

// withoutYear gives w a service under j on the embedded calendar, which
// must lack year (the test is skipped once it has it), and returns the
// calendar the service reads, for addYear.
func (w *govWorld) withoutYear(j govdata.Jurisdiction, year int) **market.Calendar {
	w.t.Helper()
	cal := market.DefaultCalendar()
	if cal.Covers(year) {
		w.t.Skipf("the embedded calendar covers %d: the case needs a year it lacks", year)
	}
	w.svc = govdata.NewService(postgres.NewGovDataStore(w.pool), govdata.Options{Jurisdiction: j,
		Now: func() time.Time { return w.now }, Calendar: func(context.Context) (*market.Calendar, error) { return cal, nil }})
	return &cal
}

// addYear adds to *cal, as an operator would, a test arrangement of year
// with New Year's Day off.
func (w *govWorld) addYear(cal **market.Calendar, year int) {
	w.t.Helper()
	y, err := market.ParseCalendarYear(year, []byte(fmt.Sprintf(`{"source": "test arrangement", "holidays": {"元旦": ["%d-01-01"]}, "workdays": []}`, year)))
	if err != nil {
		w.t.Fatal(err)
	}
	*cal = (*cal).Merge(y)
}
