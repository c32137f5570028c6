package postgres

import (
	"time"

	"github.com/google/uuid"
)

// insertLedgerEntries appends several ledger entries in one statement, in
// the order of the arrays: the identity (seq) is drawn row by row in that
// order, so the entries of a transaction keep the order they were appended
// in, as one INSERT each would.
const insertLedgerEntries = `
INSERT INTO ledger_entries (id, kind, party_id, subject_id, payload, at)
SELECT e.id, e.kind, e.party_id, e.subject_id, e.payload::jsonb, e.at
FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[])
     WITH ORDINALITY AS e(id, kind, party_id, subject_id, payload, at, n)
ORDER BY e.n`

// ledgerBatch is the rows of the ledger appends a pipeTx holds, sent as one
// insertLedgerEntries (issue 18: an order's appends were one INSERT each,
// the largest statement count of the flow).
type ledgerBatch struct {
	ids               []uuid.UUID
	kinds, payloads   []string
	parties, subjects []*uuid.UUID
	ats               []time.Time
	queued            bool
}

// ledgerRows gathers the held ledger appends of pending; nil when there are
// fewer than two (one goes as it was held) or when one's arguments are not
// those AppendLedger gives (then each goes as it was held).
func ledgerRows(pending []pendingStmt) *ledgerBatch {
	var b ledgerBatch
	for _, s := range pending {
		if s.sql != insertLedgerEntry {
			continue
		}
		if len(s.args) != 6 {
			return nil
		}
		id, ok0 := s.args[0].(uuid.UUID)
		kind, ok1 := s.args[1].(string)
		party, ok2 := s.args[2].(*uuid.UUID)
		subject, ok3 := s.args[3].(*uuid.UUID)
		payload, ok4 := s.args[4].(string)
		at, ok5 := s.args[5].(time.Time)
		if !ok0 || !ok1 || !ok2 || !ok3 || !ok4 || !ok5 {
			return nil
		}
		b.ids, b.kinds, b.parties = append(b.ids, id), append(b.kinds, kind), append(b.parties, party)
		b.subjects, b.payloads, b.ats = append(b.subjects, subject), append(b.payloads, payload), append(b.ats, at)
	}
	if len(b.ids) < 2 {
		return nil
	}
	return &b
}

// args are insertLedgerEntries' arguments.
func (b *ledgerBatch) args() []any {
	return []any{b.ids, b.kinds, b.parties, b.subjects, b.payloads, b.ats}
}
