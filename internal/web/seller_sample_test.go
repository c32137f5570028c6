package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// TestPairRows_MarksExactlyTheSuppressedRows: beside the input, a
// released row is marked suppressed exactly when the anonymizer
// suppressed it ("*" in every quasi-identifier), and the marks over the
// whole table count the report's suppressed records.
func TestPairRows_MarksExactlyTheSuppressedRows(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 2))
	rows := [][]string{}
	for i := range 300 {
		age := fmt.Sprint(20 + r.IntN(10))
		if i%37 == 0 {
			age = fmt.Sprint(90 + i%7) // rare ages: suppressed
		}
		rows = append(rows, []string{fmt.Sprint("p", i), age, []string{"男", "女"}[r.IntN(2)]})
	}
	tbl := anonymizer.MustTable([]string{"name", "age", "sex"}, rows...)
	res, err := anonymizer.Anonymize(context.Background(), tbl, anonymizer.Config{
		QuasiIdentifiers: []string{"age", "sex"}, Drop: []string{"name"}, Models: anonymizer.Models{K: 5, Suppression: 0.1}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suppressed == 0 {
		t.Fatal("nothing suppressed: the test's rare ages did not work")
	}
	p := pairRows(tbl, res.Table, []string{"age", "sex"}, tbl.Rows())
	if p == nil || len(p.Rows) != tbl.Rows() {
		t.Fatalf("pairRows gave %v", p)
	}
	marked := 0
	for i, row := range p.Rows {
		if row.Suppressed {
			marked++
		}
		star := row.Out[0] == anonymizer.Suppressed && row.Out[1] == anonymizer.Suppressed
		if row.Suppressed != star || row.In[0] != tbl.Row(i)[0] || row.N != i+1 {
			t.Errorf("row %d: marked %v, released %v (input %v)", i+1, row.Suppressed, row.Out, row.In)
		}
	}
	if marked != res.Suppressed {
		t.Errorf("%d rows marked suppressed, the anonymizer suppressed %d", marked, res.Suppressed)
	}
	if pairRows(tbl, anonymizer.MustTable([]string{"age"}, []string{"1"}), []string{"age"}, 5) != nil {
		t.Error("rows that do not line up were paired")
	}
}

// TestChooseAlternative_IsTheSellers: a buyer or a regulator who posts a
// choice of alternative is refused before anything is read or queued.
func TestChooseAlternative_IsTheSellers(t *testing.T) {
	h := mustHandler(t)
	for _, role := range []market.Role{market.RoleBuyer, market.RoleRegulator} {
		r := httptest.NewRequest("POST", "/ui/seller/jobs/"+market.NewID().String()+"/alternatives/1?lang=en", nil)
		res, body := serve(h, r, role)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "<h1>Forbidden</h1>") {
			t.Errorf("%s: status %d, want 403 Forbidden\n%s", role, res.StatusCode, clipBody(body))
		}
	}
}

func clipBody(s string) string { return s[:min(len(s), 400)] }
