package market

import (
	"errors"
	"strings"
	"testing"
)

const listingJSON = `{"title": "城市出行OD汇总数据", "description": "按区县与小时汇总", "category": "transport", "product_type": "dataset",
 "dataset_id": "", "certificate_id": "",
 "contains_personal_info": true, "contains_sensitive_personal_info": false, "contains_minors_data": false,
 "classification": "general", "security_assessment_ref": null, "export_intended": false, "state_secret": false,
 "sources": [{"origin": "contract_licensed", "own_data": false, "disclosure": "non_public",
   "authorization": {"grantor": "某某科技", "document_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
     "scope": ["trading", "commercial_use"], "valid_from": "2026-01-01", "valid_to": "2027-12-31"},
   "government": null}],
 "certificate": {"passed": true, "level": "L3"}}`

func TestParseListing_ReadsTheDocumentedDeclaration(t *testing.T) {
	l, err := ParseListing([]byte(listingJSON))
	if err != nil {
		t.Fatal(err)
	}
	a := l.Sources[0].Authorization
	if a == nil || a.ValidTo.String() != "2027-12-31" || len(a.Scope) != 2 || l.Certificate == nil || l.Certificate.Level != "L3" {
		t.Fatalf("parsed %+v", l)
	}
	// Tianjin Art. 29: the certificate the declaration carries is the
	// seller's word; it counts only once proven (ProveCertificate).
	if res := Gate(&l, nil, DefaultRuleSet(), gateAt); res.Decision != DecisionBlocked || res.Violations[0].Rule != RuleCertificateNotProof {
		t.Errorf("decision %s, want blocked by %s: %+v", res.Decision, RuleCertificateNotProof, res.Violations)
	}
	if res := Gate(&l, provenCert(true, "L3"), DefaultRuleSet(), gateAt); res.Decision != DecisionListable {
		t.Errorf("with the certificate proven: decision %s, want listable: %+v", res.Decision, res.Violations)
	}
}

func TestParseListing_RejectsBadInputNamingTheField(t *testing.T) {
	cases := []struct{ name, from, to, field, msg string }{
		{"an unknown key", `"state_secret": false,`, `"state_secret": false, "secret_sauce": 1,`, "secret_sauce", "unknown key"},
		{"an unknown origin", `"contract_licensed"`, `"stolen"`, "sources[0].origin", "stolen"},
		{"an unknown classification", `"general"`, `"secret"`, "classification", "secret"},
		{"a malformed document hash", `"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`, `"abc"`, "sources[0].authorization.document_sha256", "SHA-256"},
		{"a malformed date", `"2027-12-31"`, `"31/12/2027"`, "", "YYYY-MM-DD"},
		{"an authorization ending before it starts", `"2027-12-31"`, `"2025-12-31"`, "sources[0].authorization.valid_to", "before"},
		{"a wrong JSON type", `"export_intended": false`, `"export_intended": "no"`, "export_intended", "line 4"},
		{"an unknown certificate level", `"level": "L3"`, `"level": "L9"`, "certificate.level", "L9"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := strings.Replace(listingJSON, c.from, c.to, 1)
			if in == listingJSON {
				t.Fatal("the test did not change the input")
			}
			_, err := ParseListing([]byte(in))
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error %v, want an ErrInvalid *Error", err)
			}
			if c.field != "" && e.Field != c.field {
				t.Errorf("field %q, want %q (%v)", e.Field, c.field, err)
			}
			if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("message %q lacks %q", err.Error(), c.msg)
			}
		})
	}
}

func TestParseListing_SyntaxErrorNamesLineAndColumn(t *testing.T) {
	_, err := ParseListing([]byte("{\n \"title\": \"x\",\n \"category\" \"transport\"\n}"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("error %v, want one naming line 3", err)
	}
}

func TestParseListing_RequiresASource(t *testing.T) {
	_, err := ParseListing([]byte(`{"title": "t", "category": "transport", "product_type": "api", "classification": "general", "sources": []}`))
	var e *Error
	if !errors.As(err, &e) || e.Field != "sources" {
		t.Errorf("error %v, want one naming sources", err)
	}
}
