package postgres

import (
	"github.com/shujiao/shujiao/internal/ledger"
)

// HeadWitness keeps signed tree heads outside the database, where someone
// with database access cannot rewrite them (*ledger.HeadFile does).
type HeadWitness interface {
	Append(h ledger.Head) error
}

var _ HeadWitness = (*ledger.HeadFile)(nil)

// WitnessHeads makes s hand every head SignHead returns to w (which skips
// heads it already holds). A head the witness cannot keep is logged as an
// error; the head stays signed and stored. Call it before Run; it is not
// safe to call concurrently with SignHead.
func (s *Sequencer) WitnessHeads(w HeadWitness) { s.witness = w }

// witnessHead hands h to the witness, if any.
func (s *Sequencer) witnessHead(h ledger.Head) {
	if s.witness == nil {
		return
	}
	if err := s.witness.Append(h); err != nil {
		s.log.Error("ledger: the witness did not keep the signed tree head", "tree_size", h.Size, "error", err.Error())
	}
}
