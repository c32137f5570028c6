package ledger

import (
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"
)

var sampleEntry = Entry{
	ID:        uuid.MustParse("0193a5b2-7c1e-7d3f-9a2b-1c2d3e4f5a6b"),
	Seq:       42,
	Kind:      "order.paid",
	PartyID:   uuid.MustParse("0193a5b2-0000-7000-8000-000000000001"),
	SubjectID: uuid.MustParse("0193a5b2-0000-7000-8000-000000000002"),
	Payload:   json.RawMessage(`{ "amount": "12000.00", "note": "<a&b>" }`),
	At:        time.Date(2026, 11, 23, 12, 30, 0, 123456789, time.FixedZone("CST", 8*3600)),
}

func TestLeafData_IsTheDocumentedCanonicalText(t *testing.T) {
	got, err := LeafData(sampleEntry, 7)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"v":1,"leaf_index":7,"id":"0193a5b2-7c1e-7d3f-9a2b-1c2d3e4f5a6b","seq":42,"kind":"order.paid",` +
		`"party_id":"0193a5b2-0000-7000-8000-000000000001","subject_id":"0193a5b2-0000-7000-8000-000000000002",` +
		`"at":"2026-11-23T04:30:00.123456Z","payload":{"amount":"12000.00","note":"<a&b>"}}`
	if string(got) != want {
		t.Errorf("leaf data\n got %s\nwant %s", got, want)
	}
	h, err := LeafHash(sampleEntry, 7)
	if err != nil {
		t.Fatal(err)
	}
	// SHA-256(0x00 ‖ want), computed independently (Python hashlib).
	if got, want := hex.EncodeToString(h), leafHashOfWant; got != want {
		t.Errorf("leaf hash = %s, want %s", got, want)
	}
}

func TestLeafHash_ChangesWithEveryFieldAndThePosition(t *testing.T) {
	base, _ := LeafHash(sampleEntry, 7)
	for _, tc := range []struct {
		name  string
		edit  func(e *Entry)
		index uint64
	}{
		{"another position", func(*Entry) {}, 8},
		{"another id", func(e *Entry) { e.ID = uuid.New() }, 7},
		{"another seq", func(e *Entry) { e.Seq++ }, 7},
		{"another kind", func(e *Entry) { e.Kind = "order.refunded" }, 7},
		{"another party", func(e *Entry) { e.PartyID = uuid.New() }, 7},
		{"another subject", func(e *Entry) { e.SubjectID = uuid.New() }, 7},
		{"another amount", func(e *Entry) { e.Payload = json.RawMessage(`{"amount":"12000.01","note":"<a&b>"}`) }, 7},
		{"a microsecond later", func(e *Entry) { e.At = e.At.Add(time.Microsecond) }, 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := sampleEntry
			tc.edit(&e)
			h, err := LeafHash(e, tc.index)
			if err != nil {
				t.Fatal(err)
			}
			if hex.EncodeToString(h) == hex.EncodeToString(base) {
				t.Errorf("%s: leaf hash unchanged", tc.name)
			}
		})
	}
	t.Run("whitespace in the payload does not matter", func(t *testing.T) {
		e := sampleEntry
		e.Payload = json.RawMessage(`{"amount":"12000.00","note":"<a&b>"}`)
		h, _ := LeafHash(e, 7)
		if hex.EncodeToString(h) != hex.EncodeToString(base) {
			t.Error("compacting the payload changed the leaf hash")
		}
	})
	t.Run("a payload that is not JSON is an error", func(t *testing.T) {
		e := sampleEntry
		e.Payload = json.RawMessage(`{"amount":`)
		if _, err := LeafHash(e, 7); err == nil {
			t.Error("no error for a broken payload")
		}
	})
}

// leafHashOfWant is SHA-256(0x00 ‖ the leaf data above), computed outside Go.
const leafHashOfWant = "427432487071355b9f8da26f8b4d299de3f532a459799b4e0267aacf109a6364"
