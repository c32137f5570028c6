package postgres

import "github.com/jackc/pgx/v5"

// PipeTx is tx holding its writes until the next read or the commit, as
// order placement and quoting run (tx_pipeline.go), for the tests.
func PipeTx(tx pgx.Tx) pgx.Tx { return &pipeTx{Tx: tx} }

// InsertLedgerEntry is AppendLedger's statement, for the tests.
const InsertLedgerEntry = insertLedgerEntry

// TransferFresh books p as the payment of an order placed in tx does (see
// transferFresh), for the tests.
var TransferFresh = transferFresh

// SelectBuyerFacts is the quote's read of the buyer's trades with the
// listing's seller, for the tests.
const SelectBuyerFacts = selectBuyerFacts
