package postgres_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
)

// The pool's uuid codec (uuid_codec.go) moves IDs as 16 bytes: what
// PostgreSQL stores and what comes back must be the IDs' text forms, in
// either direction, for uuid.UUID, the market's ID types, arrays and NULL.
func TestUUIDCodec_IDsRoundTripAsThemselves(t *testing.T) {
	t.Parallel()
	pool := pgtest.NewDB(t)
	ctx := context.Background()
	u := uuid.MustParse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
	party := market.PartyID(uuid.MustParse("0193a1b2-c3d4-7e5f-8a9b-000000000001"))
	quote := market.QuoteID(uuid.MustParse("0193a1b2-c3d4-7e5f-8a9b-000000000002"))

	t.Run("a uuid.UUID parameter is the same UUID in PostgreSQL", func(t *testing.T) {
		var text string
		if err := pool.QueryRow(ctx, `SELECT $1::uuid::text`, u).Scan(&text); err != nil {
			t.Fatal(err)
		}
		if got, want := text, u.String(); got != want {
			t.Errorf("PostgreSQL read %s, want %s", got, want)
		}
	})
	t.Run("a uuid column scans into uuid.UUID and every market ID type", func(t *testing.T) {
		var gotU uuid.UUID
		var gotP market.PartyID
		var gotQ market.QuoteID
		var gotUser market.UserID
		var gotTok market.TokenID
		var gotSes market.SessionID
		err := pool.QueryRow(ctx, `SELECT $1::text::uuid, $2::text::uuid, $3::text::uuid, $1::text::uuid, $2::text::uuid, $3::text::uuid`,
			u.String(), party.String(), quote.String()).Scan(&gotU, &gotP, &gotQ, &gotUser, &gotTok, &gotSes)
		if err != nil {
			t.Fatal(err)
		}
		if gotU != u || gotP != party || gotQ != quote || uuid.UUID(gotUser) != u || uuid.UUID(gotTok) != uuid.UUID(party) || uuid.UUID(gotSes) != uuid.UUID(quote) {
			t.Errorf("scanned %s %s %s %s %s %s, want %s %s %s again", gotU, gotP, gotQ, uuid.UUID(gotUser), uuid.UUID(gotTok), uuid.UUID(gotSes), u, party, quote)
		}
	})
	t.Run("a uuid array parameter and column keep their IDs in order", func(t *testing.T) {
		in := []uuid.UUID{u, uuid.UUID(party), uuid.UUID(quote)}
		var out []uuid.UUID
		var text string
		if err := pool.QueryRow(ctx, `SELECT $1::uuid[], $1::uuid[]::text`, in).Scan(&out, &text); err != nil {
			t.Fatal(err)
		}
		if len(out) != 3 || out[0] != in[0] || out[1] != in[1] || out[2] != in[2] {
			t.Errorf("array came back as %v, want %v", out, in)
		}
		if want := "{" + in[0].String() + "," + in[1].String() + "," + in[2].String() + "}"; text != want {
			t.Errorf("PostgreSQL read %s, want %s", text, want)
		}
	})
	t.Run("NULL leaves a uuid.UUID as it was and sets a *uuid.UUID to nil", func(t *testing.T) {
		kept := u
		ptr := &u
		if err := pool.QueryRow(ctx, `SELECT NULL::uuid, NULL::uuid`).Scan(&kept, &ptr); err != nil {
			t.Fatal(err)
		}
		if kept != u || ptr != nil {
			t.Errorf("after NULL: %s and %v, want %s and nil", kept, ptr, u)
		}
	})
	t.Run("the text format (simple protocol) still parses", func(t *testing.T) {
		var got market.PartyID
		var gotU uuid.UUID
		if err := pool.QueryRow(ctx, `SELECT $1::uuid, $1::uuid`, pgx.QueryExecModeSimpleProtocol, u).Scan(&got, &gotU); err != nil {
			t.Fatal(err)
		}
		if uuid.UUID(got) != u || gotU != u {
			t.Errorf("scanned %s and %s, want %s", got, gotU, u)
		}
	})
}

// BenchmarkUUIDParams is one round trip with eight uuid.UUID parameters
// scanned back into eight uuid.UUIDs: the IDs an order's statements pass.
func BenchmarkUUIDParams(b *testing.B) {
	pool := pgtest.NewDB(b)
	ctx := context.Background()
	in := make([]any, 8)
	out := make([]uuid.UUID, 8)
	dst := make([]any, 8)
	for i := range in {
		in[i], dst[i] = uuid.New(), &out[i]
	}
	const q = `SELECT $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5::uuid, $6::uuid, $7::uuid, $8::uuid`
	b.ReportAllocs()
	for b.Loop() {
		if err := pool.QueryRow(ctx, q, in...).Scan(dst...); err != nil {
			b.Fatal(err)
		}
	}
}
