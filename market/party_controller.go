package market

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// PartyControllerStore records whether a party's controlling party is
// overseas. The account store implements it (postgres.AccountStore).
type PartyControllerStore interface {
	// SetControllerOverseas stores overseas on party and appends ev to the
	// ledger in one transaction, with ev's payload given the previous value
	// under "from". ErrNotFound for an unknown party.
	SetControllerOverseas(ctx context.Context, party PartyID, overseas bool, ev LedgerEvent) (Party, error)
}

// ControllerDeclaration is a declaration, or a correction, of whether a
// party registered on the mainland is controlled by an overseas party:
// then the data it buys leaves the mainland (Shaanxi Art. 72; Data
// Security Law Art. 31; PIPL Art. 38).
type ControllerDeclaration struct {
	ControllerOverseas *bool `json:"controller_overseas"`
	// Reason says on what record the declaration or the correction rests.
	Reason string `json:"reason"`
}

// SetControllerOverseas records d on party and appends a
// "party.controller_declared" ledger event (from, to, by, as, reason).
// The party declares it itself (any member acting for it); a regulator
// or an operator may correct another party's declaration, with a reason.
// An overseas party is overseas already and declares nothing. Errors:
// ErrForbidden (forbidden_party), ErrInvalid naming the field, ErrNotFound.
func (a *Accounts) SetControllerOverseas(ctx context.Context, by Actor, party PartyID, d ControllerDeclaration) (Party, error) {
	as := "party"
	if by.PartyID != party {
		if !by.CanAny(RoleRegulator, RoleOperator) {
			return Party{}, Errorf(ErrForbidden, "forbidden_party", "only party %s itself declares its controlling party; a regulator or an operator may correct it", party)
		}
		as = "regulator"
		if by.Can(RoleOperator) {
			as = "operator"
		}
	}
	if d.ControllerOverseas == nil {
		return Party{}, Invalid("controller_overseas", "missing_field", "controller_overseas: say true or false (Shaanxi Art. 72)")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	if len([]rune(d.Reason)) > 1000 || as != "party" && d.Reason == "" {
		return Party{}, Invalid("reason", "missing_field", "reason: a correction says on what record it rests (1–1000 characters)")
	}
	st, ok := a.store.(PartyControllerStore)
	if !ok {
		return Party{}, fmt.Errorf("controller of party %s: the account store cannot record it", party)
	}
	cur, err := a.store.Party(ctx, party)
	if err != nil {
		return Party{}, fmt.Errorf("controller of party %s: %w", party, err)
	}
	if cur.Overseas() && *d.ControllerOverseas {
		return Party{}, Invalid("controller_overseas", "party_overseas", "party %s is itself overseas: what it buys is an export already (Shaanxi Art. 72)", party)
	}
	payload, err := json.Marshal(map[string]any{"to": *d.ControllerOverseas, "by": by.UserID, "by_party": by.PartyID, "as": as, "reason": d.Reason})
	if err != nil {
		return Party{}, err
	}
	p, err := st.SetControllerOverseas(ctx, party, *d.ControllerOverseas, LedgerEvent{Kind: "party.controller_declared",
		PartyID: party, SubjectID: uuid.UUID(party), Payload: payload, At: a.now()})
	if err != nil {
		return Party{}, fmt.Errorf("controller of party %s: %w", party, err)
	}
	return p, nil
}
