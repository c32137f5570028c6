// Package fingerprint marks every delivered copy of a tabular release with
// its buyer, and finds the buyer of a leaked copy.
//
// A copy is made from the certified release and a per-order secret
// (OrderKey, derived from a platform key the buyer never sees). Every
// choice the mark makes is keyed by that secret and leaves the release's
// privacy guarantees as they were: pseudonym columns get per-order keyed
// pseudonyms (a bijection of the release's pseudonyms), numeric insensitive
// columns with a declared precision get a keyed shift of the digit just
// below it (a bijection inside each bucket of equal higher digits), and
// rows come in a keyed order. Quasi-identifiers and sensitive values are
// never touched, so k, l and t, the equivalence classes and the gate's
// verdict are those of the release (docs/fingerprint.md).
//
// Detect reads a leaked table — any sample of the rows, in any order, with
// columns dropped, renamed or reordered, converted between formats or
// re-encoded — and scores every candidate copy by the marks it agrees with.
// Each score comes with the probability that an innocent copy scores as
// high (an exact Poisson-binomial tail, or its Chernoff bound for long
// leaks), computed from the leak alone: a copy whose key did not make the
// leak agrees with each mark only by chance, whatever colluders did.
//
// The package is pure Go; it does no I/O. Its functions are safe for
// concurrent use on tables nobody mutates; a Detector is not.
package fingerprint
