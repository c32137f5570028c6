package market

import (
	"time"

	"github.com/google/uuid"
)

// AccountKind is what a money account holds (Shujiao keeps double-entry
// books in CNY).
type AccountKind string

// Account kinds.
const (
	// AccountBuyerFunds: a party's deposited funds, available to pay orders.
	AccountBuyerFunds AccountKind = "buyer_funds"
	// AccountSellerReceivable: what the platform owes a seller for settled orders.
	AccountSellerReceivable AccountKind = "seller_receivable"
	// AccountEscrow: one order's payment, held until settlement or refund.
	AccountEscrow AccountKind = "escrow"
	// AccountPlatformFee: the platform's fees from settled orders.
	AccountPlatformFee AccountKind = "platform_fee"
	// AccountBankClearing: money received through (SIMULATED) bank
	// transfers; the other side of every deposit.
	AccountBankClearing AccountKind = "bank_clearing"
)

// Side is the side of a posting line.
type Side string

// Sides.
const (
	Debit  Side = "debit"
	Credit Side = "credit"
)

// NormalSide is the side on which a line increases an account of kind k:
// debit for the bank clearing account (an asset of the platform), credit for
// the others (what the platform owes to someone, or its revenue).
func (k AccountKind) NormalSide() Side {
	if k == AccountBankClearing {
		return Debit
	}
	return Credit
}

// Valid reports whether k is one of the account kinds.
func (k AccountKind) Valid() bool {
	switch k {
	case AccountBuyerFunds, AccountSellerReceivable, AccountEscrow, AccountPlatformFee, AccountBankClearing:
		return true
	}
	return false
}

// AccountKey names a money account: its kind and its owner (a party for
// buyer funds and seller receivables, an order for escrow, nobody for the
// platform's accounts). Accounts are created on first use.
type AccountKey struct {
	Kind    AccountKind `json:"kind"`
	PartyID uuid.UUID   `json:"party_id,omitzero"`
	OrderID uuid.UUID   `json:"order_id,omitzero"`
}

// BuyerFunds is the key of party's buyer-funds account.
func BuyerFunds(party uuid.UUID) AccountKey {
	return AccountKey{Kind: AccountBuyerFunds, PartyID: party}
}

// SellerReceivable is the key of party's seller-receivable account.
func SellerReceivable(party uuid.UUID) AccountKey {
	return AccountKey{Kind: AccountSellerReceivable, PartyID: party}
}

// Escrow is the key of order's escrow account.
func Escrow(order uuid.UUID) AccountKey { return AccountKey{Kind: AccountEscrow, OrderID: order} }

// PlatformFee is the key of the platform's fee account.
func PlatformFee() AccountKey { return AccountKey{Kind: AccountPlatformFee} }

// BankClearing is the key of the (simulated) bank clearing account.
func BankClearing() AccountKey { return AccountKey{Kind: AccountBankClearing} }

// Validate returns an ErrInvalid *Error unless the key's owner fits its kind.
func (k AccountKey) Validate() error {
	var ok bool
	switch k.Kind {
	case AccountBuyerFunds, AccountSellerReceivable:
		ok = k.PartyID != uuid.Nil && k.OrderID == uuid.Nil
	case AccountEscrow:
		ok = k.PartyID == uuid.Nil && k.OrderID != uuid.Nil
	case AccountPlatformFee, AccountBankClearing:
		ok = k.PartyID == uuid.Nil && k.OrderID == uuid.Nil
	default:
		return Invalid("account", "invalid_account", "account kind %q is not one of buyer_funds, seller_receivable, escrow, platform_fee, bank_clearing", k.Kind)
	}
	if !ok {
		return Invalid("account", "invalid_account", "a %s account is owned by %s", k.Kind, ownerOf(k.Kind))
	}
	return nil
}

func ownerOf(k AccountKind) string {
	switch k {
	case AccountBuyerFunds, AccountSellerReceivable:
		return "a party (and no order)"
	case AccountEscrow:
		return "an order (and no party)"
	}
	return "the platform (no party, no order)"
}

// String names the account: "buyer_funds/<party>", "escrow/<order>", "platform_fee".
func (k AccountKey) String() string {
	switch {
	case k.PartyID != uuid.Nil:
		return string(k.Kind) + "/" + k.PartyID.String()
	case k.OrderID != uuid.Nil:
		return string(k.Kind) + "/" + k.OrderID.String()
	}
	return string(k.Kind)
}

// Account is a money account and its balance, in the account's normal
// sense (never negative).
type Account struct {
	ID uuid.UUID `json:"id"`
	AccountKey
	Balance   Money     `json:"balance"`
	Currency  string    `json:"currency"`
	CreatedAt time.Time `json:"created_at"`
}
