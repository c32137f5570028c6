package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// memProcedures is an in-memory market.ProcedureStore for the page tests
// (internal/httpapi tests the PostgreSQL one).
type memProcedures struct {
	mu    sync.Mutex
	party market.PartyID
	procs map[uuid.UUID]*market.Procedure
}

func (m *memProcedures) CaseParty(context.Context, uuid.UUID) (market.PartyID, error) {
	return m.party, nil
}

func (m *memProcedures) LedgerEntry(_ context.Context, id uuid.UUID) (market.LedgerRef, error) {
	return market.LedgerRef{ID: id, Kind: "order.paid"}, nil
}

func (m *memProcedures) Procedure(_ context.Context, id uuid.UUID) (*market.Procedure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.procs[id]; ok {
		return p, nil
	}
	return nil, market.Errorf(market.ErrNotFound, "procedure_not_found", "no procedure %s", id)
}

func (m *memProcedures) UpdateProcedure(_ context.Context, id uuid.UUID, fn func(*market.Procedure, func(market.LedgerEvent) (uuid.UUID, error)) (*market.Procedure, error)) (*market.Procedure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var cur *market.Procedure
	if p, ok := m.procs[id]; ok {
		c := *p
		cur = &c
	}
	p, err := fn(cur, func(market.LedgerEvent) (uuid.UUID, error) { return market.NewID(), nil })
	if err != nil {
		return nil, err
	}
	m.procs[id] = p
	return p, nil
}

func TestProcedurePage_WalksTheStepsAndShowsTheRuleOfARefusal(t *testing.T) {
	store := &memProcedures{party: market.PartyID(market.NewID()), procs: map[uuid.UUID]*market.Procedure{}}
	now := func() time.Time { return time.Date(2026, 6, 30, 2, 0, 0, 0, time.UTC) }
	h, err := New(Deps{Procedures: market.NewProcedures(store, func(context.Context) (*market.Calendar, error) { return market.DefaultCalendar(), nil }, now)})
	if err != nil {
		t.Fatal(err)
	}
	caseID := market.NewID()
	page := "/ui/regulator/cases/" + caseID.String() + "/procedure"
	post := func(form url.Values) (*http.Response, string) {
		r := httptest.NewRequest(http.MethodPost, page, strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return serve(h, r, market.RoleRegulator)
	}
	res, body := serve(h, httptest.NewRequest(http.MethodGet, page, nil), market.RoleRegulator)
	if res.StatusCode != 200 || !strings.Contains(body, `value="file"`) || !strings.Contains(body, "立案") {
		t.Fatalf("a case not filed offers filing: status %d\n%s", res.StatusCode, body)
	}
	for _, step := range []url.Values{
		{"action": {"file"}, "on": {"2026-03-02"}},
		{"action": {"investigate"}, "on": {"2026-03-02"}},
	} {
		if res, body := post(step); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: status %d\n%s", step.Get("action"), res.StatusCode, body)
		}
	}
	res, body = post(url.Values{"action": {"issue_notice"}, "on": {"2026-03-10"}, "case_file": {`{"party":{"id":"P","kind":"organization"},"violations":[{"article":"shaanxi-36","trades":[{"id":"t","amount":"13000"}]}]}`}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "案卷中没有证据") || !strings.Contains(body, "Administrative Penalty Law Art. 40, 54") {
		t.Fatalf("a notice without evidence: status %d, want 422 naming the rule\n%s", res.StatusCode, body)
	}
	if res, body := post(url.Values{"action": {"add_evidence"}, "on": {"2026-03-03"}, "evidence_kind": {"document"}, "evidence_description": {"询问笔录"},
		"sha256": {strings.Repeat("ab", 32)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add_evidence: status %d\n%s", res.StatusCode, body)
	}
	res, body = serve(h, httptest.NewRequest(http.MethodGet, page, nil), market.RoleRegulator)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the procedure page: status %d", res.StatusCode)
	}
	for _, want := range []string{"询问笔录", "调查取证", `value="issue_notice"`, `value="add_evidence"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(body, `value="decide"`) {
		t.Errorf("the page offers a decision during the investigation")
	}
	if res, _ := serve(h, httptest.NewRequest(http.MethodGet, page, nil), market.RoleSeller); res.StatusCode != http.StatusForbidden {
		t.Errorf("a seller opens the regulator's procedure page: status %d", res.StatusCode)
	}
}
