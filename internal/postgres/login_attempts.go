package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/shujiao/shujiao/market"
)

var _ market.LoginAttemptStore = (*AccountStore)(nil)

// takeLoginAttempt counts one attempt in one statement: a row locked by
// the upsert serializes concurrent attempts on one key, so that each sees
// the count of those before it.
const takeLoginAttempt = `INSERT INTO login_attempts AS a (key, window_start, attempts) VALUES ($1, $2, 1)
ON CONFLICT (key) DO UPDATE SET
    window_start = CASE WHEN a.window_start <= $2 - $3::interval THEN $2 ELSE a.window_start END,
    attempts     = CASE WHEN a.window_start <= $2 - $3::interval THEN 1 ELSE a.attempts + 1 END
RETURNING attempts, window_start`

// TakeLoginAttempt counts one login attempt for key at now (see
// market.LoginAttemptStore). Ended windows of other keys are swept now and
// then, so the table stays small.
func (s *AccountStore) TakeLoginAttempt(ctx context.Context, key string, now time.Time, window time.Duration) (int, time.Time, error) {
	now = now.UTC().Truncate(time.Microsecond)
	var n int
	var since time.Time
	if err := s.db.QueryRow(ctx, takeLoginAttempt, key, now, window).Scan(&n, &since); err != nil {
		return 0, time.Time{}, fmt.Errorf("count login attempt: %w", translate(err))
	}
	if now.UnixMicro()%64 == 0 {
		if _, err := s.db.Exec(ctx, `DELETE FROM login_attempts WHERE window_start <= $1`, now.Add(-window)); err != nil {
			return 0, time.Time{}, fmt.Errorf("sweep login attempts: %w", translate(err))
		}
	}
	return n, since.UTC(), nil
}

// ReleaseLoginAttempt gives one attempt of key back.
func (s *AccountStore) ReleaseLoginAttempt(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `UPDATE login_attempts SET attempts = greatest(attempts - 1, 0) WHERE key = $1`, key)
	return translate(err)
}

// ForgetLoginAttempts forgets key's attempts.
func (s *AccountStore) ForgetLoginAttempts(ctx context.Context, key string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM login_attempts WHERE key = $1`, key)
	return translate(err)
}
