package market

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Accounts is the account service: registering parties, logging in and out,
// API tokens, and authenticating the credentials of requests. It is safe for
// concurrent use.
type Accounts struct {
	store     AccountStore
	opt       AccountsOptions
	dummyHash string // verified against when the email is unknown, to even out timing
	now       func() time.Time
}

// AccountsOptions tune the Accounts service; zero fields take the defaults.
type AccountsOptions struct {
	SessionTTL  time.Duration  // default 12 h
	TokenTTL    time.Duration  // default 90 days, when the request names none
	MaxTokenTTL time.Duration  // default 366 days
	Password    PasswordParams // default DefaultPasswordParams
	Now         func() time.Time
	// Logins counts login attempts for LoginLimited; nil: the store, when
	// it is a LoginAttemptStore. LoginMaxFailures (default 10) attempts
	// per email within LoginWindow (default 15 minutes), ten times as many
	// per client address.
	Logins           LoginAttemptStore
	LoginMaxFailures int
	LoginWindow      time.Duration
}

// NewAccounts returns the account service over store.
func NewAccounts(store AccountStore, opt AccountsOptions) *Accounts {
	if opt.SessionTTL <= 0 {
		opt.SessionTTL = 12 * time.Hour
	}
	if opt.TokenTTL <= 0 {
		opt.TokenTTL = 90 * 24 * time.Hour
	}
	if opt.MaxTokenTTL <= 0 {
		opt.MaxTokenTTL = 366 * 24 * time.Hour
	}
	if opt.Logins == nil {
		opt.Logins, _ = store.(LoginAttemptStore)
	}
	if opt.LoginMaxFailures <= 0 {
		opt.LoginMaxFailures = 10
	}
	if opt.LoginWindow <= 0 {
		opt.LoginWindow = 15 * time.Minute
	}
	if opt.Password == (PasswordParams{}) {
		opt.Password = DefaultPasswordParams
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	return &Accounts{store: store, opt: opt, now: func() time.Time { return now().UTC() },
		dummyHash: hashPassword("not a password of anyone", opt.Password)}
}

// Registration is a request to register a party with its first user.
type Registration struct {
	Party Party   `json:"party"`
	User  NewUser `json:"user"`
	Roles []Role  `json:"roles"` // the first user's roles in the party
}

// NewUser is a user to be created, with a clear-text password that is hashed
// and dropped.
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// Register creates a party and its first user. Anyone may register a
// participant (seller, buyer or both); only an operator may register a
// regulator or the platform party: by is the caller, nil when anonymous.
// Errors: ErrInvalid naming the field; ErrForbidden; ErrConflict when the
// credit code or email is taken.
func (a *Accounts) Register(ctx context.Context, by *Actor, r Registration) (Party, User, error) {
	r.Party.Normalize()
	if r.Party.Type != PartyParticipant && (by == nil || !by.Can(RoleOperator)) {
		return Party{}, User{}, Errorf(ErrForbidden, "forbidden_role", "only an operator may register a %s party", r.Party.Type)
	}
	return a.register(ctx, r)
}

// Seed registers like Register but without asking who registers: for the
// demo command and administrative tools run on the server, never for a
// request.
func (a *Accounts) Seed(ctx context.Context, r Registration) (Party, User, error) {
	r.Party.Normalize()
	return a.register(ctx, r)
}

func (a *Accounts) register(ctx context.Context, r Registration) (Party, User, error) {
	p := r.Party
	if err := p.Validate(); err != nil {
		return Party{}, User{}, prefixField("party.", err)
	}
	if err := validateRoles(r.Roles, p.Type); err != nil {
		return Party{}, User{}, err
	}
	u, err := a.newUser(r.User)
	if err != nil {
		return Party{}, User{}, prefixField("user.", err)
	}
	p.ID, p.CreatedAt = PartyID(NewID()), a.now()
	if err := a.store.CreateParty(ctx, p, u, r.Roles); err != nil {
		return Party{}, User{}, conflictAs(err, "party_exists", "a party with this credit code or a user with this email already exists")
	}
	return p, u, nil
}

// AddUser creates a user with roles in an existing party. An operator may add
// to any party; other callers only to their own party, and only roles they
// hold themselves. by nil means a trusted server-side caller (seeding).
func (a *Accounts) AddUser(ctx context.Context, by *Actor, party PartyID, nu NewUser, roles []Role) (User, error) {
	if by != nil && !by.Can(RoleOperator) {
		if err := by.RequireOwnParty(party); err != nil {
			return User{}, err
		}
		for _, r := range roles {
			if !by.Can(r) {
				return User{}, Errorf(ErrForbidden, "forbidden_role", "you cannot grant the role %s, which you do not hold", r)
			}
		}
	}
	p, err := a.store.Party(ctx, party)
	if err != nil {
		return User{}, fmt.Errorf("add user to party %s: %w", party, err)
	}
	if err := validateRoles(roles, p.Type); err != nil {
		return User{}, err
	}
	u, err := a.newUser(nu)
	if err != nil {
		return User{}, err
	}
	if err := a.store.CreateUser(ctx, u, party, roles); err != nil {
		return User{}, conflictAs(err, "user_exists", "a user with this email already exists")
	}
	return u, nil
}

func (a *Accounts) newUser(nu NewUser) (User, error) {
	u := User{Email: NormalizeEmail(nu.Email), Name: nu.Name}
	if err := validateEmail("email", u.Email); err != nil {
		return User{}, err
	}
	if u.Name == "" {
		return User{}, Invalid("name", "missing_field", "name is required")
	}
	if err := validatePassword("password", nu.Password); err != nil {
		return User{}, err
	}
	u.ID, u.CreatedAt = UserID(NewID()), a.now()
	u.PasswordHash = hashPassword(nu.Password, a.opt.Password)
	return u, nil
}

// Party returns party id to an actor who may read it (its own members and
// regulators). Errors: ErrForbidden, ErrNotFound.
func (a *Accounts) Party(ctx context.Context, by Actor, id PartyID) (Party, error) {
	if err := by.RequireReadParty(id); err != nil {
		return Party{}, err
	}
	p, err := a.store.Party(ctx, id)
	if err != nil {
		return Party{}, fmt.Errorf("read party %s: %w", id, err)
	}
	return p, nil
}

// Me is what an actor knows about itself.
type Me struct {
	User  User   `json:"user"`
	Party Party  `json:"party"`
	Roles []Role `json:"roles"`
	// Credential says how the request authenticated: "token" or "session".
	Credential string    `json:"credential"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// Me returns the actor's user, party and roles.
func (a *Accounts) Me(ctx context.Context, by Actor) (Me, error) {
	u, err := a.store.User(ctx, by.UserID)
	if err != nil {
		return Me{}, fmt.Errorf("read user %s: %w", by.UserID, err)
	}
	p, err := a.store.Party(ctx, by.PartyID)
	if err != nil {
		return Me{}, fmt.Errorf("read party %s: %w", by.PartyID, err)
	}
	cred := "token"
	if by.ViaSession() {
		cred = "session"
	}
	roles := by.Roles
	if roles == nil {
		roles = []Role{}
	}
	return Me{User: u, Party: p, Roles: roles, Credential: cred, ExpiresAt: by.ExpiresAt}, nil
}

// prefixField qualifies the Field of an *Error (e.g. "name" → "party.name").
func prefixField(prefix string, err error) error {
	var e *Error
	if errors.As(err, &e) && e.Field != "" {
		c := *e
		c.Field = prefix + e.Field
		return &c
	}
	return err
}

// conflictAs turns a bare ErrConflict from storage into an *Error with a
// code and message for the caller; other errors pass through.
func conflictAs(err error, code, msg string) error {
	var e *Error
	if errors.Is(err, ErrConflict) && !errors.As(err, &e) {
		return &Error{Kind: ErrConflict, Code: code, Message: msg}
	}
	return err
}

// ActorOf returns the actor of user acting for party, with the roles the
// user holds there, for trusted server-side callers (seeding, background
// jobs) that act without a request. ErrNotFound when the party does not
// exist; ErrForbidden (no_membership) when the user holds no role in it.
func (a *Accounts) ActorOf(ctx context.Context, user UserID, party PartyID) (Actor, error) {
	p, err := a.store.Party(ctx, party)
	if err != nil {
		return Actor{}, fmt.Errorf("actor of %s in %s: %w", user, party, err)
	}
	ms, err := a.store.Memberships(ctx, user)
	if err != nil {
		return Actor{}, fmt.Errorf("actor of %s in %s: %w", user, party, err)
	}
	act := Actor{UserID: user, PartyID: party, PartyKind: p.Kind, PartyType: p.Type, Jurisdiction: p.Jurisdiction}
	for _, m := range ms {
		if m.PartyID == party {
			act.Roles = append(act.Roles, m.Role)
		}
	}
	if len(act.Roles) == 0 {
		return Actor{}, Errorf(ErrForbidden, "no_membership", "user %s holds no role in party %s", user, party)
	}
	return act, nil
}
