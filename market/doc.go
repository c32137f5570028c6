// Package market is Shujiao's trading domain: parties and accounts, listings
// and the Shaanxi Art. 36 gate, price plans, quotes and the Art. 37 price
// discrimination detector, orders and escrow, the transaction ledger,
// regulator cases and the penalties of Art. 74, 75 and 77.
//
// It defines the storage interfaces it needs; internal/postgres implements
// them. It imports neither pgx nor gin.
package market
