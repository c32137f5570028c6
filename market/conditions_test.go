package market

import (
	"testing"
)

func TestConditionsKey_ShaanxiArt37_2(t *testing.T) {
	rs := DefaultRuleSet()
	base := conds("1")
	cases := []struct {
		name string
		edit func(c *Conditions)
		same bool
	}{
		{"volumes in the same band share a key", func(c *Conditions) { c.Cost.Volume = dec("999") }, true},
		{"a volume in the next band does not", func(c *Conditions) { c.Cost.Volume = dec("1000") }, false},
		{"another delivery mode does not", func(c *Conditions) { c.Security.DeliveryMode = "sandbox" }, false},
		{"another certification level does not", func(c *Conditions) { c.Security.CertificationLevel = "L2" }, false},
		{"another channel does not", func(c *Conditions) { c.Cost.Channel = "express" }, false},
		{"another credit rating does not", func(c *Conditions) { c.Credit = CreditB }, false},
		{"another stage does not", func(c *Conditions) { c.Stage = StageResale }, false},
		{"another duration does not (no duration bands)", func(c *Conditions) { c.DurationMonths = 13 }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			other := base
			c.edit(&other)
			if got := base.Key(&rs.Art37) == other.Key(&rs.Art37); got != c.same {
				t.Errorf("%q vs %q: same=%v, want %v", base.Key(&rs.Art37), other.Key(&rs.Art37), got, c.same)
			}
		})
	}
	t.Run("duration bands group durations", func(t *testing.T) {
		r := rs.Art37
		r.DurationBands = []int{12, 36}
		a, b, c := conds("1"), conds("1"), conds("1")
		a.DurationMonths, b.DurationMonths, c.DurationMonths = 12, 35, 36
		if a.Key(&r) != b.Key(&r) || b.Key(&r) == c.Key(&r) {
			t.Errorf("keys %q %q %q", a.Key(&r), b.Key(&r), c.Key(&r))
		}
	})
	t.Run("without bands volumes compare exactly", func(t *testing.T) {
		r := rs.Art37
		r.VolumeBands = nil
		a, b := conds("5"), conds("6")
		if a.Key(&r) == b.Key(&r) {
			t.Errorf("key %q for both", a.Key(&r))
		}
	})
}
