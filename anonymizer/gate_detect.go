package anonymizer

// strongTypes are the identifier types whose presence in a release cell
// identifies a person or an organization by itself (Tianjin Art. 29), as
// opposed to quasi-identifiers (dates, division codes, sex, regions,
// coordinates) that the risk check weighs.
var strongTypes = map[PIIType]bool{
	TypeResidentID: true, TypeResidentIDLegacy: true, TypeMobile: true, TypeLandline: true, TypeEmail: true,
	TypeUSCC: true, TypeBankCard: true, TypeIMEI: true, TypePlate: true, TypePassport: true, TypeTravelPermit: true,
	TypeIPv4: true, TypeIPv6: true, TypeMAC: true, TypeName: true, TypeAddress: true,
}

// detectStrong runs detection over one release value and returns the type
// and text of the first direct identifier in it, or "", "". Keyed digests
// (long hex) and short values are skipped: they hold none.
func detectStrong(v string) (PIIType, string) {
	if len(v) < 5 || (len(v) >= 16 && isHexString(v)) {
		return "", ""
	}
	for _, m := range FindIdentifiers(v) {
		if strongTypes[m.Type] {
			return m.Type, m.Value
		}
	}
	return "", ""
}

// detectSample is how many rows detection examines per column when it
// proposes roles for the gate (evenly spaced; enough for the role, and
// cheap on millions of rows).
const detectSample = 20_000

// proposedRoles returns the role detection proposes for each column of t
// that the policy does not name (all columns without a policy).
func proposedRoles(t *Table, p *Policy) map[string]Role {
	need := false
	for _, c := range t.Columns {
		if _, ok := policyColumn(p, c.Name); !ok {
			need = true
			break
		}
	}
	if !need {
		return map[string]Role{}
	}
	return Detect(t, DetectOptions{MaxRows: detectSample}).Roles()
}
