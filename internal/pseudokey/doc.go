// Package pseudokey is the platform's store of pseudonymization keys
// (Tianjin Art. 29: a pseudonym cannot be reversed only when no recipient
// can recompute it — it is keyed with a secret the platform holds and never
// releases).
//
// Keys live under <data-dir>/keys/pseudonym/, one file per key
// (<id>.json, mode 0600, in a directory of mode 0700), and a file
// "current" naming the key new pseudonyms use. Rotating adds a key and makes
// it current; old keys are kept, so the gate still recognises, and
// certificates still name, the pseudonyms made under them. A key's ID is
// derived from its secret by a one-way hash and is the only thing about it
// that may appear in releases, certificates, logs or API answers.
package pseudokey
