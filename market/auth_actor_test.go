package market

import (
	"errors"
	"testing"
)

func TestActor_PartyScope(t *testing.T) {
	a, b := PartyID(NewID()), PartyID(NewID())
	seller := Actor{PartyID: a, Roles: []Role{RoleSeller}}
	regulator := Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleRegulator}}
	tests := []struct {
		name    string
		actor   Actor
		party   PartyID
		canRead bool
		canOwn  bool
	}{
		{"a seller reads its own party", seller, a, true, true},
		{"a seller cannot read another party", seller, b, false, false},
		{"a regulator reads any party", regulator, b, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.actor.RequireReadParty(tt.party) == nil; got != tt.canRead {
				t.Errorf("RequireReadParty = %v, want %v", !got, tt.canRead)
			}
			if got := tt.actor.RequireOwnParty(tt.party) == nil; got != tt.canOwn {
				t.Errorf("RequireOwnParty allowed = %v, want %v", got, tt.canOwn)
			}
			if err := tt.actor.RequireReadParty(tt.party); err != nil && !errors.Is(err, ErrForbidden) {
				t.Errorf("error %v is not ErrForbidden", err)
			}
		})
	}
}

func TestActor_RequireRole(t *testing.T) {
	buyer := Actor{Roles: []Role{RoleBuyer}}
	if err := buyer.RequireRole(RoleSeller, RoleBuyer); err != nil {
		t.Errorf("a buyer is refused a seller-or-buyer action: %v", err)
	}
	err := buyer.RequireRole(RoleSeller, RoleOperator)
	var e *Error
	if !errors.As(err, &e) || e.Code != "forbidden_role" || !errors.Is(err, ErrForbidden) {
		t.Fatalf("a buyer doing a seller action: got %v, want forbidden_role", err)
	}
	if got, want := e.Message, "this requires the role seller or operator"; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
}

func TestPassword_RoundTripAndWrongPassword(t *testing.T) {
	p := PasswordParams{Memory: 1024, Time: 1, Threads: 1}
	h := hashPassword("correct horse battery", p)
	if ok, err := verifyPassword("correct horse battery", h); !ok || err != nil {
		t.Fatalf("the right password does not verify: %v %v", ok, err)
	}
	if ok, _ := verifyPassword("correct horse batterz", h); ok {
		t.Fatal("a wrong password verifies")
	}
	if h2 := hashPassword("correct horse battery", p); h2 == h {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	if _, err := verifyPassword("x", "$2a$10$notargon"); err == nil {
		t.Fatal("a non-argon2id hash verifies without error")
	}
}

func TestSecrets_WellFormedAndCSRFDerived(t *testing.T) {
	s, h := newSecret(tokenPrefix)
	if !wellFormedSecret(tokenPrefix, s) {
		t.Fatalf("a fresh token %q is not well formed", s)
	}
	if wellFormedSecret(sessionPrefix, s) {
		t.Fatal("a token passes for a session secret")
	}
	if string(hashSecret(s)) != string(h) {
		t.Fatal("the stored hash is not the SHA-256 of the secret")
	}
	s2, _ := newSecret(sessionPrefix)
	first, again := csrfToken(s2), csrfToken(s2)
	if first != again {
		t.Fatal("the CSRF token of a session changes from one derivation to the next")
	}
	if first == csrfToken(s) {
		t.Fatal("two sessions share a CSRF token")
	}
}
