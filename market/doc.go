// Package market is Shujiao's trading domain: parties and accounts, listings
// and the Shaanxi Art. 36 gate, price plans, quotes and the Art. 37 price
// discrimination detector, orders and escrow, the transaction ledger,
// regulator cases and the penalties of Art. 74, 75 and 77.
//
// The use cases are services that take the acting user (Actor), check role
// and party, apply the rules and call storage through small interfaces
// declared beside them: Listings (listing_service.go over ListingStore),
// Quotes (quote_service.go, quote_audit.go over QuoteStore), Cases
// (case_service.go over CaseStore), Orders (order_service.go over
// OrderStore), Accounts and Procedures. internal/postgres implements the
// interfaces with SQL only. It imports neither pgx nor gin.
package market
