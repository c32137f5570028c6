package market

import (
	"errors"
	"testing"

	"github.com/google/uuid"
)

func TestPosting_ValidateDoubleEntry(t *testing.T) {
	buyer, seller, order := uuid.New(), uuid.New(), uuid.New()
	line := func(k AccountKey, s Side, amount string) PostingLine {
		return PostingLine{Account: k, Side: s, Amount: MustMoney(amount)}
	}
	settle, err := SettlementPosting(order, seller, MustMoney("100.00"), MustMoney("2.50"))
	if err != nil {
		t.Fatal(err)
	}
	deposit, err := DepositPosting(buyer, MustMoney("100.00"), "BANK-1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p    Posting
		code string // "" for valid
	}{
		{"a deposit balances", deposit, ""},
		{"a payment balances", PaymentPosting(buyer, order, MustMoney("30.00")), ""},
		{"a settlement with a fee balances in three lines", settle, ""},
		{"a refund balances", RefundPosting(order, buyer, MustMoney("30.00")), ""},
		{"debits above credits do not balance", Posting{Kind: PostingPayment, Lines: []PostingLine{
			line(BuyerFunds(buyer), Debit, "5.00"), line(Escrow(order), Credit, "4.99")}}, "unbalanced_posting"},
		{"one line is not double entry", Posting{Kind: PostingPayment, Lines: []PostingLine{
			line(BuyerFunds(buyer), Debit, "5.00")}}, "invalid_posting"},
		{"a zero amount", Posting{Kind: PostingPayment, Lines: []PostingLine{
			line(BuyerFunds(buyer), Debit, "0.00"), line(Escrow(order), Credit, "0.00")}}, "invalid_amount"},
		{"a fraction of a fen", Posting{Kind: PostingPayment, Lines: []PostingLine{
			line(BuyerFunds(buyer), Debit, "0.005"), line(Escrow(order), Credit, "0.005")}}, "invalid_amount"},
		{"an escrow owned by a party", Posting{Kind: PostingPayment, Lines: []PostingLine{
			line(BuyerFunds(buyer), Debit, "1.00"), line(AccountKey{Kind: AccountEscrow, PartyID: buyer}, Credit, "1.00")}}, "invalid_account"},
		{"an unknown kind", Posting{Kind: "gift", Lines: PaymentPosting(buyer, order, MustMoney("1.00")).Lines}, "invalid_posting"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.p.Validate()
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var me *Error
			if !errors.As(err, &me) || me.Code != tc.code || !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate = %v, want ErrInvalid %s", err, tc.code)
			}
		})
	}
	t.Run("a fee above the amount is refused", func(t *testing.T) {
		if _, err := SettlementPosting(order, seller, MustMoney("10.00"), MustMoney("10.01")); !errors.Is(err, ErrInvalid) {
			t.Errorf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("a settlement without a fee has no fee line", func(t *testing.T) {
		p, err := SettlementPosting(order, seller, MustMoney("10.00"), Money{})
		if err != nil || len(p.Lines) != 2 {
			t.Errorf("lines = %+v (%v), want escrow and seller only", p.Lines, err)
		}
	})
}

func TestAccountKind_NormalSide(t *testing.T) {
	for k, want := range map[AccountKind]Side{
		AccountBankClearing: Debit, AccountBuyerFunds: Credit, AccountSellerReceivable: Credit,
		AccountEscrow: Credit, AccountPlatformFee: Credit,
	} {
		if got := k.NormalSide(); got != want {
			t.Errorf("%s: normal side %s, want %s", k, got, want)
		}
	}
}
