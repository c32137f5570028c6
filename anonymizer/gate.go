package anonymizer

import (
	"fmt"
	"math"
	"strings"
)

// Mode is how a release will be used; it sets the re-identification risk
// threshold of GB/T 42460-2023 Annex D.
type Mode string

// Release modes.
const (
	// ModePublic: released to anyone; threshold 1/20, overall risk R = max θ.
	ModePublic Mode = "public"
	// ModeAgreement: released under a data-use agreement; threshold 1/5, R = mean θ.
	ModeAgreement Mode = "agreement"
	// ModeEnclave: used only inside a controlled enclave; threshold 1/3, R = mean θ.
	ModeEnclave Mode = "enclave"
)

// ParseMode returns the mode named s ("" is public). It returns an error
// naming the allowed values otherwise.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return ModePublic, nil
	case ModePublic, ModeAgreement, ModeEnclave:
		return m, nil
	}
	return "", fmt.Errorf("mode %q: want public, agreement or enclave", s)
}

// Threshold is the largest per-record re-identification risk θ the mode
// accepts (GB/T 42460-2023 Annex D): 1/20 public, 1/5 agreement, 1/3 enclave.
func (m Mode) Threshold() float64 {
	switch m {
	case ModeAgreement:
		return 1.0 / 5
	case ModeEnclave:
		return 1.0 / 3
	}
	return 1.0 / 20
}

// minClass is the smallest linked-set size the mode accepts: ⌈1/threshold⌉.
func (m Mode) minClass() int { return int(math.Round(1 / m.Threshold())) }

// Level is a GB/T 42460-2023 de-identification effect level.
type Level string

// Effect levels.
const (
	// LevelL1: a direct identifier is present (or restorable) in the release.
	LevelL1 Level = "L1"
	// LevelL2: only quasi-identifiers, re-identification risk above the threshold.
	LevelL2 Level = "L2"
	// LevelL3: only quasi-identifiers, risk at or below the threshold.
	LevelL3 Level = "L3"
	// LevelL4: no direct or quasi-identifiers in the release.
	LevelL4 Level = "L4"
)

// Checks a Reason can come from.
const (
	CheckIdentifier  = "identifier"
	CheckRestorable  = "restorable"
	CheckRisk        = "risk"
	CheckHomogeneity = "homogeneity"
)

// Articles cited by the gate's reasons.
const (
	articleTianjin29 = "Tianjin Art. 29"
	articleAnnexD    = "GB/T 42460-2023 Annex D"
)

// GateOptions configure CheckRelease. The zero value checks a public release
// with column roles taken from detection.
type GateOptions struct {
	// Mode of release; "" is public.
	Mode Mode
	// Policy, when set, gives column roles (by column name) and whether
	// homogeneous classes are accepted; columns it does not name get the
	// role detection proposes.
	Policy *Policy
	// Hierarchies by quasi-identifier name, used to link generalized release
	// values to raw values (besides intervals, masks, "*" and dates, which
	// are understood without one).
	Hierarchies map[string]*Hierarchy
	// Salts are values an attacker knows (published salts or keys); the
	// restoration attacks try them with every hash.
	Salts []string
	// SecretKeys are the keys of keyed pseudonyms (HMAC); the gate fails when
	// one of them appears anywhere in the release.
	SecretKeys []string
	// PseudonymKeys are the platform's pseudonymization keys (current and
	// rotated): a release column passes as a pseudonym only when every value
	// is recomputed under one of them from a raw identifying column. Their
	// secrets must not appear in the release either.
	PseudonymKeys []PseudonymKey
	// CopyKeys recognise the per-order pseudonyms of a fingerprinted copy
	// (package anonymizer/fingerprint): a copy column passes as a platform
	// pseudonym only when every value is recomputed from a raw identifying
	// column as the platform pseudonym (under one of PseudonymKeys) turned
	// into the copy's by one of these keys. A copy checked without its
	// order's key fails as restorable (Tianjin Art. 29).
	CopyKeys []CopyKey
	// EnumerationBudget caps the candidates hashed per column when
	// enumerating small identifier spaces; 0 means 1,000,000.
	EnumerationBudget int
}

// Reason is one failed check, with its evidence.
type Reason struct {
	// Check is identifier, restorable, risk or homogeneity.
	Check string `json:"check"`
	// Column is the release column concerned ("" for the whole release).
	Column string `json:"column"`
	// Detail says what was found, with counts and a masked example.
	Detail string `json:"detail"`
	// Article is the rule that fails: Tianjin Art. 29 or GB/T 42460-2023 Annex D.
	Article string `json:"article"`
	// Records is the number of release values or records concerned.
	Records int `json:"records,omitempty"`
}

// ColumnRole is how the gate treated one column.
type ColumnRole struct {
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Source is where the role came from: policy or detection.
	Source string `json:"source"`
	// InRaw and InRelease say in which tables the column is present.
	InRaw     bool `json:"in_raw"`
	InRelease bool `json:"in_release"`
}

// Restoration is one successful restoration attack on a release column.
type Restoration struct {
	Column    string `json:"column"`
	RawColumn string `json:"raw_column"`
	// Method names the transform recomputed: "md5(value)", "sha256(salt+value)",
	// "reversed", "digit shift +3", "base64", "one-to-one mapping", ….
	Method string `json:"method"`
	// Restored is the number of distinct release values traced back to a raw
	// identifier, of Distinct distinct values in the column.
	Restored int `json:"restored"`
	Distinct int `json:"distinct"`
	// Enumerated is how many of them an attacker without the raw table
	// restores by enumerating the identifier space (Candidates values).
	Enumerated int    `json:"enumerated,omitempty"`
	Candidates int    `json:"candidates,omitempty"`
	Space      string `json:"space,omitempty"`
	// Dependency is the measured dependency on the raw column (aligned rows).
	Dependency *Dependency `json:"dependency,omitempty"`
	// Checked rows were recomputed with Method, Reproduced of them exactly;
	// a learned mapping (Learned > 0 rows) is checked on held-out rows.
	Checked    int `json:"checked,omitempty"`
	Reproduced int `json:"reproduced,omitempty"`
	Learned    int `json:"learned,omitempty"`
	// Examples are two rows the transform reproduces.
	Examples []RowExample `json:"examples,omitempty"`
}

// GateResult is the verdict of the irreversibility gate.
type GateResult struct {
	Passed    bool    `json:"passed"`
	Level     Level   `json:"level"`
	Mode      Mode    `json:"mode"`
	Threshold float64 `json:"threshold"`
	// Risk is the overall prosecutor risk R: max θ for public release, mean
	// θ otherwise (GB/T 42460-2023 Annex D); 0 without quasi-identifiers.
	Risk     float64 `json:"risk"`
	RiskMax  float64 `json:"risk_max"`
	RiskMean float64 `json:"risk_mean"`
	// RecordsLinked counts raw records a prosecutor links to at least one
	// release record; UniqueLinks those linked to exactly one;
	// RecordsAbove those whose θ exceeds the threshold.
	RecordsLinked int `json:"records_linked"`
	UniqueLinks   int `json:"unique_links"`
	RecordsAbove  int `json:"records_above_threshold"`
	// Classes and MinClass describe the release's equivalence classes over
	// the quasi-identifiers (suppressed records excluded).
	Classes          int           `json:"classes"`
	MinClass         int           `json:"min_class_size"`
	Suppressed       int           `json:"suppressed"`
	RowsRaw          int           `json:"rows_raw"`
	RowsRelease      int           `json:"rows_release"`
	QuasiIdentifiers []string      `json:"quasi_identifiers"`
	Columns          []ColumnRole  `json:"columns"`
	Restored         []Restoration `json:"restored"`
	// Pseudonyms lists release columns accepted as platform pseudonyms:
	// recomputed under a platform key (PseudonymKeys).
	Pseudonyms []string `json:"pseudonyms"`
	// PseudonymKeys says, for each of them, the raw column, method and key ID.
	PseudonymKeys []PseudonymUse `json:"pseudonym_keys"`
	Reasons       []Reason       `json:"reasons"`

	// TCloseness is, when the policy asks for t-closeness, the largest
	// earth mover's distance of a released class's sensitive values from
	// the distribution over every record of the release file (the t a buyer
	// measures on the file; see checkCloseness); 0 otherwise.
	TCloseness float64 `json:"t_closeness,omitempty"`
}

func (r *GateResult) fail(check, column, article string, records int, format string, a ...any) {
	r.Reasons = append(r.Reasons, Reason{Check: check, Column: column, Article: article,
		Records: records, Detail: fmt.Sprintf(format, a...)})
}

func (r *GateResult) has(check string) bool {
	for _, x := range r.Reasons {
		if x.Check == check {
			return true
		}
	}
	return false
}
