package market

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ProductType is what a listing sells: a dataset file, an API, or a report.
type ProductType string

// Product types of the listing declaration.
const (
	ProductDataset ProductType = "dataset"
	ProductAPI     ProductType = "api"
	ProductReport  ProductType = "report"
)

// Classification is the data-security class of a product (Data Security
// Law Art. 21): general, important or core data.
type Classification string

// Classifications of the listing declaration.
const (
	ClassGeneral   Classification = "general"
	ClassImportant Classification = "important"
	ClassCore      Classification = "core"
)

// Origin says how the seller obtained one source of a product.
type Origin string

// Origins of a listing source.
const (
	OriginSelfCollected    Origin = "self_collected"
	OriginContractLicensed Origin = "contract_licensed"
	OriginGovernmentOpen   Origin = "government_open"
	OriginPublicDisclosure Origin = "public_disclosure"
	OriginExchangePurchase Origin = "exchange_purchase"
)

// Disclosure says whether a source's data has been lawfully made public.
type Disclosure string

// Disclosures of a listing source.
const (
	DisclosurePublic    Disclosure = "public"
	DisclosureNonPublic Disclosure = "non_public"
)

// OpenClass is the class a government data catalogue gives a data set:
// open unconditionally, open on conditions (with an approval), or not open.
type OpenClass string

// Open classes of government data.
const (
	OpenUnconditional OpenClass = "unconditional"
	OpenConditional   OpenClass = "conditional"
	OpenNone          OpenClass = "none"
)

// Listing is the declaration a seller makes for a data product: the same
// JSON in the API and offline (shujiao check-listing). The Art. 36 gate
// (Gate) decides from it whether the product may be traded.
type Listing struct {
	Title       string      `json:"title"`
	Description string      `json:"description"`
	Category    string      `json:"category"`
	ProductType ProductType `json:"product_type"`
	DatasetID   string      `json:"dataset_id,omitempty"`
	// CertificateID names the de-identification certificate (resolved by
	// storage into a CertificateGate before the gate runs).
	CertificateID                 string `json:"certificate_id,omitempty"`
	ContainsPersonalInfo          bool   `json:"contains_personal_info"`
	ContainsSensitivePersonalInfo bool   `json:"contains_sensitive_personal_info"`
	ContainsMinorsData            bool   `json:"contains_minors_data"`
	// PersonalInfoSubjects and SensitivePersonalInfoSubjects are the
	// numbers of individuals whose (sensitive) personal information the
	// product holds: an export counts them toward the seller's thresholds
	// since 1 January (Shaanxi Art. 72; export_class.go).
	PersonalInfoSubjects          int64          `json:"personal_info_subjects,omitempty"`
	SensitivePersonalInfoSubjects int64          `json:"sensitive_personal_info_subjects,omitempty"`
	Classification                Classification `json:"classification"`
	SecurityAssessmentRef         *string        `json:"security_assessment_ref"`
	ExportIntended                bool           `json:"export_intended"`
	StateSecret                   bool           `json:"state_secret"`
	Sources                       []Source       `json:"sources"`
	// Certificate is the offline form of a certificate's gate result
	// ("certificate": {"passed": true, "level": "L3"}); the API resolves
	// CertificateID instead and leaves this nil.
	Certificate *CertificateGate `json:"certificate,omitempty"`
	// GovRecords is what the platform's government data catalog holds on
	// the government sources (looked up by storage; nil offline).
	GovRecords *GovRecords `json:"-"`
	// Content is what the gate sees of the dataset itself (column names,
	// detected identifier types, sample values), filled by storage or by
	// check-listing --dataset; nil when there is no data to look at.
	Content *ContentProfile `json:"-"`
	// Provenance is what the platform's records say of the sources
	// (art36_provenance.go), looked up by storage; nil offline.
	Provenance *ProvenanceRecords `json:"-"`
}

// Source is one origin of the data in a product, with the evidence that
// it may lawfully be traded.
type Source struct {
	Origin        Origin         `json:"origin"`
	OwnData       bool           `json:"own_data"`
	Disclosure    Disclosure     `json:"disclosure"`
	Authorization *Authorization `json:"authorization"`
	Government    *Government    `json:"government"`
	// Provenance (art36_provenance.go): the party a contract_licensed
	// source was licensed from, how an own source was collected, and the
	// order on this exchange an exchange_purchase source was bought with.
	Grantor    string      `json:"grantor,omitempty"`
	Collection *Collection `json:"collection,omitempty"`
	OrderID    string      `json:"order_id,omitempty"`
}

// Authorization is the evidence that a grantor authorized the seller to
// use a source: the document's SHA-256, its scope and its validity.
type Authorization struct {
	Grantor        string   `json:"grantor"`
	DocumentSHA256 string   `json:"document_sha256"`
	Scope          []string `json:"scope"`
	ValidFrom      Date     `json:"valid_from"`
	ValidTo        Date     `json:"valid_to"`
}

// Government describes a source of government data: its catalogue entry,
// its open class, whether it came through inter-departmental sharing for
// duties, and the approval for conditionally open data.
type Government struct {
	CatalogID     string    `json:"catalog_id"`
	OpenClass     OpenClass `json:"open_class"`
	SharedForDuty bool      `json:"shared_for_duty"`
	ApprovalRef   *string   `json:"approval_ref"`
	// Approval is the approval of conditionally opened or shared data as
	// issued (art36_govdata_declared.go); the catalog's record, where the
	// platform keeps it, takes precedence.
	Approval *DeclaredApproval `json:"approval,omitempty"`
}

// CertificateGate is what the Art. 36 gate needs of a de-identification
// certificate: whether the irreversibility gate passed and its GB/T
// 42460-2023 effect level (L1 worst … L4 best). It counts only when proven
// (ProveCertificate, CertificateOnRecord); one parsed from a listing's JSON
// is a seller's declaration and counts for nothing (Tianjin Art. 29).
type CertificateGate struct {
	Passed bool   `json:"passed"`
	Level  string `json:"level"`
	// proven: the platform's signature and the listed artifact checked.
	proven  bool
	refusal string // why it is not proof, when it is not
}

// LevelRank returns 1…4 for the effect levels "L1"…"L4" and 0 for anything else.
func LevelRank(level string) int {
	switch strings.ToUpper(strings.TrimSpace(level)) {
	case "L1":
		return 1
	case "L2":
		return 2
	case "L3":
		return 3
	case "L4":
		return 4
	}
	return 0
}

// chinaTime is the zone of the calendar dates in declarations (UTC+8, no DST).
var chinaTime = time.FixedZone("CST", 8*3600)

// Date is a calendar date ("2027-12-31") in China Standard Time. An
// authorization valid to a date is valid through the end of that day.
type Date struct{ t time.Time }

// ParseDate parses "YYYY-MM-DD". It returns an error naming the value.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), chinaTime)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// MustDate parses s and panics on error; for tests and constants.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Start returns the first instant of the day.
func (d Date) Start() time.Time { return d.t }

// End returns the first instant after the day.
func (d Date) End() time.Time { return d.t.AddDate(0, 0, 1) }

// String returns "YYYY-MM-DD", or "" for the zero Date.
func (d Date) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MarshalJSON writes the date as "YYYY-MM-DD", or null when unset.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a date string YYYY-MM-DD")
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
