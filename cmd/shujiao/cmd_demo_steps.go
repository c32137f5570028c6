package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/shujiao/shujiao/market"
)

// demoWorld is what the seed steps build on: the services, and what earlier
// steps seeded, by key ("regulator", "seller-a", …).
type demoWorld struct {
	*app
	now      time.Time
	accounts map[string]*demoAccount
	order    []string // keys in seeding order, for printing
}

// seedStep is one idempotent step of the demo: it finds what an earlier run
// seeded and adds only what is missing.
type seedStep struct {
	name string
	run  func(ctx context.Context, w *demoWorld) error
}

// demoSteps lists the seed steps in order. Each area appends its own step
// (listings, trades, cases …), one line each.
func demoSteps() []seedStep {
	return []seedStep{
		{"accounts", seedAccounts},
		{"money", seedMoney}, // SIMULATED bank deposits for the buyers (demo_ledger.go)
		{"listings", seedListings},
		{"trades", seedTrades},       // price plans, quotes, paid, settled and refunded orders (cmd_demo_trades.go)
		{"cases", seedCases},         // an open regulator case on an Art. 37 flag (cmd_demo_cases.go)
		{"procedure", seedProcedure}, // the case filed and under investigation (cmd_demo_procedure.go)
		{"govdata", seedGovData},     // departments, catalog, applications in each state, one overdue (cmd_demo_govdata.go)
	}
}

// demoParties: a regulator (a market-supervision bureau), the platform
// operator, two sellers and three buyers — one an individual, one overseas.
var demoParties = []struct {
	key   string
	email string
	role  market.Role
	party market.Party
}{
	{"regulator", "regulator@shujiao.demo", market.RoleRegulator, market.Party{Kind: market.PartyOrganization, Type: market.PartyRegulator,
		Name: "陕西省市场监督管理局", CreditCode: "11610000MB2950531A", Jurisdiction: "61"}},
	{"operator", "operator@shujiao.demo", market.RoleOperator, market.Party{Kind: market.PartyOrganization, Type: market.PartyPlatform,
		Name: "数交平台运营有限公司", CreditCode: "91610131MA7G2PLT35", Jurisdiction: "61"}},
	{"seller-a", "seller-a@shujiao.demo", market.RoleSeller, market.Party{Kind: market.PartyOrganization,
		Name: "西安数据科技有限公司", CreditCode: "91610131MA6U3R1X2M", Jurisdiction: "61"}},
	{"seller-b", "seller-b@shujiao.demo", market.RoleSeller, market.Party{Kind: market.PartyOrganization,
		Name: "天津滨海数据服务有限公司", CreditCode: "91120116MA05K7HW4D", Jurisdiction: "12"}},
	{"buyer-a", "buyer-a@shujiao.demo", market.RoleBuyer, market.Party{Kind: market.PartyOrganization,
		Name: "陕西秦川物流有限公司", CreditCode: "91610104MA6W8CD91A", Jurisdiction: "61"}},
	{"buyer-individual", "zhang.wei@shujiao.demo", market.RoleBuyer, market.Party{Kind: market.PartyIndividual,
		Name: "张伟", Jurisdiction: "61"}},
	{"buyer-overseas", "buyer@pacific-analytics.demo", market.RoleBuyer, market.Party{Kind: market.PartyOrganization,
		Name: "Pacific Analytics Ltd.", Jurisdiction: market.JurisdictionOverseas}},
}

// seedAccounts registers each demo party with its user unless the user
// exists, then issues the user a fresh 30-day API token.
func seedAccounts(ctx context.Context, w *demoWorld) error {
	for _, d := range demoParties {
		p, uid, err := w.findOrSeed(ctx, d.email, d.role, d.party)
		if err != nil {
			return fmt.Errorf("%s: %w", d.key, err)
		}
		actor, err := w.app.accounts.ActorOf(ctx, uid, p.ID)
		if err != nil {
			return fmt.Errorf("%s: %w", d.key, err)
		}
		_, secret, err := w.app.accounts.CreateToken(ctx, actor, "demo "+w.now.Format("2006-01-02 15:04"), 30*24*time.Hour)
		if err != nil {
			return fmt.Errorf("%s: %w", d.key, err)
		}
		w.accounts[d.key] = &demoAccount{Key: d.key, Email: d.email, Role: d.role, Party: p, Actor: actor, Token: secret, User: uid}
		w.order = append(w.order, d.key)
	}
	return nil
}

func (w *demoWorld) findOrSeed(ctx context.Context, email string, role market.Role, p market.Party) (market.Party, market.UserID, error) {
	st := w.app.accountStore()
	u, err := st.UserByEmail(ctx, market.NormalizeEmail(email))
	switch {
	case err == nil:
		ms, err := st.Memberships(ctx, u.ID)
		if err != nil {
			return market.Party{}, market.UserID{}, err
		}
		if len(ms) == 0 {
			return market.Party{}, market.UserID{}, fmt.Errorf("user %s belongs to no party", email)
		}
		got, err := st.Party(ctx, ms[0].PartyID)
		return got, u.ID, err
	case !errors.Is(err, market.ErrNotFound):
		return market.Party{}, market.UserID{}, err
	}
	got, user, err := w.app.accounts.Seed(ctx, market.Registration{
		Party: p,
		User:  market.NewUser{Email: email, Name: p.Name, Password: demoPassword},
		Roles: []market.Role{role},
	})
	return got, user.ID, err
}
