package anonymizer

// PIIType names a kind of personal information the detectors recognise.
type PIIType string

// Direct identifiers: each identifies a person (or, for TypeUSCC, an
// organization) on its own (GB/T 42460-2023 §3; PIPL Art. 73(4)).
const (
	TypeResidentID       PIIType = "resident_id"    // 18-character GB 11643-1999 number
	TypeResidentIDLegacy PIIType = "resident_id_15" // 15-digit first-generation number
	TypeMobile           PIIType = "mobile"         // mainland mobile number
	TypeLandline         PIIType = "landline"       // fixed-line number with area code
	TypeEmail            PIIType = "email"
	TypeUSCC             PIIType = "uscc"          // unified social credit code, GB 32100-2015
	TypeBankCard         PIIType = "bank_card"     // 16–19 digits, Luhn
	TypeIMEI             PIIType = "imei"          // 15 digits, Luhn
	TypePlate            PIIType = "vehicle_plate" // incl. new-energy plates
	TypePassport         PIIType = "passport"
	TypeTravelPermit     PIIType = "travel_permit" // Hong Kong/Macao/Taiwan permits
	TypeIPv4             PIIType = "ipv4"
	TypeIPv6             PIIType = "ipv6"
	TypeMAC              PIIType = "mac"
	TypeCoordinates      PIIType = "coordinates" // latitude, longitude
	TypeName             PIIType = "person_name"
	TypeAddress          PIIType = "address" // down to road and number
)

// Quasi-identifiers: they identify in combination (GB/T 42460-2023 §3).
const (
	TypeBirthDate    PIIType = "birth_date" // a date in a column or after a cue that says birth
	TypeDate         PIIType = "date"
	TypeDivisionCode PIIType = "division_code" // GB/T 2260 six-digit code
	TypeRegion       PIIType = "region"        // a province, city or district name
	TypeSex          PIIType = "sex"
)

// Direct reports whether t is a direct identifier (a column of them is
// identifying); otherwise it is a quasi-identifier.
func (t PIIType) Direct() bool {
	switch t {
	case TypeBirthDate, TypeDate, TypeDivisionCode, TypeRegion, TypeSex:
		return false
	}
	return true
}

// Checksummed reports whether t is validated by a check character or digit
// (resident ID, unified social credit code, bank card, IMEI).
func (t PIIType) Checksummed() bool {
	switch t {
	case TypeResidentID, TypeUSCC, TypeBankCard, TypeIMEI:
		return true
	}
	return false
}

// AllPIITypes lists every type, direct identifiers first.
var AllPIITypes = []PIIType{
	TypeResidentID, TypeResidentIDLegacy, TypeMobile, TypeLandline, TypeEmail,
	TypeUSCC, TypeBankCard, TypeIMEI, TypePlate, TypePassport, TypeTravelPermit,
	TypeIPv4, TypeIPv6, TypeMAC, TypeCoordinates, TypeName, TypeAddress,
	TypeBirthDate, TypeDate, TypeDivisionCode, TypeRegion, TypeSex,
}

// Match is an identifier found in a text: its type, its byte offsets
// [Start, End) and the matched text.
type Match struct {
	Type  PIIType `json:"type"`
	Start int     `json:"start"`
	End   int     `json:"end"`
	Value string  `json:"value"`
}
