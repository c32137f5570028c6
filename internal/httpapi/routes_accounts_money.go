package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// moneyRoutes registers the money accounts: balances and SIMULATED bank
// deposits.
func (s *Server) moneyRoutes(g v1Groups) {
	g.Authed.GET("/accounts", s.listMoneyAccounts)
	g.Authed.POST("/accounts/deposits", requireRole(market.RoleBuyer), s.createDeposit)
}

type moneyAccounts struct {
	PartyID  uuid.UUID        `json:"party_id"`
	Accounts []market.Account `json:"accounts"`
}

// listMoneyAccounts answers with the balances of the caller's party, or of
// ?party_id= for a regulator.
func (s *Server) listMoneyAccounts(c *gin.Context) {
	a := actor(c)
	party := uuid.UUID(a.PartyID)
	if id, err := uuidParam(c, "party_id"); err != nil {
		s.fail(c, err)
		return
	} else if id != uuid.Nil {
		if err := a.RequireReadParty(market.PartyID(id)); err != nil {
			s.fail(c, err)
			return
		}
		party = id
	}
	accounts, err := s.svc.Stores.Money.PartyAccounts(c.Request.Context(), party)
	if err != nil {
		s.fail(c, err)
		return
	}
	if accounts == nil {
		accounts = []market.Account{}
	}
	writeJSON(c, http.StatusOK, moneyAccounts{PartyID: party, Accounts: accounts})
}

// depositRequest is a SIMULATED bank transfer: Shujiao does not talk to a
// bank; the reference stands for the transfer's bank reference.
type depositRequest struct {
	Amount    market.Money `json:"amount"`
	Reference string       `json:"reference"`
}

type depositResult struct {
	// Simulated is always true: no real money moved.
	Simulated bool           `json:"simulated"`
	Deposit   market.Posting `json:"deposit"`
	Balance   market.Money   `json:"balance"`
}

// createDeposit credits a SIMULATED bank transfer to the caller's buyer
// funds: 201 the first time, 200 with the same deposit when the reference
// is sent again.
func (s *Server) createDeposit(c *gin.Context) {
	var req depositRequest
	if !s.bindJSON(c, &req) {
		return
	}
	if err := market.CheckDeposit(req.Amount, s.cfg.MaxDeposit); err != nil {
		s.fail(c, err)
		return
	}
	ctx := c.Request.Context()
	party := uuid.UUID(actor(c).PartyID)
	var res depositResult
	var replayed bool
	var err error
	res.Deposit, replayed, res.Balance, err = s.svc.Stores.Money.Deposit(ctx, party, req.Amount, req.Reference)
	if err != nil {
		s.fail(c, err)
		return
	}
	res.Simulated = true
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	c.Header("Location", "/v1/accounts")
	writeJSON(c, status, res)
}
