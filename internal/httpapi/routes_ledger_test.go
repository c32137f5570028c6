package httpapi

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/postgres/pgtest"
	"github.com/shujiao/shujiao/market"
	"github.com/transparency-dev/merkle/rfc6962"
)

// ledgerWorld is a server with the ledger and money routes, served as the
// shujiao_app role, with a buyer, a seller, a regulator and an operator.
type ledgerWorld struct {
	*world
	key                                *pgp.Key
	buyer, seller                      market.Party
	tokBuyer, tokSeller, tokReg, tokOp string
}

func mustLedgerWorld(t *testing.T) *ledgerWorld {
	t.Helper()
	ctx := context.Background()
	owner := pgtest.NewDB(t)
	app, err := postgres.OpenAppPool(ctx, owner)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Close)
	key, err := pgp.Generate("Shujiao test platform", "platform@shujiao.test")
	if err != nil {
		t.Fatal(err)
	}
	w := &ledgerWorld{world: &world{clock: &clock{now: time.Now().UTC()}}, key: key}
	w.acc = market.NewAccounts(postgres.NewAccountStore(app), market.AccountsOptions{
		Password: market.PasswordParams{Memory: 1024, Time: 1, Threads: 1}, Now: w.clock.Now,
	})
	seq := postgres.NewSequencer(app, key, nil)
	w.srv = New(Config{}, Deps{DB: app, Services: Services{Accounts: w.acc, Stores: postgres.NewStores(app, key.Public()),
		Ledger: &LedgerServices{Log: postgres.NewLedgerLog(app, seq)}, Audit: postgres.NewAuditLog(app, seq)}})
	w.buyer, w.tokBuyer = w.mustParty(t, "秦川物流", "91610104MA6W8CD91A", "buyer@example.cn", market.PartyParticipant, market.RoleBuyer)
	w.seller, w.tokSeller = w.mustParty(t, "甲数据公司", "91610131MA6U3R1X2M", "seller@example.cn", market.PartyParticipant, market.RoleSeller)
	_, w.tokReg = w.mustParty(t, "陕西省市场监督管理局", "11610000MB2950531A", "r@example.cn", market.PartyRegulator, market.RoleRegulator)
	_, w.tokOp = w.mustParty(t, "数交平台运营有限公司", "91610131MA7G2PLT35", "op@example.cn", market.PartyPlatform, market.RoleOperator)
	return w
}

func TestDeposits_ASimulatedBankTransferIsCreditedOnceByReference(t *testing.T) {
	t.Parallel()
	w := mustLedgerWorld(t)
	var first depositResult
	body := `{"amount": "10000.00", "reference": "BOC-20261123-0001"}`
	mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: body}), http.StatusCreated, &first)
	if !first.Simulated || first.Balance.String() != "10000.00" || first.Deposit.Reference != "BOC-20261123-0001" {
		t.Fatalf("deposit = %+v", first)
	}
	var again depositResult
	mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: body}), http.StatusOK, &again)
	if again.Deposit.ID != first.Deposit.ID || again.Balance.String() != "10000.00" {
		t.Errorf("repeated deposit = %+v, want the first one and no second credit", again)
	}
	for _, tc := range []struct {
		name, token, body string
		status            int
		code              string
	}{
		{"the same reference with another amount", w.tokBuyer, `{"amount": "1.00", "reference": "BOC-20261123-0001"}`, 409, "idempotency_key_reused"},
		{"a seller is not a buyer", w.tokSeller, `{"amount": "1.00", "reference": "X-1"}`, 403, "forbidden_role"},
		{"no reference", w.tokBuyer, `{"amount": "1.00", "reference": ""}`, 400, "invalid_reference"},
		{"a negative amount", w.tokBuyer, `{"amount": "-5.00", "reference": "X-2"}`, 400, "invalid_amount"},
		{"a fraction of a fen", w.tokBuyer, `{"amount": "1.001", "reference": "X-3"}`, 400, "invalid_amount"},
		{"an amount as a float with an exponent", w.tokBuyer, `{"amount": "1e3", "reference": "X-4"}`, 400, "invalid_value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mustProblem(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: tc.token, body: tc.body}), tc.status, tc.code)
		})
	}

	var mine moneyAccounts
	mustJSON(t, w.do(t, req{method: "GET", path: "/v1/accounts", token: w.tokBuyer}), http.StatusOK, &mine)
	if len(mine.Accounts) != 1 || mine.Accounts[0].Kind != market.AccountBuyerFunds || mine.Accounts[0].Balance.String() != "10000.00" {
		t.Errorf("buyer's accounts = %+v", mine)
	}
	t.Run("a seller cannot read the buyer's balances", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/accounts?party_id=" + w.buyer.ID.String(), token: w.tokSeller}), 403, "forbidden_party")
	})
	t.Run("a regulator can", func(t *testing.T) {
		var theirs moneyAccounts
		mustJSON(t, w.do(t, req{method: "GET", path: "/v1/accounts?party_id=" + w.buyer.ID.String(), token: w.tokReg}), http.StatusOK, &theirs)
		if len(theirs.Accounts) != 1 || theirs.Accounts[0].Balance.String() != "10000.00" {
			t.Errorf("accounts seen by the regulator = %+v", theirs)
		}
	})
}

func TestLedgerProof_VerifiesOfflineAgainstTheSignedHead(t *testing.T) {
	t.Parallel()
	w := mustLedgerWorld(t)
	for i := range 5 {
		body := fmt.Sprintf(`{"amount": "%d.00", "reference": "REF-%d"}`, 100+i, i)
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: body}), http.StatusCreated, nil)
	}
	var page ledgerEntryList
	mustJSON(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries?kind=money.", token: w.tokBuyer}), http.StatusOK, &page)
	if len(page.Entries) != 5 {
		t.Fatalf("buyer's money entries = %d, want 5", len(page.Entries))
	}
	id := page.Entries[2].ID
	var p struct {
		LeafData  string      `json:"leaf_data"`
		LeafIndex uint64      `json:"leaf_index"`
		TreeSize  uint64      `json:"tree_size"`
		LeafHash  []byte      `json:"leaf_hash"`
		Hashes    [][]byte    `json:"hashes"`
		Head      ledger.Head `json:"head"`
	}
	mustJSON(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries/" + id.String() + "/proof", token: w.tokBuyer}), http.StatusOK, &p)
	// What a client does offline: hash the leaf, fold the proof, check the signature.
	leafHash := rfc6962.DefaultHasher.HashLeaf([]byte(p.LeafData))
	if base64.StdEncoding.EncodeToString(leafHash) != base64.StdEncoding.EncodeToString(p.LeafHash) {
		t.Fatalf("leaf_hash is not SHA-256(0x00 ‖ leaf_data)")
	}
	if err := ledger.VerifyInclusion(p.LeafIndex, p.TreeSize, leafHash, p.Hashes, p.Head.Root); err != nil {
		t.Fatalf("inclusion proof: %v", err)
	}
	if err := ledger.VerifyHead(w.key.Public(), p.Head); err != nil {
		t.Fatalf("head signature: %v", err)
	}

	t.Run("another party's entry is not found", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries/" + id.String() + "/proof", token: w.tokSeller}), 404, "not_found")
	})
	t.Run("a regulator sees every party's entries", func(t *testing.T) {
		var all ledgerEntryList
		mustJSON(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries?party_id=" + w.buyer.ID.String(), token: w.tokReg}), http.StatusOK, &all)
		if len(all.Entries) != 5 {
			t.Errorf("entries seen by the regulator = %d, want 5", len(all.Entries))
		}
	})
	t.Run("a seller cannot sign a head, an operator can", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokSeller}), 403, "forbidden_role")
		for _, tc := range []struct{ name, token string }{
			{"operator", w.tokOp}, {"regulator", w.tokReg},
		} {
			var h ledger.Head
			mustJSON(t, w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: tc.token}), http.StatusOK, &h)
			if h.Size != p.Head.Size {
				t.Errorf("%s: head over %d leaves, want the unchanged %d", tc.name, h.Size, p.Head.Size)
			}
		}
	})
	t.Run("a new deposit grows the tree consistently", func(t *testing.T) {
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/accounts/deposits", token: w.tokBuyer, body: `{"amount": "1.00", "reference": "REF-LATE"}`}), http.StatusCreated, nil)
		var h ledger.Head
		mustJSON(t, w.do(t, req{method: "POST", path: "/v1/ledger/heads", token: w.tokReg}), http.StatusCreated, &h)
		var latest ledger.Head
		mustJSON(t, w.do(t, req{method: "GET", path: "/v1/ledger/heads/latest", token: w.tokBuyer}), http.StatusOK, &latest)
		if latest.Size != h.Size || latest.Size != p.Head.Size+1 {
			t.Fatalf("latest head over %d leaves, want %d", latest.Size, p.Head.Size+1)
		}
		var cp ledger.ConsistencyProof
		path := fmt.Sprintf("/v1/ledger/consistency?from=%d&to=%d", p.Head.Size, latest.Size)
		mustJSON(t, w.do(t, req{method: "GET", path: path, token: w.tokBuyer}), http.StatusOK, &cp)
		if err := ledger.VerifyConsistency(cp.From, cp.To, cp.Hashes, p.Head.Root, latest.Root); err != nil {
			t.Errorf("consistency proof: %v", err)
		}
	})
	t.Run("bad parameters are 400 problems", func(t *testing.T) {
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/ledger/consistency?from=9&to=2", token: w.tokBuyer}), 400, "invalid_tree_size")
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/ledger/consistency?to=2", token: w.tokBuyer}), 400, "missing_parameter")
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries/nope/proof", token: w.tokBuyer}), 400, "invalid_id")
		mustProblem(t, w.do(t, req{method: "GET", path: "/v1/ledger/entries/" + uuid.NewString() + "/proof", token: w.tokReg}), 404, "not_found")
	})
}
