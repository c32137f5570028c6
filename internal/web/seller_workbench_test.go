package web

import (
	"net/url"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// TestPresets_KFromTheModesThreshold: each preset's k is the smallest class
// its mode's gate accepts (1/θ), so a preset never queues a job the
// irreversibility gate must refuse on class size.
func TestPresets_KFromTheModesThreshold(t *testing.T) {
	want := map[string]string{market.ModePublic: "20", market.ModeAgreement: "5", market.ModeEnclave: "3"}
	for mode, k := range want {
		f := url.Values{"role.诊断": {"sensitive"}, "role.年龄": {"quasi"}, "k": {"2"}, "t": {"0.3"}}
		if !applyPreset(f, mode, []string{"诊断", "年龄"}) {
			t.Fatalf("preset %s unknown", mode)
		}
		if f.Get("k") != k || f.Get("mode") != mode || f.Get("t") != "" {
			t.Errorf("preset %s: k %q mode %q t %q, want k %s, the mode, no t", mode, f.Get("k"), f.Get("mode"), f.Get("t"), k)
		}
		if got := 1 / anonymizer.Mode(mode).Threshold(); got != float64(presetK(mode)) {
			t.Errorf("preset %s: k %d but the gate's threshold is 1/%g", mode, presetK(mode), got)
		}
		if f.Get("role.年龄") != "quasi" {
			t.Errorf("preset %s changed a column's role", mode)
		}
		if wantL := map[string]string{market.ModePublic: "distinct:2"}[mode]; f.Get("l") != wantL {
			t.Errorf("preset %s: l %q, want %q", mode, f.Get("l"), wantL)
		}
	}
	if applyPreset(url.Values{}, "everyone", nil) {
		t.Error("an unknown preset was applied")
	}
}
