package ledger

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/pgp"
)

var testKey = func() *pgp.Key {
	k, err := pgp.Generate("Ledger test", "ledger@shujiao.test")
	if err != nil {
		panic(err)
	}
	return k
}()

// memLedger is a ledger held in memory, built the way the sequencer builds
// the stored one.
type memLedger struct {
	leaves []StoredLeaf
	nodes  []Node
	heads  []Head
}

func newMemLedger(t *testing.T, n int, headsAt ...int) *memLedger {
	t.Helper()
	m := &memLedger{}
	tree := NewTree()
	for i := range n {
		e := Entry{ID: uuid.New(), Seq: int64(i + 1), Kind: "order.paid",
			Payload: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)), At: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)}
		h, err := LeafHash(e, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		nodes, err := tree.Append(h)
		if err != nil {
			t.Fatal(err)
		}
		m.leaves = append(m.leaves, StoredLeaf{Index: uint64(i), EntryID: e.ID, Hash: h, Entry: &e})
		m.nodes = append(m.nodes, nodes...)
		for _, s := range headsAt {
			if s == i+1 {
				head, err := SignHead(testKey, tree.Size(), tree.Root(), time.Now())
				if err != nil {
					t.Fatal(err)
				}
				m.heads = append(m.heads, head)
			}
		}
	}
	return m
}

func (m *memLedger) Heads(context.Context) ([]Head, error) { return m.heads, nil }
func (m *memLedger) Leaves(_ context.Context, fn func(StoredLeaf) error) error {
	for _, l := range m.leaves {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}
func (m *memLedger) Nodes(context.Context) (NodeCursor, error) {
	return &memCursor{nodes: m.nodes}, nil
}
func (m *memLedger) Strays(context.Context, uint64) ([]Stray, error) { return nil, nil }

type memCursor struct {
	nodes []Node
	i     int
}

func (c *memCursor) Next() (Node, bool, error) {
	if c.i >= len(c.nodes) {
		return Node{}, false, nil
	}
	c.i++
	return c.nodes[c.i-1], true, nil
}
func (c *memCursor) Close() {}

func TestVerify(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		tamper func(m *memLedger)
		kind   string
		leaf   int64
	}{
		{"an untouched ledger verifies", func(*memLedger) {}, "", 0},
		{"a changed payload names its leaf", func(m *memLedger) {
			m.leaves[9].Entry.Payload = json.RawMessage(`{"n":999}`)
		}, ProblemChanged, 9},
		{"a missing entry row names its leaf", func(m *memLedger) { m.leaves[4].Entry = nil }, ProblemDeleted, 4},
		{"a missing leaf row names its position", func(m *memLedger) {
			m.leaves = append(m.leaves[:6:6], m.leaves[7:]...)
		}, ProblemDeleted, 6},
		{"two swapped leaves are reordered", func(m *memLedger) {
			m.leaves[2], m.leaves[11] = m.leaves[11], m.leaves[2]
			m.leaves[2].Index, m.leaves[11].Index = 2, 11
		}, ProblemReordered, 2},
		{"a changed node is a node problem", func(m *memLedger) { m.nodes[3].Hash = make([]byte, 32) }, ProblemNode, -2},
		{"a changed signed root fails its signature", func(m *memLedger) {
			m.heads[0].Root = append([]byte{m.heads[0].Root[0] ^ 1}, m.heads[0].Root[1:]...)
		}, ProblemSignature, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := newMemLedger(t, 16, 8, 16)
			tc.tamper(m)
			r, err := Verify(ctx, m, testKey.Public())
			if err != nil {
				t.Fatal(err)
			}
			if tc.kind == "" {
				if !r.OK || r.TreeSize != 16 || r.HeadsChecked != 2 {
					t.Fatalf("report = %+v, want OK", r)
				}
				return
			}
			if r.OK || r.FirstBad == nil || r.FirstBad.Kind != tc.kind || (tc.leaf >= -1 && r.FirstBad.LeafIndex != tc.leaf) {
				t.Errorf("first bad = %+v, want %s at leaf %d; all %+v", r.FirstBad, tc.kind, tc.leaf, r.Problems)
			}
		})
	}
}

func TestHead_SignatureRoundTripWrongKeyFlippedByte(t *testing.T) {
	root := make([]byte, 32)
	root[5] = 7
	h, err := SignHead(testKey, 12, root, time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(h.Message()), "shujiao ledger tree head v1\ntree_size: 12\nroot_hash: AAAAAAAHAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nsigned_at: 2026-11-23T08:00:00.000000Z\n"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	if err := VerifyHead(testKey.Public(), h); err != nil {
		t.Fatalf("round trip: %v", err)
	}
	other, err := pgp.Generate("Other", "other@shujiao.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyHead(other.Public(), h); err == nil {
		t.Error("another key verified the head")
	}
	for _, tc := range []struct {
		name string
		edit func(h *Head)
	}{
		{"a larger size", func(h *Head) { h.Size++ }},
		{"a flipped root byte", func(h *Head) { h.Root = append([]byte{h.Root[0] ^ 1}, h.Root[1:]...) }},
		{"another time", func(h *Head) { h.Time = h.Time.Add(time.Second) }},
	} {
		t.Run(tc.name+" fails", func(t *testing.T) {
			bad := h
			tc.edit(&bad)
			if err := VerifyHead(testKey.Public(), bad); err == nil {
				t.Error("verified")
			}
		})
	}
}
