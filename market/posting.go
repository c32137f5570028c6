package market

import (
	"strings"
	"time"

	"github.com/google/uuid"
)

// PostingKind is why money moved.
type PostingKind string

// Posting kinds.
const (
	// PostingDeposit: a SIMULATED bank transfer credited to a buyer's funds.
	PostingDeposit PostingKind = "deposit"
	// PostingPayment: a buyer pays an order into its escrow.
	PostingPayment PostingKind = "payment"
	// PostingSettlement: escrow released to the seller, minus the platform fee.
	PostingSettlement PostingKind = "settlement"
	// PostingRefund: escrow returned to the buyer (cancellation, dispute).
	PostingRefund PostingKind = "refund"
)

// PostingLine is one side of a posting: an amount debited or credited to
// an account.
type PostingLine struct {
	Account AccountKey `json:"account"`
	Side    Side       `json:"side"`
	Amount  Money      `json:"amount"`
}

// Posting is one balanced movement of money: its lines' debits equal its
// credits. IdempotencyKey, when set, makes a repeated posting return the
// first one instead of moving money twice.
type Posting struct {
	ID             uuid.UUID     `json:"id"`
	Kind           PostingKind   `json:"kind"`
	IdempotencyKey string        `json:"idempotency_key,omitempty"`
	PartyID        uuid.UUID     `json:"party_id,omitzero"`
	OrderID        uuid.UUID     `json:"order_id,omitzero"`
	Reference      string        `json:"reference,omitempty"`
	Memo           string        `json:"memo,omitempty"`
	Lines          []PostingLine `json:"lines"`
	CreatedAt      time.Time     `json:"created_at"`
	// LedgerEntryID is the money.<kind> ledger event recording it.
	LedgerEntryID uuid.UUID `json:"ledger_entry_id"`
}

// Validate returns an ErrInvalid *Error unless p has a known kind, at least
// two lines on valid accounts, positive amounts in whole fen, and debits
// equal to credits (double entry).
func (p Posting) Validate() error {
	switch p.Kind {
	case PostingDeposit, PostingPayment, PostingSettlement, PostingRefund:
	default:
		return Invalid("kind", "invalid_posting", "posting kind %q is not deposit, payment, settlement or refund", p.Kind)
	}
	if len(p.Lines) < 2 {
		return Invalid("lines", "invalid_posting", "a posting needs at least a debit and a credit line")
	}
	var debits, credits Money
	for _, l := range p.Lines {
		if err := l.Account.Validate(); err != nil {
			return err
		}
		if !l.Amount.Decimal().IsPositive() {
			return Invalid("amount", "invalid_amount", "a posting line moves a positive amount, not %s", l.Amount)
		}
		if !l.Amount.Round().Decimal().Equal(l.Amount.Decimal()) {
			return Invalid("amount", "invalid_amount", "amount %s: money moves in whole fen (0.01 yuan)", l.Amount.Decimal())
		}
		switch l.Side {
		case Debit:
			debits = debits.Add(l.Amount)
		case Credit:
			credits = credits.Add(l.Amount)
		default:
			return Invalid("side", "invalid_posting", "side %q is not debit or credit", l.Side)
		}
	}
	if debits.Cmp(credits) != 0 {
		return Invalid("lines", "unbalanced_posting", "debits %s do not equal credits %s", debits, credits)
	}
	return nil
}

// Total returns the sum of p's debits (equal to its credits when valid).
func (p Posting) Total() Money {
	var t Money
	for _, l := range p.Lines {
		if l.Side == Debit {
			t = t.Add(l.Amount)
		}
	}
	return t
}

// DepositPosting credits amount to party's buyer funds from the bank
// clearing account: a SIMULATED bank transfer identified by reference,
// idempotent on (party, reference). It returns an ErrInvalid *Error for an empty reference.
func DepositPosting(party uuid.UUID, amount Money, reference string) (Posting, error) {
	reference = strings.TrimSpace(reference)
	if reference == "" || len(reference) > 200 {
		return Posting{}, Invalid("reference", "invalid_reference", "a deposit needs the bank transfer's reference (1–200 characters)")
	}
	return Posting{
		// A reference is unique per party, not across parties: one buyer
		// cannot block another's bank reference.
		Kind: PostingDeposit, IdempotencyKey: "deposit:" + party.String() + ":" + reference, PartyID: party, Reference: reference,
		Memo: "simulated bank transfer",
		Lines: []PostingLine{
			{Account: BankClearing(), Side: Debit, Amount: amount},
			{Account: BuyerFunds(party), Side: Credit, Amount: amount},
		},
	}, nil
}

// PaymentPosting moves amount from buyer's funds into order's escrow, once
// per order.
func PaymentPosting(buyer, order uuid.UUID, amount Money) Posting {
	return Posting{
		Kind: PostingPayment, IdempotencyKey: "payment:" + order.String(), PartyID: buyer, OrderID: order,
		Lines: []PostingLine{
			{Account: BuyerFunds(buyer), Side: Debit, Amount: amount},
			{Account: Escrow(order), Side: Credit, Amount: amount},
		},
	}
}

// SettlementPosting releases amount from order's escrow: amount − fee to
// seller's receivable and fee to the platform, once per order. It returns an
// ErrInvalid *Error when the fee is negative or exceeds the amount.
func SettlementPosting(order, seller uuid.UUID, amount, fee Money) (Posting, error) {
	if fee.IsNegative() || fee.Cmp(amount) > 0 {
		return Posting{}, Invalid("fee", "invalid_fee", "the platform fee %s must be between 0 and the amount %s", fee, amount)
	}
	p := Posting{
		Kind: PostingSettlement, IdempotencyKey: "settlement:" + order.String(), PartyID: seller, OrderID: order,
		Lines: []PostingLine{{Account: Escrow(order), Side: Debit, Amount: amount}},
	}
	if net := amount.Sub(fee); !net.IsZero() {
		p.Lines = append(p.Lines, PostingLine{Account: SellerReceivable(seller), Side: Credit, Amount: net})
	}
	if !fee.IsZero() {
		p.Lines = append(p.Lines, PostingLine{Account: PlatformFee(), Side: Credit, Amount: fee})
	}
	return p, nil
}

// RefundPosting returns amount from order's escrow to buyer's funds, once
// per order.
func RefundPosting(order, buyer uuid.UUID, amount Money) Posting {
	return Posting{
		Kind: PostingRefund, IdempotencyKey: "refund:" + order.String(), PartyID: buyer, OrderID: order,
		Lines: []PostingLine{
			{Account: Escrow(order), Side: Debit, Amount: amount},
			{Account: BuyerFunds(buyer), Side: Credit, Amount: amount},
		},
	}
}
