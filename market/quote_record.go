package market

import "github.com/google/uuid"

// QuoteRecord is a stored quote: the engine's pricing (Quote) and,
// for a seller's negotiated price, the quote it counters.
type QuoteRecord struct {
	Quote
	CounterOf     *QuoteID  `json:"counter_of,omitempty"`
	LedgerEntryID uuid.UUID `json:"ledger_entry_id"`
}
