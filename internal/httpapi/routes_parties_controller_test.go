package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// Shaanxi Art. 72: a party registered on the mainland declares that its
// controlling party is overseas, at registration or later; only the party
// itself declares, a regulator or an operator corrects with a reason, and
// every change is in the ledger.
func TestParties_ShaanxiArt72_ControllerOverseasDeclaredByThePartyCorrectedByARegulator(t *testing.T) {
	t.Parallel()
	w := mustMarket(t, marketOptions{noRunner: true})
	buyer := w.mustParty("深圳外资控股数据公司", market.PartyParticipant, market.RoleBuyer)
	other := w.mustParty("西安本地买方", market.PartyParticipant, market.RoleBuyer, market.RoleSeller)
	regulator := w.mustParty("陕西省数据局", market.PartyRegulator, market.RoleRegulator)
	path := "/v1/parties/" + buyer.partyID.String() + "/controller"

	t.Run("the party declares it itself", func(t *testing.T) {
		var p market.Party
		buyer.mustDo(http.StatusOK, http.MethodPut, path, map[string]any{"controller_overseas": true}, &p)
		if !p.ControllerOverseas {
			t.Errorf("party %+v: want controller_overseas", p)
		}
		buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/parties/"+buyer.partyID.String(), nil, &p)
		if !p.ControllerOverseas {
			t.Error("read back: controller_overseas lost")
		}
	})
	t.Run("another party may not", func(t *testing.T) {
		st, b := other.do(http.MethodPut, path, map[string]any{"controller_overseas": false})
		if st != http.StatusForbidden || mustAPIProblem(t, b).Code != "forbidden_party" {
			t.Errorf("another party: %d %s, want 403 forbidden_party", st, b)
		}
	})
	t.Run("a regulator corrects only with a reason", func(t *testing.T) {
		st, b := regulator.do(http.MethodPut, path, map[string]any{"controller_overseas": false})
		if st != http.StatusBadRequest || mustAPIProblem(t, b).Field != "reason" {
			t.Errorf("a correction without reason: %d %s, want 400 naming reason", st, b)
		}
		var p market.Party
		regulator.mustDo(http.StatusOK, http.MethodPut, path, map[string]any{"controller_overseas": false, "reason": "工商登记显示实际控制人为境内自然人"}, &p)
		if p.ControllerOverseas {
			t.Error("the regulator's correction was not stored")
		}
	})
	t.Run("a missing value is refused", func(t *testing.T) {
		st, b := buyer.do(http.MethodPut, path, map[string]any{"reason": "x"})
		if st != http.StatusBadRequest || mustAPIProblem(t, b).Field != "controller_overseas" {
			t.Errorf("no value: %d %s, want 400 naming controller_overseas", st, b)
		}
	})
	t.Run("the ledger records each change with who made it", func(t *testing.T) {
		rows, err := w.pool.Query(t.Context(), `SELECT payload FROM ledger_entries WHERE kind = 'party.controller_declared' AND subject_id = $1 ORDER BY seq`, buyer.partyID)
		if err != nil {
			t.Fatal(err)
		}
		var got []map[string]any
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			got = append(got, m)
		}
		if len(got) != 2 || got[0]["as"] != "party" || got[0]["from"] != false || got[0]["to"] != true ||
			got[1]["as"] != "regulator" || got[1]["from"] != true || got[1]["to"] != false || got[1]["reason"] == "" {
			t.Errorf("ledger events %v: want the party's declaration then the regulator's correction", got)
		}
	})
	t.Run("an operator corrects too", func(t *testing.T) {
		operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
		var p market.Party
		operator.mustDo(http.StatusOK, http.MethodPut, path, map[string]any{"controller_overseas": true, "reason": "股权穿透：境外母公司持股 70%"}, &p)
		if !p.ControllerOverseas {
			t.Error("the operator's correction was not stored")
		}
		if n := w.count(`SELECT 1 FROM ledger_entries WHERE kind = 'party.controller_declared' AND subject_id = $1 AND payload->>'as' = 'operator'`, buyer.partyID); n != 1 {
			t.Errorf("operator corrections in the ledger: %d, want 1", n)
		}
	})
	t.Run("declared at registration", func(t *testing.T) {
		code := "91610131000000077"
		code += string(anonymizer.USCCCheckChar(code))
		anon := &client{w: w}
		reg := func(jurisdiction, credit string) (int, []byte) {
			p := map[string]any{"kind": "organization", "name": "外资控股" + jurisdiction, "jurisdiction": jurisdiction, "controller_overseas": true}
			if credit != "" {
				p["credit_code"] = credit
			}
			return anon.do(http.MethodPost, "/v1/parties", map[string]any{"party": p, "roles": []string{"buyer"},
				"user": map[string]any{"email": fmt.Sprintf("ctl-%s@example.test", jurisdiction), "name": "u", "password": "correct horse battery staple"}})
		}
		st, b := reg("61", code)
		var created struct {
			Party market.Party `json:"party"`
		}
		if st != http.StatusCreated || json.Unmarshal(b, &created) != nil || !created.Party.ControllerOverseas {
			t.Errorf("registration: %d %s, want 201 with controller_overseas", st, b)
		}
		if st, b := reg("overseas", ""); st != http.StatusBadRequest || mustAPIProblem(t, b).Field != "party.controller_overseas" {
			t.Errorf("an overseas party declaring an overseas controller: %d %s, want 400 naming party.controller_overseas", st, b)
		}
	})
}
