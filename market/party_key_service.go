package market

import (
	"context"
	"time"
)

// PartyKeyWriter is the storage the PartyKeys service writes through
// (implemented by internal/postgres).
type PartyKeyWriter interface {
	// SetPartyKey stores k (replacing the party's key), registered by
	// user, and appends "party.pgp_key_registered" to the ledger in the
	// same transaction.
	SetPartyKey(ctx context.Context, k PartyKey, by UserID) error
}

// PartyKeys is the use case of a party's OpenPGP public key, to which its
// deliveries are encrypted. It is safe for concurrent use.
type PartyKeys struct {
	store PartyKeyWriter
}

// NewPartyKeys returns the party-key service over store.
func NewPartyKeys(store PartyKeyWriter) *PartyKeys { return &PartyKeys{store: store} }

// Put registers (or replaces) party's OpenPGP public key at now, already
// parsed and validated by the caller (armored, with its fingerprint), and
// returns it as stored. Only a member of the party may: a regulator or
// another party cannot swap the key a seller encrypts to.
//
// Errors: ErrForbidden (code forbidden_party) for an actor of another
// party; the storage's error otherwise.
func (s *PartyKeys) Put(ctx context.Context, actor Actor, party PartyID, armored, fingerprint string, now time.Time) (PartyKey, error) {
	if err := actor.RequireOwnParty(party); err != nil {
		return PartyKey{}, err
	}
	k := PartyKey{PartyID: party, Armored: armored, Fingerprint: fingerprint, UpdatedAt: now.UTC().Truncate(time.Microsecond)}
	if err := s.store.SetPartyKey(ctx, k, actor.UserID); err != nil {
		return PartyKey{}, err
	}
	return k, nil
}
