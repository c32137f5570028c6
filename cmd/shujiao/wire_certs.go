package main

import (
	"time"

	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
)

// certificateVerifier is what the stores verify de-identification
// certificates' signatures with (Tianjin Art. 29): the platform's public
// key, behind a memo of the signatures it accepted in the last minute
// (market.VerifiedMemo), since every order re-checks its listing's.
func certificateVerifier(key *pgp.Key) market.SignatureVerifier {
	return market.RememberVerified(key.Public(), time.Minute, nil)
}
