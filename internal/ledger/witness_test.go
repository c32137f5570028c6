package ledger

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHead_JSONAgreesWithSignedText: a head signed at a time whose
// microseconds end in zeros (…00.123450Z) shows in JSON exactly the
// signed_at and root_hash of the signed text. It failed while signed_at went
// through time.Time's JSON, which drops trailing zeros (about one head in
// ten), so an auditor copying the JSON value could not verify the head.
func TestHead_JSONAgreesWithSignedText(t *testing.T) {
	root := make([]byte, 32)
	root[0] = 0xfb
	for _, at := range []time.Time{
		time.Date(2026, 11, 23, 8, 0, 0, 123450000, time.UTC),
		time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 23, 8, 0, 0, 100000000, time.UTC),
	} {
		h, err := SignHead(testKey, 3, root, at)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		var wire map[string]any
		if err := json.Unmarshal(b, &wire); err != nil {
			t.Fatal(err)
		}
		msg := string(h.Message())
		for _, field := range []string{"signed_at", "root_hash"} {
			if line := field + ": " + wire[field].(string) + "\n"; !strings.Contains(msg, line) {
				t.Errorf("JSON %s %q is not the signed text's %q", field, wire[field], msg)
			}
		}
		var back Head
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := VerifyHead(testKey.Public(), back); err != nil {
			t.Errorf("head read back from JSON %s: %v", b, err)
		}
	}
	t.Run("a root that is not 32 bytes is refused", func(t *testing.T) {
		bad := `{"tree_size":1,"root_hash":"` + base64.StdEncoding.EncodeToString([]byte("short")) + `","signed_at":"2026-11-23T08:00:00.000000Z"}`
		var h Head
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Error("accepted a 5-byte root")
		}
	})
}

// TestHeadFile_AppendsOncePerSizeAndReadsBack: the witness file keeps one
// line per new tree size, survives a reopen, and reads back verifiable heads.
func TestHeadFile_AppendsOncePerSizeAndReadsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger", "heads.jsonl")
	m := newMemLedger(t, 8, 4, 8)
	f := NewHeadFile(path)
	for _, h := range []Head{m.heads[0], m.heads[0], m.heads[1]} {
		if err := f.Append(h); err != nil {
			t.Fatal(err)
		}
	}
	if err := NewHeadFile(path).Append(m.heads[1]); err != nil { // another process, same head
		t.Fatal(err)
	}
	heads, err := ReadHeads(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(heads), 2; got != want {
		t.Fatalf("%d heads in the file, want %d", got, want)
	}
	for _, h := range heads {
		if err := VerifyHead(testKey.Public(), h); err != nil {
			t.Error(err)
		}
	}
}

// TestVerifyWitnessed: a ledger checked against heads kept outside the
// database fails, with a one-line reason naming what is missing, when it
// was wiped, rolled back or forked, or when a signed head was deleted. All
// of these passed Verify before (it only compared the ledger with itself).
func TestVerifyWitnessed(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		tamper  func(m *memLedger)
		message string
	}{
		{"an untouched ledger verifies", func(*memLedger) {}, ""},
		{"a wiped ledger names the missing entries", func(m *memLedger) {
			m.leaves, m.nodes, m.heads = nil, nil, nil
		}, "entries 0–15 are missing"},
		{"a ledger rolled back to 8 entries names entries 8–15", func(m *memLedger) {
			m.leaves, m.heads = m.leaves[:8], m.heads[:1]
			var kept []Node
			for _, n := range m.nodes {
				if (n.Index+1)<<n.Level <= 8 {
					kept = append(kept, n)
				}
			}
			m.nodes = kept
		}, "entries 8–15 are missing"},
		{"a deleted latest head is named", func(m *memLedger) { m.heads = m.heads[:1] }, "the head over 16 entries signed at"},
		{"a fork re-signed by the platform key is named", func(m *memLedger) {
			fork := newMemLedger(t, 16, 8, 16)
			*m = *fork
		}, "do not match the head witnessed at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMemLedger(t, 16, 8, 16)
			witnessed := append([]Head(nil), m.heads...)
			tc.tamper(m)
			r, err := VerifyWitnessed(ctx, m, testKey.Public(), witnessed)
			if err != nil {
				t.Fatal(err)
			}
			if tc.message == "" {
				if !r.OK || r.WitnessesChecked != 2 {
					t.Fatalf("report = %+v, want OK over 2 witnessed heads", r)
				}
				return
			}
			if r.OK || r.FirstBad == nil || !strings.Contains(r.FirstBad.Message, tc.message) {
				t.Fatalf("first bad = %+v, want a message with %q; all %+v", r.FirstBad, tc.message, r.Problems)
			}
			if strings.Contains(r.FirstBad.Message, "\n") {
				t.Errorf("the reason is not one line: %q", r.FirstBad.Message)
			}
		})
	}
	t.Run("a witnessed head with a bad signature is reported, not trusted", func(t *testing.T) {
		m := newMemLedger(t, 4, 4)
		w := m.heads[0]
		w.Size = 99
		r, err := VerifyWitnessed(ctx, m, testKey.Public(), []Head{w})
		if err != nil {
			t.Fatal(err)
		}
		if r.OK || r.ProblemCount != 1 || r.FirstBad.Kind != ProblemWitness || !strings.Contains(r.FirstBad.Message, "does not verify") {
			t.Errorf("report = %+v", r)
		}
	})
}
