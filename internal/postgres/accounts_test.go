package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// cheap keeps password hashing fast in tests; production uses the defaults.
var cheap = market.AccountsOptions{Password: market.PasswordParams{Memory: 1024, Time: 1, Threads: 1}}

func mustRegister(t *testing.T, acc *market.Accounts, name, code, email string) market.Party {
	t.Helper()
	p, _, err := acc.Seed(context.Background(), market.Registration{
		Party: market.Party{Kind: market.PartyOrganization, Name: name, CreditCode: code, Jurisdiction: "61"},
		User:  market.NewUser{Email: email, Name: name + " admin", Password: "long enough password"},
		Roles: []market.Role{market.RoleSeller, market.RoleBuyer},
	})
	if err != nil {
		t.Fatalf("register %s: %v", name, err)
	}
	return p
}

func TestAccountStore_RegisterLoginAndRead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := postgres.NewAccountStore(pgtest.NewDB(t))
	acc := market.NewAccounts(store, cheap)
	p := mustRegister(t, acc, "西安数据科技有限公司", "91610131MA6U3R1X2M", "Admin@Example.cn")

	got, err := store.Party(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != p.Name || got.CreditCode != p.CreditCode || got.Jurisdiction != "61" || got.Type != market.PartyParticipant {
		t.Errorf("stored party = %+v, want %+v", got, p)
	}
	_, actor, err := acc.Login(ctx, " admin@example.CN ", "long enough password", market.PartyID{})
	if err != nil {
		t.Fatalf("login with a differently cased email: %v", err)
	}
	if actor.PartyID != p.ID || !actor.Can(market.RoleSeller) || !actor.Can(market.RoleBuyer) || actor.Can(market.RoleRegulator) {
		t.Errorf("actor = %+v, want seller and buyer of %s", actor, p.ID)
	}
}

func TestAccountStore_DuplicatesConflict(t *testing.T) {
	t.Parallel()
	acc := market.NewAccounts(postgres.NewAccountStore(pgtest.NewDB(t)), cheap)
	mustRegister(t, acc, "甲公司", "91610131MA6U3R1X2M", "a@example.cn")
	tests := []struct{ name, code, email string }{
		{"a second party with the same credit code conflicts", "91610131MA6U3R1X2M", "b@example.cn"},
		{"a second user with the same email conflicts", "91610104MA6W8CD91A", "A@example.cn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := acc.Seed(context.Background(), market.Registration{
				Party: market.Party{Kind: market.PartyOrganization, Name: "乙公司", CreditCode: tt.code, Jurisdiction: "61"},
				User:  market.NewUser{Email: tt.email, Name: "B", Password: "long enough password"},
				Roles: []market.Role{market.RoleBuyer},
			})
			if !errors.Is(err, market.ErrConflict) {
				t.Fatalf("got %v, want ErrConflict", err)
			}
		})
	}
}

func TestAccountStore_TokensExpireAndRevoke(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	opt := cheap
	opt.Now = func() time.Time { return now }
	acc := market.NewAccounts(postgres.NewAccountStore(pgtest.NewDB(t)), opt)
	mustRegister(t, acc, "甲公司", "91610131MA6U3R1X2M", "a@example.cn")
	_, actor, err := acc.Login(ctx, "a@example.cn", "long enough password", market.PartyID{})
	if err != nil {
		t.Fatal(err)
	}
	tok, secret, err := acc.CreateToken(ctx, actor, "ci", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acc.AuthenticateToken(ctx, secret); err != nil {
		t.Fatalf("a fresh token does not authenticate: %v", err)
	}

	now = now.Add(time.Hour)
	assertCode(t, "a token at its expiry time", acc.AuthenticateToken, secret, "token_expired")

	now = now.Add(-time.Minute)
	if err := acc.RevokeToken(ctx, actor, tok.ID); err != nil {
		t.Fatal(err)
	}
	if err := acc.RevokeToken(ctx, actor, tok.ID); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	assertCode(t, "a revoked token", acc.AuthenticateToken, secret, "token_revoked")
	assertCode(t, "a token that was never issued", acc.AuthenticateToken, "sjt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "invalid_token")
}

func assertCode(t *testing.T, what string, auth func(context.Context, string) (market.Actor, error), secret, code string) {
	t.Helper()
	_, err := auth(context.Background(), secret)
	var e *market.Error
	if !errors.As(err, &e) || e.Code != code || !errors.Is(err, market.ErrUnauthenticated) {
		t.Errorf("%s: got %v, want ErrUnauthenticated %s", what, err, code)
	}
}

func TestAccountStore_UnknownRowsAreNotFound(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := postgres.NewAccountStore(pgtest.NewDB(t))
	if _, err := store.Party(ctx, market.PartyID(market.NewID())); !errors.Is(err, market.ErrNotFound) {
		t.Errorf("unknown party: got %v, want ErrNotFound", err)
	}
	if _, err := store.UserByEmail(ctx, "nobody@example.cn"); !errors.Is(err, market.ErrNotFound) {
		t.Errorf("unknown email: got %v, want ErrNotFound", err)
	}
	if err := store.RevokeToken(ctx, market.TokenID(market.NewID()), time.Now()); !errors.Is(err, market.ErrNotFound) {
		t.Errorf("revoke unknown token: got %v, want ErrNotFound", err)
	}
}

func TestAccounts_UserInSeveralPartiesNamesOneToLogIn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.NewDB(t)
	acc := market.NewAccounts(postgres.NewAccountStore(pool), cheap)
	a := mustRegister(t, acc, "甲公司", "91610131MA6U3R1X2M", "a@example.cn")
	b := mustRegister(t, acc, "乙公司", "91120116MA05K7HW4D", "b@example.cn")
	_, adminA, err := acc.Login(ctx, "a@example.cn", "long enough password", market.PartyID{})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a member cannot grant a role it does not hold", func(t *testing.T) {
		buyerOnly := adminA
		buyerOnly.Roles = []market.Role{market.RoleBuyer}
		_, err := acc.AddUser(ctx, &buyerOnly, a.ID, market.NewUser{Email: "x@example.cn", Name: "X", Password: "long enough password"}, []market.Role{market.RoleSeller})
		if !errors.Is(err, market.ErrForbidden) {
			t.Fatalf("got %v, want ErrForbidden", err)
		}
	})
	t.Run("a member cannot add users to another party", func(t *testing.T) {
		_, err := acc.AddUser(ctx, &adminA, b.ID, market.NewUser{Email: "y@example.cn", Name: "Y", Password: "long enough password"}, []market.Role{market.RoleBuyer})
		if !errors.Is(err, market.ErrForbidden) {
			t.Fatalf("got %v, want ErrForbidden", err)
		}
	})

	// A seller of party B (added by the server) who is also a buyer of party A.
	u, err := acc.AddUser(ctx, nil, b.ID, market.NewUser{Email: "both@example.cn", Name: "Both", Password: "long enough password"}, []market.Role{market.RoleSeller})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO memberships (user_id, party_id, role) VALUES ($1, $2, 'buyer')`, u.ID, a.ID); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		party market.PartyID
		code  string
	}{
		{"without a party the login asks for one", market.PartyID{}, "party_required"},
		{"a party the user is not a member of is refused", market.PartyID(market.NewID()), "forbidden_party"},
		{"the named party is the one logged in to", b.ID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, actor, err := acc.Login(ctx, "both@example.cn", "long enough password", tt.party)
			var e *market.Error
			switch {
			case tt.code == "" && err != nil:
				t.Fatalf("login: %v", err)
			case tt.code == "" && (actor.PartyID != b.ID || !actor.Can(market.RoleSeller)):
				t.Fatalf("actor = %+v", actor)
			case tt.code != "" && (!errors.As(err, &e) || e.Code != tt.code):
				t.Fatalf("got %v, want %s", err, tt.code)
			}
		})
	}
}

func TestAccountStore_LoginForgetsSessionsEndedLongAgo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	opt := cheap
	opt.Now = func() time.Time { return now }
	opt.SessionTTL = time.Hour
	pool := pgtest.NewDB(t)
	acc := market.NewAccounts(postgres.NewAccountStore(pool), opt)
	mustRegister(t, acc, "甲公司", "91610131MA6U3R1X2M", "a@example.cn")
	login := func() {
		t.Helper()
		if _, _, err := acc.Login(ctx, "a@example.cn", "long enough password", market.PartyID{}); err != nil {
			t.Fatal(err)
		}
	}
	count := func() (n int) {
		t.Helper()
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	login()
	login()
	now = now.Add(2 * time.Hour) // both expired an hour ago: kept
	login()
	if got, want := count(), 3; got != want {
		t.Fatalf("sessions after 3 logins = %d, want %d", got, want)
	}
	now = now.Add(48 * time.Hour) // all three ended over a day ago
	login()
	if got, want := count(), 1; got != want {
		t.Fatalf("sessions after a login two days later = %d, want %d (the new one)", got, want)
	}
}
