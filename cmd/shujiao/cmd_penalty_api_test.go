package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/pglocal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// TestPenalty_ShaanxiArt74_75_CLIAndAPIComputeTheSameFigures takes a case
// through the regulator API on a real PostgreSQL — an Art. 36 flag whose
// trades total 9,999.99 yuan (不足一万元: the lower band) and an Art. 37
// flag whose correction order was refused — and feeds the case file the
// API stored to `shujiao penalty --json`: the figures are the same.
func TestPenalty_ShaanxiArt74_75_CLIAndAPIComputeTheSameFigures(t *testing.T) {
	ctx := context.Background()
	cluster, err := pglocal.Start(ctx, filepath.Join(t.TempDir(), "var"), pglocal.Options{Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cluster.Stop() })
	pool, err := postgres.Open(ctx, cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if err := postgres.Migrate(ctx, pool, nil); err != nil {
		t.Fatal(err)
	}
	accounts := market.NewAccounts(postgres.NewAccountStore(pool), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}})
	token := func(name, code, email string, typ market.PartyType, role market.Role) (market.Party, string) {
		p, _, err := accounts.Seed(ctx, market.Registration{
			Party: market.Party{Kind: market.PartyOrganization, Type: typ, Name: name, CreditCode: code, Jurisdiction: "61"},
			User:  market.NewUser{Email: email, Name: name, Password: "correct horse battery"}, Roles: []market.Role{role}})
		if err != nil {
			t.Fatal(err)
		}
		_, a, err := accounts.Login(ctx, email, "correct horse battery", market.PartyID{})
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := accounts.CreateToken(ctx, a, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		return p, secret
	}
	seller, _ := token("甲数据公司", "91610131MA6U3R1X2M", "a@example.cn", market.PartyParticipant, market.RoleSeller)
	_, reg := token("陕西省市场监督管理局", "11610000MB2950531A", "r@example.cn", market.PartyRegulator, market.RoleRegulator)

	now := time.Date(2026, 9, 30, 10, 0, 0, 0, market.ChinaTime)
	srv := httpapi.New(httpapi.Config{}, httpapi.Deps{DB: pool, Services: httpapi.Services{Accounts: accounts, Stores: postgres.NewStores(pool, nil),
		Cases: &httpapi.CaseServices{Now: func() time.Time { return now }}}})
	call := func(method, path, body string, v any) {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+reg)
		r.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, r)
		if rec.Code >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
		if err := json.Unmarshal(rec.Body.Bytes(), v); err != nil {
			t.Fatal(err)
		}
	}

	var flags []string
	for _, f := range []market.Flag{
		{Rule: "shaanxi-36", Article: "Shaanxi Art. 36(1)", Kind: "unauthorized_source", Summary: "无授权数据",
			Evidence: json.RawMessage(`{"trades": [{"id": "o-1", "amount": "4999.99", "refunded": "500.00"}, {"id": "o-2", "amount": "5000.00"}]}`)},
		{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference", Summary: "差别定价",
			Evidence: json.RawMessage(`{"overcharges": [{"trade_id": "o-3", "unit_price": "1500.00", "quantity": "2", "overcharge": "1000.00"}]}`)},
	} {
		f.PartyID = seller.ID
		if err := postgres.InTx(ctx, pool, func(tx pgx.Tx) error { return postgres.RaiseFlag(ctx, tx, &f) }); err != nil {
			t.Fatal(err)
		}
		flags = append(flags, `"`+f.ID.String()+`"`)
	}
	var c struct {
		ID      string
		Penalty struct {
			Input  json.RawMessage
			Result json.RawMessage
		}
	}
	call("POST", "/v1/regulator/cases", `{"flag_ids": [`+strings.Join(flags, ",")+`]}`, &c)
	call("POST", "/v1/regulator/cases/"+c.ID+"/decision", `{"action": "order_correction", "workdays": 3, "requirement": "整改"}`, &c)
	now = time.Date(2026, 10, 12, 9, 0, 0, 0, market.ChinaTime) // past the 10 Oct deadline, not corrected
	call("POST", "/v1/regulator/cases/"+c.ID+"/decision", `{"action": "proceed_to_penalty"}`, &c)
	call("POST", "/v1/regulator/cases/"+c.ID+"/penalty", `{"violations": [
		{"article": "shaanxi-36", "factors": ["first_offence"]},
		{"article": "shaanxi-37", "factors": ["repeat"], "override": {"fine": "90000.00", "reason": "多次差别定价"}}]}`, &c)

	file := filepath.Join(t.TempDir(), "case.json")
	if err := os.WriteFile(file, c.Penalty.Input, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runPenaltyCLI(t, "", file, "--json")
	if code != 0 {
		t.Fatalf("shujiao penalty on the API's case file: exit %d: %s", code, errOut)
	}
	var cli, api market.PenaltyResult
	if err := json.Unmarshal([]byte(out), &cli); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(c.Penalty.Result, &api); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(api)
	b, _ := json.Marshal(cli)
	if string(a) != string(b) {
		t.Errorf("the CLI and the API differ:\nAPI %s\nCLI %s", a, b)
	}
	v74, v75 := api.Violations[0], api.Violations[1]
	for _, chk := range []struct{ name, got, want string }{
		{"Art. 74 transaction amount", v74.TransactionAmount.String(), "9999.99"},
		{"Art. 74 fine range (不足一万元)", v74.FineMin.String() + "–" + v74.FineMax.String(), "50000.00–200000.00"},
		{"Art. 74 confiscation net of refunds", v74.Confiscation.String(), "9499.99"},
		{"Art. 75 fine (refused to correct, overridden)", v75.Fine.String(), "90000.00"},
		{"Art. 75 confiscation", v75.Confiscation.String(), "1000.00"},
	} {
		if chk.got != chk.want {
			t.Errorf("%s = %s, want %s", chk.name, chk.got, chk.want)
		}
	}
	if v75.Corrected == nil || *v75.Corrected {
		t.Errorf("Art. 75 corrected = %v, want false (not corrected by 10 Oct)", v75.Corrected)
	}
	if code, _, _ := runPenaltyCLI(t, "", file); code != 0 {
		t.Errorf("the summary form exits %d", code)
	}
}
