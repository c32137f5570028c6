package market

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseListing decodes and validates a listing declaration (the JSON of
// docs/listing-gate.md). Unknown keys are rejected.
//
// Every error is an ErrInvalid *Error whose Field is the path at fault
// ("sources[0].authorization.valid_to") and whose message starts with that
// path, or with the line and column of a JSON syntax or type error.
func ParseListing(data []byte) (Listing, error) {
	var l Listing
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return Listing{}, jsonInputError(data, err)
	}
	if dec.More() {
		return Listing{}, Invalid("", "invalid_json", "trailing data after the listing object")
	}
	if err := l.Validate(); err != nil {
		return Listing{}, err
	}
	return l, nil
}

// jsonInputError turns an encoding/json error into an ErrInvalid *Error
// naming the line, column and field.
func jsonInputError(data []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		return Invalid("", "invalid_json", "line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		line, col := lineCol(data, typ.Offset)
		return Invalid(typ.Field, "invalid_json", "line %d, column %d: field %s: want %s, got JSON %s", line, col, typ.Field, typ.Type, typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return Invalid(name, "unknown_field", "field %s: unknown key", name)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Invalid("", "invalid_json", "empty or truncated JSON")
	}
	return Invalid("", "invalid_json", "%s", err.Error())
}

// lineCol returns the 1-based line and column of byte offset off in data.
func lineCol(data []byte, off int64) (int, int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// Validate checks the shape of the declaration: known enum values,
// required fields, well-formed hashes and dates. It does not judge whether
// the product may be traded; that is Gate's work. It returns an ErrInvalid
// *Error naming the field.
func (l *Listing) Validate() error {
	if strings.TrimSpace(l.Title) == "" {
		return Invalid("title", "missing", "title: missing")
	}
	if strings.TrimSpace(l.Category) == "" {
		return Invalid("category", "missing", "category: missing")
	}
	switch l.ProductType {
	case ProductDataset, ProductAPI, ProductReport:
	default:
		return Invalid("product_type", "invalid_enum", "product_type: %q, want dataset, api or report", l.ProductType)
	}
	switch l.Classification {
	case ClassGeneral, ClassImportant, ClassCore:
	default:
		return Invalid("classification", "invalid_enum", "classification: %q, want general, important or core", l.Classification)
	}
	if l.Certificate != nil && LevelRank(l.Certificate.Level) == 0 && l.Certificate.Level != "" {
		return Invalid("certificate.level", "invalid_enum", "certificate.level: %q, want L1, L2, L3 or L4", l.Certificate.Level)
	}
	if l.PersonalInfoSubjects < 0 || l.SensitivePersonalInfoSubjects < 0 {
		return Invalid("personal_info_subjects", "invalid_field", "personal_info_subjects and sensitive_personal_info_subjects: want 0 or more individuals")
	}
	if len(l.Sources) == 0 {
		return Invalid("sources", "missing", "sources: declare at least one source of the data")
	}
	for i := range l.Sources {
		if err := l.Sources[i].validate(fmt.Sprintf("sources[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (s *Source) validate(path string) error {
	switch s.Origin {
	case OriginSelfCollected, OriginContractLicensed, OriginGovernmentOpen, OriginPublicDisclosure, OriginExchangePurchase:
	default:
		return Invalid(path+".origin", "invalid_enum", "%s.origin: %q, want self_collected, contract_licensed, government_open, public_disclosure or exchange_purchase", path, s.Origin)
	}
	switch s.Disclosure {
	case DisclosurePublic, DisclosureNonPublic:
	default:
		return Invalid(path+".disclosure", "invalid_enum", "%s.disclosure: %q, want public or non_public", path, s.Disclosure)
	}
	if a := s.Authorization; a != nil {
		p := path + ".authorization"
		if a.DocumentSHA256 != "" {
			if b, err := hex.DecodeString(a.DocumentSHA256); err != nil || len(b) != 32 {
				return Invalid(p+".document_sha256", "invalid_hash", "%s.document_sha256: %q is not a SHA-256 (64 hex digits)", p, a.DocumentSHA256)
			}
		}
		for j, sc := range a.Scope {
			if strings.TrimSpace(sc) == "" {
				return Invalid(fmt.Sprintf("%s.scope[%d]", p, j), "missing", "%s.scope[%d]: empty scope", p, j)
			}
		}
		if !a.ValidFrom.IsZero() && !a.ValidTo.IsZero() && a.ValidTo.Start().Before(a.ValidFrom.Start()) {
			return Invalid(p+".valid_to", "invalid_range", "%s.valid_to: %s is before valid_from %s", p, a.ValidTo, a.ValidFrom)
		}
	}
	if c := s.Collection; c != nil && c.Basis != "" && c.Basis != BasisConsentRecord && c.Basis != BasisContract && c.Basis != BasisStatutoryDuty {
		return Invalid(path+".collection.basis", "invalid_enum", "%s.collection.basis: %q, want consent_record, contract or statutory_duty", path, c.Basis)
	}
	if g := s.Government; g != nil && g.Approval != nil {
		ap := g.Approval
		if !ap.ValidFrom.IsZero() && !ap.ValidTo.IsZero() && ap.ValidTo.Start().Before(ap.ValidFrom.Start()) {
			p := path + ".government.approval.valid_to"
			return Invalid(p, "invalid_range", "%s: %s is before valid_from %s", p, ap.ValidTo, ap.ValidFrom)
		}
	}
	if g := s.Government; g != nil {
		switch g.OpenClass {
		case OpenUnconditional, OpenConditional, OpenNone:
		default:
			return Invalid(path+".government.open_class", "invalid_enum", "%s.government.open_class: %q, want unconditional, conditional or none", path, g.OpenClass)
		}
	}
	return nil
}
