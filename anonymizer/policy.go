package anonymizer

// Role is what a column is to de-identification.
type Role string

// Column roles.
const (
	// RoleIdentifying: a direct identifier; dropped or replaced by a keyed pseudonym.
	RoleIdentifying Role = "identifying"
	// RoleQuasi: a quasi-identifier; generalized by its hierarchy.
	RoleQuasi Role = "quasi"
	// RoleSensitive: protected by l-diversity / t-closeness; released as is.
	RoleSensitive Role = "sensitive"
	// RoleInsensitive: released as is.
	RoleInsensitive Role = "insensitive"
)

// Policy says how a table is de-identified: each column's role and treatment,
// and the privacy models the release must satisfy. It is the JSON of
// `shujiao anonymize --policy` and of `shujiao check-release --policy`.
//
//	{"columns": {"身份证号": {"role": "identifying", "action": "drop"},
//	             "age": {"role": "quasi", "hierarchy": "interval:5,10,20"},
//	             "diagnosis": {"role": "sensitive"}},
//	 "k": 5, "l": "distinct:2", "t": 0.2, "suppression": 0.05,
//	 "metric": "loss", "algorithm": "optimal", "accept_homogeneity": false}
type Policy struct {
	Columns map[string]ColumnPolicy `json:"columns"`
	// K is the k of k-anonymity (0 or 1: not required).
	K int `json:"k,omitempty"`
	// L is an l-diversity model: "distinct:2", "entropy:2", "recursive:4,2".
	L string `json:"l,omitempty"`
	// T is the t of t-closeness (0: not required).
	T float64 `json:"t,omitempty"`
	// Suppression is the largest share of rows that may be suppressed (0..1).
	Suppression float64 `json:"suppression,omitempty"`
	// Metric is minimized by the search: loss (default), precision, discernibility, entropy.
	Metric string `json:"metric,omitempty"`
	// Algorithm is optimal (full-domain lattice search, default) or mondrian.
	Algorithm string `json:"algorithm,omitempty"`
	// SuppressSensitive writes "*" in the sensitive columns of suppressed
	// records as well (Config.SuppressSensitive).
	SuppressSensitive bool `json:"suppress_sensitive,omitempty"`
	// AcceptHomogeneity lets the irreversibility gate pass classes whose
	// sensitive values are all the same (attribute disclosure accepted).
	AcceptHomogeneity bool `json:"accept_homogeneity,omitempty"`

	// MaxLevels holds quasi-identifiers at most at a generalization level
	// (CapHierarchies): the workbench sets it to the transformation of the
	// alternative a seller picks, so that the search releases that one.
	MaxLevels map[string]int `json:"max_levels,omitempty"`
}

// ColumnPolicy is one column's role and treatment.
type ColumnPolicy struct {
	Role Role `json:"role"`
	// Action for identifying columns: "drop" (default) or "pseudonymize".
	Action string `json:"action,omitempty"`
	// Hierarchy for quasi-identifiers: a file of ARX's format, or a built-in
	// generator such as "interval:5,10,20", "date", "mask", "division", "ordered:a,b,c".
	Hierarchy string `json:"hierarchy,omitempty"`
	// Precision of an insensitive numeric column, a power of ten ("100",
	// "1", "0.01"): the seller declares its values accurate to ± this, so
	// that a buyer's fingerprint may set the digit just below it
	// (docs/fingerprint.md). "" declares nothing and the column is not marked.
	Precision string `json:"precision,omitempty"`
}
