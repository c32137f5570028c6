// Package pgp holds Shujiao's OpenPGP operations, on ProtonMail/go-crypto:
// the platform key (generated once under <data-dir>/keys/ and loaded from
// there), the armored public key that buyers and regulators verify with,
// detached signatures over de-identification certificates and signed tree
// heads, and encryption of a delivered dataset to a buyer's public key,
// signed by the platform key.
//
// Keys are OpenPGP v4 Ed25519 (signing) keys with a Curve25519 (ECDH)
// encryption subkey. Every signature and message is ASCII-armored unless the
// function says otherwise.
package pgp
