// Package anonymizer is Shujiao's de-identification engine: dictionary-encoded
// tables, generalization hierarchies, PII detection, transforms, privacy
// models (k-anonymity, l-diversity, t-closeness), the lattice search for the
// least-loss transformation, risk and utility metrics, and the irreversibility
// gate of Tianjin Art. 29 ("no specific data provider can be identified, and
// the processing cannot be reversed").
//
// It is pure Go: no database, no HTTP.
package anonymizer
