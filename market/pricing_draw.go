package market

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math/big"
	"time"
)

// DrawResult is one replayable random-allocation draw: HMAC-SHA-256 keyed
// by the rule's published seed over the draw id; the first 8 bytes, read
// as a big-endian integer x, give the uniform value u = x / 2^64, and the
// draw wins when u < odds.
type DrawResult struct {
	RuleID string `json:"rule_id"`
	DrawID string `json:"draw_id"`
	// MAC is the hex HMAC-SHA-256 the draw was made from.
	MAC string `json:"mac"`
	// U is the uniform value x / 2^64, to 12 places.
	U   string `json:"u"`
	Won bool   `json:"won"`
}

// Draw replays (or makes) the draw drawID under rule r. It is
// deterministic: the same rule and id always give the same result, so
// anyone holding the published rule can check a recorded draw. Safe for
// concurrent use.
func Draw(r RandomRule, drawID string) DrawResult {
	m := hmac.New(sha256.New, []byte(r.Seed))
	m.Write([]byte(drawID))
	sum := m.Sum(nil)
	x := new(big.Int).SetUint64(binary.BigEndian.Uint64(sum[:8]))
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	// won ⇔ x/2^64 < num/den ⇔ x·den < num·2^64, in exact integers.
	odds := r.Odds.Rat()
	lhs := new(big.Int).Mul(x, odds.Denom())
	rhs := new(big.Int).Mul(odds.Num(), two64)
	u := new(big.Rat).SetFrac(x, two64)
	return DrawResult{RuleID: r.ID, DrawID: drawID, MAC: hex.EncodeToString(sum), U: u.FloatString(12), Won: lhs.Cmp(rhs) < 0}
}

// ActiveAt reports whether the rule runs at t (a zero Start or End is unbounded).
func (r RandomRule) ActiveAt(t time.Time) bool {
	return (r.Start.IsZero() || !t.Before(r.Start)) && (r.End.IsZero() || t.Before(r.End))
}
