package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// procWorld is a case world whose server runs the procedure service over
// PostgreSQL with the case clock.
func procWorld(t *testing.T, now time.Time) *caseWorld {
	t.Helper()
	cw := mustCaseWorld(t, now)
	cal := func(ctx context.Context) (*market.Calendar, error) { return postgres.LoadCalendar(ctx, cw.pool) }
	procs := market.NewProcedures(postgres.NewProcedureStore(cw.pool), cal, cw.cases.Now)
	cw.srv = New(Config{}, Deps{DB: cw.pool, Services: Services{Accounts: cw.acc, Stores: postgres.NewStores(cw.pool, nil), Cases: &CaseServices{Now: cw.cases.Now}, Procedures: procs}})
	return cw
}

// procStep posts a step and decodes the procedure of status want.
func procStep(t *testing.T, cw *caseWorld, path, token, body string, want int) market.Procedure {
	t.Helper()
	var p market.Procedure
	mustJSON(t, cw.do(t, req{method: http.MethodPost, path: path, token: token, body: body}), want, &p)
	return p
}

const procCaseFile = `{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","product":"L1",
	"trades":[{"id":"t-1","amount":"6000.00"},{"id":"t-2","amount":"7000.00"}],"factors":["first_offence"]}]}`

func TestProcedureAPI_CaseWalksEveryStepWithHearingAndTheLedgerRecordsEach(t *testing.T) {
	t.Parallel()
	cw := procWorld(t, time.Date(2026, 6, 30, 10, 0, 0, 0, chinaCST))
	flag := cw.raise(t, cw.sellerA, "shaanxi-37", "Shaanxi Art. 37", "price_difference", art37Evidence())
	c := cw.openCase(t, flag)
	reg := "/v1/regulator/cases/" + c.ID + "/procedure"
	own := "/v1/cases/" + c.ID + "/procedure"

	mustProblem(t, cw.do(t, req{method: http.MethodGet, path: own, token: cw.tokSellerA}), http.StatusNotFound, "procedure_not_found")
	mustProblem(t, cw.do(t, req{method: http.MethodGet, path: own, token: cw.tokSellerB}), http.StatusNotFound, "case_not_found")
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: reg, token: cw.tokSellerA, body: `{"action":"file"}`}), http.StatusForbidden, "forbidden_role")
	p := mustProblem(t, cw.do(t, req{method: http.MethodPost, path: reg, token: cw.tokRegulator, body: `{"action":"investigate"}`}), http.StatusUnprocessableEntity, "step_not_allowed")
	if p.Article == "" {
		t.Errorf("a refused step cites no article: %+v", p)
	}

	procStep(t, cw, reg, cw.tokRegulator, `{"action":"file","on":"2026-03-02"}`, http.StatusOK)
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: reg, token: cw.tokRegulator, body: `{"action":"file"}`}), http.StatusConflict, "already_filed")
	procStep(t, cw, reg, cw.tokRegulator, `{"action":"investigate","on":"2026-03-02"}`, http.StatusOK)
	var flagEntry uuid.UUID
	if err := cw.pool.QueryRow(context.Background(), `SELECT ledger_entry_id FROM flags WHERE id = $1`, flag.ID).Scan(&flagEntry); err != nil {
		t.Fatal(err)
	}
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: reg, token: cw.tokRegulator,
		body: fmt.Sprintf(`{"action":"add_evidence","evidence":{"kind":"trade","description":"x","source_entry_id":"%s"}}`, flagEntry)}), http.StatusBadRequest, "evidence_kind_mismatch")
	pr := procStep(t, cw, reg, cw.tokRegulator, fmt.Sprintf(`{"action":"add_evidence","on":"2026-03-03","evidence":{"kind":"flag","description":"价格差异检测记录","source_entry_id":"%s"}}`, flagEntry), http.StatusOK)
	if len(pr.Evidence) != 1 || pr.Evidence[0].LedgerEntryID == uuid.Nil || pr.Evidence[0].SourceKind != "flag.raised" {
		t.Fatalf("evidence = %+v, want the flag with its ledger entries", pr.Evidence)
	}
	procStep(t, cw, reg, cw.tokRegulator, `{"action":"issue_notice","on":"2026-03-10","case_file":`+procCaseFile+`}`, http.StatusOK)
	pr = procStep(t, cw, reg, cw.tokRegulator, `{"action":"serve_notice","on":"2026-03-11","method":"direct","receipt":"王某签收"}`, http.StatusOK)
	if pr.Window == nil || pr.Window.End.String() != "2026-03-18" {
		t.Fatalf("window = %+v, want it to end on 2026-03-18", pr.Window)
	}
	procStep(t, cw, own, cw.tokSellerA, `{"action":"statement","on":"2026-03-12","text":"已下架"}`, http.StatusOK)
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: own, token: cw.tokSellerA, body: `{"action":"decide"}`}), http.StatusForbidden, "forbidden_step")
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: own, token: cw.tokSellerB, body: `{"action":"statement","text":"x"}`}), http.StatusNotFound, "case_not_found")
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: reg, token: cw.tokRegulator,
		body: `{"action":"decide","on":"2026-03-13","text":"理由","case_file":` + procCaseFile + `}`}), http.StatusUnprocessableEntity, "statement_window_open")
	procStep(t, cw, own, cw.tokSellerA, `{"action":"request_hearing","on":"2026-03-13"}`, http.StatusOK)
	mustProblem(t, cw.do(t, req{method: http.MethodPost, path: reg, token: cw.tokRegulator,
		body: `{"action":"decide","on":"2026-03-19","text":"理由","case_file":` + procCaseFile + `}`}), http.StatusUnprocessableEntity, "step_not_allowed")
	procStep(t, cw, reg, cw.tokRegulator, `{"action":"schedule_hearing","on":"2026-03-16","hearing_date":"2026-03-25","place":"第一听证室"}`, http.StatusOK)
	procStep(t, cw, reg, cw.tokRegulator, `{"action":"hold_hearing","on":"2026-03-25","text":"当事人陈述已下架"}`, http.StatusOK)
	procStep(t, cw, reg, cw.tokRegulator, `{"action":"decide","on":"2026-03-26","text":"听证意见部分采纳","case_file":`+procCaseFile+`}`, http.StatusOK)
	procStep(t, cw, reg, cw.tokRegulator, `{"action":"serve_decision","on":"2026-03-27","method":"mail","receipt":"EMS 1"}`, http.StatusOK)
	pr = procStep(t, cw, own, cw.tokSellerA, `{"action":"pay","on":"2026-04-10","channel":"指定银行","receipt":"R1","amount":"333000.00"}`, http.StatusOK)
	if pr.Payment == nil || pr.Payment.Surcharge.String() != "0.00" {
		t.Fatalf("payment = %+v, want 320,000 fine + 13,000 confiscation, paid in time", pr.Payment)
	}
	pr = procStep(t, cw, reg, cw.tokRegulator, `{"action":"close","on":"2026-04-11"}`, http.StatusOK)
	if pr.State != market.ProcClosed {
		t.Fatalf("state = %s, want closed", pr.State)
	}
	var entries int
	if err := cw.pool.QueryRow(context.Background(), `SELECT count(*) FROM ledger_entries WHERE subject_id = $1 AND kind LIKE 'case.procedure.%'`, c.ID).Scan(&entries); err != nil {
		t.Fatal(err)
	}
	if got, want := entries, len(pr.Events); got != want || want != 13 {
		t.Errorf("%d case.procedure ledger entries for %d transitions, want 13 of each", got, want)
	}
	for _, d := range []struct{ path, want string }{
		{"penalty-notice", "自收到本告知书之日（2026年3月11日）起五个工作日内，即自2026年3月12日起至2026年3月18日止"},
		{"hearing-notice", "2026年3月25日在第一听证室举行听证"},
		{"penalty-decision?court=西安铁路运输法院", "六个月内向西安铁路运输法院提起行政诉讼"},
		{"penalty-decision", "六十日内向陕西省人民政府申请行政复议"},
		{"penalty-decision", "价格差异检测记录"},
		{"service-receipt?of=penalty-decision", "EMS 1"},
	} {
		rec := cw.do(t, req{method: http.MethodGet, path: reg + "/documents/" + d.path, token: cw.tokRegulator})
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), d.want) {
			t.Errorf("%s: status %d, want 200 with %q", d.path, rec.Code, d.want)
		}
	}
	mustProblem(t, cw.do(t, req{method: http.MethodGet, path: reg + "/documents/correction", token: cw.tokRegulator}), http.StatusNotFound, "unknown_document_kind")
	var seen market.Procedure
	mustJSON(t, cw.do(t, req{method: http.MethodGet, path: own, token: cw.tokSellerA}), http.StatusOK, &seen)
	if seen.State != market.ProcClosed || seen.Hearing == nil || seen.Hearing.HeldOn.String() != "2026-03-25" {
		raw, _ := json.Marshal(seen)
		t.Errorf("the party reads %s", raw)
	}
}
