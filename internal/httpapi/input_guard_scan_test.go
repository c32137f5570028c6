package httpapi

import "testing"

var guardSeeds = []string{
	`{"listing_id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","conditions":{"volume":"1000","duration_months":12,"stage":"direct"}}`,
	`{"quote_id":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","purpose":"风控建模","export":false}`,
	`{"amount":"1e999"}`, `{"amount":1e999}`, `{"amount":-12345678901234567890123456789012345678901}`,
	`{"name":"a\u0000b"}`, `{"a\u0000":1}`, `{"name":"\u00a01e999"}`, "{\"name\":\"\u00a01e999\"}", `{"n":" 1e31 "}`,
	`{"n":"1e30"}`, `{"n":1e-31}`, `[1,2,{"x":[ "y", -0.5e+3 ]}]`, `"top"`, `{"a":`, `{"a":"\n"}`, "{\"a\":\"\xff\"}",
	`{"1e999":true}`, `{"a":"b","a":"c"}`, ``, `{}`, `nul`, `{"a":"\\"}`, `{"a":"x\"y"}`,
}

func TestJSONPlainlyClean_TypicalBodiesSkipTheWalkAndBadOnesDoNot(t *testing.T) {
	for _, s := range guardSeeds[:2] {
		if !jsonPlainlyClean([]byte(s)) {
			t.Errorf("a quote or order body %s takes the token walk", s)
		}
		b := []byte(s)
		if n := testing.AllocsPerRun(10, func() { jsonPlainlyClean(b) }); n != 0 && !raceEnabled {
			t.Errorf("jsonPlainlyClean(%s) allocates %.0f times", s, n)
		}
	}
	for _, s := range []string{`{"amount":"1e999"}`, `{"amount":1e999}`, `{"name":"a\u0000b"}`, "{\"name\":\"\u00a01e999\"}", "{\"a\":\"\xff\"}"} {
		if jsonPlainlyClean([]byte(s)) {
			t.Errorf("%q passed as plainly clean", s)
		} else if checkJSON([]byte(s)) == nil && s != "{\"a\":\"\xff\"}" {
			t.Errorf("checkJSON(%q) found nothing either", s)
		}
	}
}

// FuzzJSONPlainlyClean: a body the fast scan passes is one the token walk
// (checkJSON) passes too, whatever the bytes.
func FuzzJSONPlainlyClean(f *testing.F) {
	for _, s := range guardSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if jsonPlainlyClean(body) {
			if err := checkJSON(body); err != nil {
				t.Fatalf("jsonPlainlyClean(%q) passed it, checkJSON refuses it: %v", body, err)
			}
		}
	})
}

// BenchmarkGuardJSON is the input guard on a quote's body: the token walk
// it took on every JSON request before, and the scan it takes first now.
func BenchmarkGuardJSON(b *testing.B) {
	body := []byte(guardSeeds[0])
	b.Run("token walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = checkJSON(body)
		}
	})
	b.Run("plain scan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			jsonPlainlyClean(body)
		}
	})
}
