package market

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
)

// The role and party checks of the Calendars, PartyKeys, RuleSets and
// Datasets services, over fake stores: a wrong role or party is refused
// before the storage is reached (writes) or answered as not found (reads).

var checkNow = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

// mustCode fails unless err is a market *Error of kind and code.
func mustCode(t *testing.T, err error, kind error, code string) {
	t.Helper()
	var me *Error
	if !errors.As(err, &me) || !errors.Is(err, kind) || me.Code != code {
		t.Fatalf("error = %v, want %v with code %s", err, kind, code)
	}
}

type fakeCalendarWriter struct{ calls int }

func (f *fakeCalendarWriter) SetCalendarYear(context.Context, int, []byte, UserID, PartyID, time.Time) error {
	f.calls++
	return nil
}

func TestCalendarsPutYear_OnlyAnOperatorSetsAYear(t *testing.T) {
	const year2027 = `{"source": "国务院办公厅通知", "holidays": {"元旦": ["2027-01-01"]}, "workdays": []}`
	operator := Actor{UserID: UserID(NewID()), PartyID: PartyID(NewID()), Roles: []Role{RoleOperator}}
	for _, a := range []struct {
		name  string
		actor Actor
	}{
		{"a seller is refused", Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleSeller}}},
		{"a regulator is refused", Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleRegulator}}},
	} {
		t.Run(a.name, func(t *testing.T) {
			st := &fakeCalendarWriter{}
			_, err := NewCalendars(st).PutYear(context.Background(), a.actor, 2027, []byte(year2027), checkNow)
			mustCode(t, err, ErrForbidden, "forbidden_role")
			if st.calls != 0 {
				t.Fatalf("the store was called %d times for a refused actor", st.calls)
			}
		})
	}
	t.Run("an operator's year is stored", func(t *testing.T) {
		st := &fakeCalendarWriter{}
		y, err := NewCalendars(st).PutYear(context.Background(), operator, 2027, []byte(year2027), checkNow)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := st.calls, 1; got != want {
			t.Fatalf("store calls = %d, want %d", got, want)
		}
		if y.Origin != "operator" || y.Year != 2027 || len(y.Holidays["元旦"]) != 1 {
			t.Fatalf("stored year = %+v", y)
		}
	})
	t.Run("an operator's year out of range is refused", func(t *testing.T) {
		st := &fakeCalendarWriter{}
		_, err := NewCalendars(st).PutYear(context.Background(), operator, 1900, []byte(year2027), checkNow)
		mustCode(t, err, ErrInvalid, "invalid_year")
		if st.calls != 0 {
			t.Fatal("the store was called for an invalid year")
		}
	})
}

type fakePartyKeyWriter struct{ stored []PartyKey }

func (f *fakePartyKeyWriter) SetPartyKey(_ context.Context, k PartyKey, _ UserID) error {
	f.stored = append(f.stored, k)
	return nil
}

func TestPartyKeysPut_OnlyAMemberOfThePartyRegistersItsKey(t *testing.T) {
	own := PartyID(NewID())
	for _, tc := range []struct {
		name  string
		actor Actor
		code  string
	}{
		{"a buyer of another party is refused", Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleBuyer}}, "forbidden_party"},
		{"a regulator is refused (no key swapped on a party's behalf)", Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleRegulator}}, "forbidden_party"},
		{"a member of the party registers it", Actor{PartyID: own, Roles: []Role{RoleBuyer}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &fakePartyKeyWriter{}
			k, err := NewPartyKeys(st).Put(context.Background(), tc.actor, own, "armored", "FPR", checkNow)
			if tc.code != "" {
				mustCode(t, err, ErrForbidden, tc.code)
				if len(st.stored) != 0 {
					t.Fatal("the key was stored for a refused actor")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(st.stored) != 1 || st.stored[0] != k || k.PartyID != own {
				t.Fatalf("stored %+v, returned %+v", st.stored, k)
			}
		})
	}
}

type fakeRuleSetWriter struct{ calls int }

func (f *fakeRuleSetWriter) SaveRuleSet(context.Context, *RuleSet, UserID, PartyID, time.Time) error {
	f.calls++
	return nil
}

func TestRuleSetsPut_OnlyAnOperatorEditsTheArt36RuleSet(t *testing.T) {
	for _, tc := range []struct {
		name   string
		roles  []Role
		stored bool
	}{
		{"a seller is refused", []Role{RoleSeller}, false},
		{"a regulator is refused", []Role{RoleRegulator}, false},
		{"an operator stores it", []Role{RoleOperator}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &fakeRuleSetWriter{}
			err := NewRuleSets(st).Put(context.Background(), Actor{PartyID: PartyID(NewID()), Roles: tc.roles}, &RuleSet{}, checkNow)
			if !tc.stored {
				mustCode(t, err, ErrForbidden, "forbidden_role")
			} else if err != nil {
				t.Fatal(err)
			}
			if got := st.calls == 1; got != tc.stored {
				t.Fatalf("stored = %v, want %v", got, tc.stored)
			}
		})
	}
}

type fakeDatasetReader struct {
	party  PartyID
	listed bool
}

func (f fakeDatasetReader) Dataset(_ context.Context, id uuid.UUID) (*Dataset, error) {
	return &Dataset{ID: id, PartyID: f.party}, nil
}

func (f fakeDatasetReader) Artifact(_ context.Context, id uuid.UUID) (*Artifact, error) {
	return &Artifact{ID: id, PartyID: f.party}, nil
}

func (f fakeDatasetReader) Certificate(_ context.Context, id uuid.UUID) (*Certificate, error) {
	return &Certificate{ID: id, PartyID: f.party}, nil
}

func (f fakeDatasetReader) CertificateListed(context.Context, uuid.UUID) (bool, error) {
	return f.listed, nil
}

func TestDatasets_AnotherPartysDatasetArtifactAndCertificateAreNotFound(t *testing.T) {
	owner := PartyID(NewID())
	seller := Actor{PartyID: owner, Roles: []Role{RoleSeller}}
	other := Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleSeller, RoleBuyer}}
	regulator := Actor{PartyID: PartyID(NewID()), Roles: []Role{RoleRegulator}}
	ctx, id := context.Background(), NewID()
	for _, tc := range []struct {
		name   string
		actor  Actor
		listed bool
		seen   bool // dataset and artifact
		cert   bool
	}{
		{"its own party sees all three", seller, false, true, true},
		{"a regulator sees all three", regulator, false, true, true},
		{"another party sees none of an unlisted product", other, false, false, false},
		{"another party sees only the certificate of a listed product", other, true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewDatasets(fakeDatasetReader{party: owner, listed: tc.listed})
			_, err := s.Get(ctx, tc.actor, id)
			mustSeenOrNotFound(t, err, tc.seen, "dataset_not_found")
			_, err = s.Artifact(ctx, tc.actor, id)
			mustSeenOrNotFound(t, err, tc.seen, "artifact_not_found")
			_, err = s.Certificate(ctx, tc.actor, id)
			mustSeenOrNotFound(t, err, tc.cert, "certificate_not_found")
		})
	}
}

func mustSeenOrNotFound(t *testing.T, err error, seen bool, code string) {
	t.Helper()
	if seen {
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		return
	}
	mustCode(t, err, ErrNotFound, code)
}
