package fingerprint_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// testPolicy de-identifies the synthetic population table: names and ID
// numbers dropped, phone numbers pseudonymized, birth date, sex and
// division generalized, diagnosis sensitive, income released with a
// declared precision of 1000 (it is rounded to 100 in the raw table).
const testPolicy = `{"columns": {"身份证号": {"role": "identifying"}, "姓名": {"role": "identifying"},
 "手机号": {"role": "identifying", "action": "pseudonymize"},
 "性别": {"role": "quasi"}, "出生日期": {"role": "quasi", "hierarchy": "date"},
 "行政区划": {"role": "quasi", "hierarchy": "division"},
 "学历": {"role": "insensitive"}, "职业": {"role": "insensitive"},
 "收入": {"role": "insensitive", "precision": "1000"}, "诊断": {"role": "sensitive"}},
 "k": 5, "l": "distinct:2", "suppression": 0.05}`

// sellerKey is the platform pseudonymization key the fixtures'
// pseudonyms are made under.
var sellerKey = anonymizer.PseudonymKey{ID: "test-seller", Method: anonymizer.MethodHMACSHA256,
	Secret: []byte("seller pseudonym key, never released")}

// copyGate returns the gate options of f for the copy made under c's key:
// the release's, with the copy's key so that the gate recomputes the
// copy's pseudonyms.
func copyGate(tb testing.TB, f *fixture, c fingerprint.Copy) anonymizer.GateOptions {
	tb.Helper()
	ck, err := fingerprint.GateKey(c.ID, c.Key)
	if err != nil {
		tb.Fatal(err)
	}
	g := f.gate
	g.CopyKeys = []anonymizer.CopyKey{ck}
	return g
}

// fixture is one certified release and its gate inputs.
type fixture struct {
	raw, release *anonymizer.Table
	policy       *anonymizer.Policy
	gate         anonymizer.GateOptions
	plan         fingerprint.Plan
	result       *anonymizer.GateResult
}

var (
	fixtures   = map[int]*fixture{}
	fixturesMu sync.Mutex
)

// mustFixture returns the release of a synthetic table of rows rows under
// testPolicy, checked by the gate (built once per size).
func mustFixture(tb testing.TB, rows int) *fixture {
	tb.Helper()
	fixturesMu.Lock()
	defer fixturesMu.Unlock()
	if f := fixtures[rows]; f != nil {
		return f
	}
	raw := anonymizer.SynthesizeTable(rows, 20)
	pol, err := anonymizer.ParsePolicy("policy.json", strings.NewReader(testPolicy))
	if err != nil {
		tb.Fatal(err)
	}
	specs := map[string]string{}
	cfg := anonymizer.Config{PseudonymKey: sellerKey.Secret, PseudonymMethod: sellerKey.Method, PseudonymKeyID: sellerKey.ID,
		Hierarchies: map[string]*anonymizer.Hierarchy{}}
	if err := pol.Apply(&cfg, specs); err != nil {
		tb.Fatal(err)
	}
	for col, spec := range specs {
		h, err := anonymizer.ResolveHierarchy(raw, col, spec)
		if err != nil {
			tb.Fatal(err)
		}
		cfg.Hierarchies[col] = h
	}
	res, err := anonymizer.Anonymize(context.Background(), raw, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	// The gate recomputes the pseudonyms with the key that made them, as the
	// platform's gate does with its key store (Tianjin Art. 29).
	gate := anonymizer.GateOptions{Mode: anonymizer.ModeAgreement, Policy: pol, Hierarchies: cfg.Hierarchies,
		PseudonymKeys: []anonymizer.PseudonymKey{sellerKey}}
	gr := anonymizer.CheckRelease(raw, res.Table, gate)
	if !gr.Passed {
		tb.Fatalf("the release fails the gate: %+v", gr.Reasons)
	}
	plan, err := fingerprint.NewPlan(res.Table, pol, gr.Pseudonyms)
	if err != nil {
		tb.Fatal(err)
	}
	f := &fixture{raw: raw, release: res.Table, policy: pol, gate: gate, plan: plan, result: gr}
	fixtures[rows] = f
	return f
}

// mustCopies returns n copies of the release with their order keys,
// "order-00" … "order-NN".
func mustCopies(tb testing.TB, f *fixture, n int) ([]*anonymizer.Table, []fingerprint.Copy) {
	tb.Helper()
	platform := bytes.Repeat([]byte{7}, fingerprint.KeySize)
	tables := make([]*anonymizer.Table, n)
	copies := make([]fingerprint.Copy, n)
	for i := range n {
		id := "order-" + string(rune('A'+i/26)) + string(rune('a'+i%26))
		key, err := fingerprint.OrderKey(platform, id)
		if err != nil {
			tb.Fatal(err)
		}
		c, _, err := fingerprint.Embed(f.release, f.plan, key)
		if err != nil {
			tb.Fatal(err)
		}
		tables[i], copies[i] = c, fingerprint.Copy{ID: id, Key: key}
	}
	return tables, copies
}

// rebuild returns a table of the given header and rows.
func rebuild(tb testing.TB, header []string, rows [][]string) *anonymizer.Table {
	tb.Helper()
	t, err := anonymizer.NewTable("leak", header)
	if err != nil {
		tb.Fatal(err)
	}
	for _, r := range rows {
		if err := t.AppendRow(r, 0); err != nil {
			tb.Fatal(err)
		}
	}
	return t
}

func allRows(t *anonymizer.Table) [][]string {
	out := make([][]string, t.Rows())
	for r := range out {
		out[r] = t.Row(r)
	}
	return out
}

// sample keeps a share of the rows, shuffled.
func sample(tb testing.TB, t *anonymizer.Table, share float64, seed uint64) *anonymizer.Table {
	rng := rand.New(rand.NewPCG(seed, 1))
	rows := allRows(t)
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	return rebuild(tb, t.Header(), rows[:int(float64(len(rows))*share)])
}

// project keeps the named columns, in that order, renamed by rename
// (when not nil).
func project(tb testing.TB, t *anonymizer.Table, keep []string, rename func(string) string) *anonymizer.Table {
	idx := make([]int, len(keep))
	header := make([]string, len(keep))
	for i, n := range keep {
		idx[i] = t.ColumnIndex(n)
		if idx[i] < 0 {
			tb.Fatalf("no column %s", n)
		}
		header[i] = n
		if rename != nil {
			header[i] = rename(n)
		}
	}
	rows := make([][]string, t.Rows())
	for r := range rows {
		rows[r] = make([]string, len(idx))
		for i, c := range idx {
			rows[r][i] = t.Value(r, c)
		}
	}
	return rebuild(tb, header, rows)
}

// without returns the header of t without the named columns.
func without(t *anonymizer.Table, drop ...string) []string {
	var out []string
	for _, n := range t.Header() {
		if !contains(drop, n) {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// mapColumn returns t with f applied to every value of column col.
func mapColumn(tb testing.TB, t *anonymizer.Table, col string, f func(string) string) *anonymizer.Table {
	c := t.ColumnIndex(col)
	rows := allRows(t)
	for _, r := range rows {
		r[c] = f(r[c])
	}
	return rebuild(tb, t.Header(), rows)
}

// roundTrip writes t in format f (GB18030-encoded when gb) and reads it back.
func roundTrip(tb testing.TB, t *anonymizer.Table, f anonymizer.Format, gb bool) *anonymizer.Table {
	tb.Helper()
	var buf bytes.Buffer
	if err := anonymizer.WriteTable(&buf, t, f, anonymizer.WriteOptions{}); err != nil {
		tb.Fatal(err)
	}
	b := buf.Bytes()
	if gb {
		enc, err := simplifiedchinese.GB18030.NewEncoder().Bytes(b)
		if err != nil {
			tb.Fatal(err)
		}
		if bytes.Equal(enc, b) {
			tb.Fatal("GB18030 encoding changed nothing: the table has no Chinese text")
		}
		b = enc
	}
	back, _, err := anonymizer.ReadTable(bytes.NewReader(b), "leak."+string(f), anonymizer.ReadOptions{Format: f})
	if err != nil {
		tb.Fatal(err)
	}
	return back
}

// mustDetect runs Detect and fails the test on error.
func mustDetect(tb testing.TB, leak *anonymizer.Table, f *fixture, copies []fingerprint.Copy) *fingerprint.Result {
	tb.Helper()
	res, err := fingerprint.Detect(leak, f.release, f.plan, copies, fingerprint.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// named returns the ids of the named candidates.
func named(res *fingerprint.Result) []string {
	var out []string
	for _, c := range res.Candidates {
		if c.Named {
			out = append(out, c.ID)
		}
	}
	return out
}
