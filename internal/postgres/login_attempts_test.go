package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// Fifty wrong passwords at once for one account: the limiter counts each
// attempt in one atomic step before the password is checked, so no more
// than the limit ever reach the password check, however they interleave.
func TestLoginLimiter_FiftyConcurrentAttemptsNeverPassTheLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	opt := cheap
	opt.LoginMaxFailures = 5
	acc := market.NewAccounts(postgres.NewAccountStore(pgtest.NewDB(t)), opt)
	mustRegister(t, acc, "西安数据科技有限公司", "91610131MA6U3R1X2M", "admin@example.cn")

	var mu sync.Mutex
	counts := map[string]int{}
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Go(func() {
			_, _, err := acc.LoginLimited(ctx, market.LoginAttempt{Email: "admin@example.cn", Password: "wrong password!!", Client: "203.0.113.7"})
			kind := "other: "
			switch {
			case errors.Is(err, market.ErrTooManyAttempts):
				kind = "limited"
			case errors.Is(err, market.ErrUnauthenticated):
				kind = "checked"
			default:
				kind += err.Error()
			}
			mu.Lock()
			counts[kind]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if counts["checked"] != 5 || counts["limited"] != 45 {
		t.Fatalf("50 concurrent attempts: %v, want exactly 5 password checks and 45 refused", counts)
	}
}

// The counts are in PostgreSQL: a new service over the same database (a
// restarted or another serve process) refuses the same account, and the
// right password too, until the window ends; then it logs in.
func TestLoginLimiter_SurvivesARestartAndForgetsAfterTheWindow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.NewDB(t)
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	opt := cheap
	opt.LoginMaxFailures = 3
	opt.Now = func() time.Time { return now }
	first := market.NewAccounts(postgres.NewAccountStore(db), opt)
	mustRegister(t, first, "西安数据科技有限公司", "91610131MA6U3R1X2M", "admin@example.cn")
	for range 3 {
		if _, _, err := first.LoginLimited(ctx, market.LoginAttempt{Email: "admin@example.cn", Password: "wrong password!!", Client: "a"}); !errors.Is(err, market.ErrUnauthenticated) {
			t.Fatalf("a wrong password: %v, want unauthenticated", err)
		}
	}
	restarted := market.NewAccounts(postgres.NewAccountStore(db), opt)
	_, _, err := restarted.LoginLimited(ctx, market.LoginAttempt{Email: "Admin@Example.cn", Password: "long enough password", Client: "b"})
	var me *market.Error
	if !errors.As(err, &me) || me.Code != "too_many_attempts" || me.Details.(market.RetryAfter).Seconds < 1 {
		t.Fatalf("after a restart: %v, want too_many_attempts with a wait", err)
	}
	now = now.Add(15*time.Minute + time.Second)
	if _, _, err := restarted.LoginLimited(ctx, market.LoginAttempt{Email: "admin@example.cn", Password: "long enough password", Client: "b"}); err != nil {
		t.Fatalf("after the window the right password: %v", err)
	}
	for range 5 {
		if _, _, err := restarted.LoginLimited(ctx, market.LoginAttempt{Email: "admin@example.cn", Password: "long enough password", Client: "b"}); err != nil {
			t.Fatalf("good logins are not counted against the limit: %v", err)
		}
	}
}
