package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// caseWorld is a server with sellers A and B, a buyer, a regulator and an
// operator, and a clock for the cases (deadlines) of its own.
type caseWorld struct {
	*world
	pool                   *pgxpool.Pool
	cases                  *clock
	tokBuyer, tokOp        string
	sellerA, sellerB       market.Party
	tokSellerA, tokSellerB string
	tokRegulator           string
}

// chinaCST is China time, for the test's dates.
var chinaCST = market.ChinaTime

// mustCaseWorld builds the world with the case clock at now.
func mustCaseWorld(t *testing.T, now time.Time) *caseWorld {
	t.Helper()
	pool := pgtest.NewDB(t)
	w := &world{clock: &clock{now: time.Now().UTC()}}
	w.acc = market.NewAccounts(postgres.NewAccountStore(pool), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 64, Time: 1, Threads: 1}, Now: w.clock.Now,
	})
	cw := &caseWorld{world: w, pool: pool, cases: &clock{now: now}}
	w.srv = New(Config{}, Deps{DB: pool, Services: Services{Accounts: w.acc, Stores: postgres.NewStores(pool, nil), Cases: &CaseServices{Now: cw.cases.Now}}})
	cw.sellerA, cw.tokSellerA = w.mustParty(t, "甲数据公司", "91610131MA6U3R1X2M", "a@example.cn", market.PartyParticipant, market.RoleSeller)
	cw.sellerB, cw.tokSellerB = w.mustParty(t, "乙数据公司", "91120116MA05K7HW4D", "b@example.cn", market.PartyParticipant, market.RoleSeller)
	_, cw.tokRegulator = w.mustParty(t, "陕西省市场监督管理局", "11610000MB2950531A", "r@example.cn", market.PartyRegulator, market.RoleRegulator)
	_, cw.tokOp = w.mustParty(t, "数交平台运营有限公司", mustCreditCode(t, "91610000MA7PLAT01"), "op@example.cn", market.PartyPlatform, market.RoleOperator)
	_, cw.tokBuyer = w.mustParty(t, "丙采购公司", mustCreditCode(t, "91610000MA7BUYER1"), "buyer@example.cn", market.PartyParticipant, market.RoleBuyer)
	return cw
}

// mustCreditCode completes 17 characters with the GB 32100-2015 check character.
func mustCreditCode(tb testing.TB, first17 string) string {
	tb.Helper()
	c, ok := market.CreditCodeCheckChar(first17)
	if !ok {
		tb.Fatalf("no check character for %q", first17)
	}
	return first17 + string(c)
}

// raise stores a flag against party as a gate would.
func (cw *caseWorld) raise(t *testing.T, party market.Party, rule, article, kind string, evidence any) market.Flag {
	t.Helper()
	ev, err := json.Marshal(evidence)
	if err != nil {
		t.Fatal(err)
	}
	f := &market.Flag{Rule: rule, Article: article, Kind: kind, PartyID: party.ID,
		Summary: fmt.Sprintf("%s %s flag on %s", article, kind, party.Name), Evidence: ev, CreatedAt: cw.cases.Now()}
	err = postgres.InTx(context.Background(), cw.pool, func(tx pgx.Tx) error { return postgres.RaiseFlag(context.Background(), tx, f) })
	if err != nil {
		t.Fatalf("raise flag: %v", err)
	}
	return *f
}

// art37Evidence is the Art. 37 detector's evidence: two trades overcharged
// by 200.00 (1 × 1,200.00 against 1,000.00) and 600.00 (2 × 1,300.00).
func art37Evidence() market.PriceFlag {
	return market.PriceFlag{Rule: "shaanxi-37", Article: "Shaanxi Art. 37", Kind: "price_difference",
		TradeIDs: []string{"t-101", "t-102"}, ReferencePrice: market.MustMoney("1000.00"), ReferenceSource: "plan",
		Overcharges: []market.Overcharge{
			{TradeID: "t-101", BuyerID: "b1", UnitPrice: market.MustMoney("1200.00"), ReferencePrice: market.MustMoney("1000.00"),
				Difference: market.MustMoney("200.00"), Quantity: decimal.RequireFromString("1"), Overcharge: market.MustMoney("200.00")},
			{TradeID: "t-102", BuyerID: "b2", UnitPrice: market.MustMoney("1300.00"), ReferencePrice: market.MustMoney("1000.00"),
				Difference: market.MustMoney("300.00"), Quantity: decimal.RequireFromString("2"), Overcharge: market.MustMoney("600.00")},
		},
		OverchargeTotal: market.MustMoney("800.00"), ExceptionsRejected: []market.RejectedException{},
		Reason: "price above the plan for the same transaction conditions"}
}

// caseView is what the tests read of a case.
type caseView struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Correction *struct {
		ID              string `json:"id"`
		Deadline        string `json:"deadline"`
		DeadlinePending string `json:"deadline_pending"`
		Status          string `json:"status"`
		Corrected       *bool  `json:"corrected"`
		Responses       []struct {
			OnTime *bool `json:"on_time"`
		} `json:"responses"`
	} `json:"correction_order"`
	Penalty *struct {
		Input  json.RawMessage      `json:"input"`
		Result market.PenaltyResult `json:"result"`
		Basis  []string             `json:"basis"`
	} `json:"penalty"`
}

// call sends a JSON request and decodes a JSON answer of status want.
func (cw *caseWorld) call(t *testing.T, method, path, token, body string, want int) caseView {
	t.Helper()
	rec := cw.do(t, req{method: method, path: path, token: token, body: body})
	var v caseView
	mustJSON(t, rec, want, &v)
	return v
}

// openCase opens a case on flags as the regulator.
func (cw *caseWorld) openCase(t *testing.T, flags ...market.Flag) caseView {
	t.Helper()
	ids, _ := json.Marshal(caseFlagIDs(flags))
	return cw.call(t, http.MethodPost, "/v1/regulator/cases", cw.tokRegulator, `{"flag_ids": `+string(ids)+`, "title": "test case"}`, http.StatusCreated)
}

func caseFlagIDs(flags []market.Flag) []string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = f.ID.String()
	}
	return out
}

// decide posts a decision as the regulator.
func (cw *caseWorld) decide(t *testing.T, id, body string) caseView {
	t.Helper()
	return cw.call(t, http.MethodPost, "/v1/regulator/cases/"+id+"/decision", cw.tokRegulator, body, http.StatusOK)
}
