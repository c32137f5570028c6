package market

// Role is what a user may do for a party.
type Role string

// Roles.
const (
	// RoleSeller lists data products and receives payment.
	RoleSeller Role = "seller"
	// RoleBuyer quotes, orders and receives data.
	RoleBuyer Role = "buyer"
	// RoleRegulator (a market-supervision bureau) reviews flags, opens cases
	// and decides penalties; it may read across parties.
	RoleRegulator Role = "regulator"
	// RoleOperator runs the platform: rule sets, holidays, parties.
	RoleOperator Role = "operator"
	// RoleDepartment (a government department's staff) keeps its
	// department's catalog entries and answers data applications
	// (market/govdata).
	RoleDepartment Role = "department"
	// RoleCoordinator (the big-data bureau, 大数据主管部门) decides
	// escalated sharing disputes and evaluates the departments (Tianjin
	// Art. 17, Municipal Art. 21, Shaanxi Art. 24).
	RoleCoordinator Role = "coordinator"
)

// Roles lists every role, in a stable order.
var Roles = []Role{RoleSeller, RoleBuyer, RoleRegulator, RoleOperator, RoleDepartment, RoleCoordinator}

// Valid reports whether r is one of the roles.
func (r Role) Valid() bool {
	switch r {
	case RoleSeller, RoleBuyer, RoleRegulator, RoleOperator, RoleDepartment, RoleCoordinator:
		return true
	}
	return false
}

// allowedIn returns an ErrInvalid *Error for field "roles" unless a member of
// a party of type t may hold r: sellers and buyers in participants,
// regulators in a regulator party, operators in the platform party.
func (r Role) allowedIn(t PartyType) error {
	var want PartyType
	switch r {
	case RoleSeller, RoleBuyer:
		want = PartyParticipant
	case RoleRegulator:
		want = PartyRegulator
	case RoleOperator:
		want = PartyPlatform
	case RoleDepartment, RoleCoordinator:
		want = PartyDepartment
	default:
		return Invalid("roles", "invalid_role", "role %q is not one of seller, buyer, regulator, operator, department, coordinator", r)
	}
	if t != want {
		return Invalid("roles", "invalid_role", "role %q is for a %s party, not a %s party", r, want, t)
	}
	return nil
}

// validateRoles checks that roles is non-empty, without repeats, and that
// every role fits a party of type t.
func validateRoles(roles []Role, t PartyType) error {
	if len(roles) == 0 {
		return Invalid("roles", "missing_field", "roles is required: at least one of seller, buyer, regulator, operator")
	}
	seen := map[Role]bool{}
	for _, r := range roles {
		if seen[r] {
			return Invalid("roles", "invalid_role", "role %q is listed twice", r)
		}
		seen[r] = true
		if err := r.allowedIn(t); err != nil {
			return err
		}
	}
	return nil
}
