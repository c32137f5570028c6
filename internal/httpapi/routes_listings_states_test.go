package httpapi

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

func TestTransitions_EachMoveOnlyByItsRoleAndRecordedWithWhoWhenWhy(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	other := w.mustParty("天津数港", market.PartyParticipant, market.RoleSeller)
	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)

	listed := func() string {
		t.Helper()
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", ownDataDeclaration("states"), &l)
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		if l.State != "listed" {
			t.Fatalf("state %s, want listed", l.State)
		}
		return l.ID
	}
	move := func(c *client, id string, body map[string]any) (int, apiProblem, listingBody) {
		t.Helper()
		st, b := c.do(http.MethodPost, "/v1/listings/"+id+"/transitions", body)
		var l listingBody
		var p apiProblem
		if st == http.StatusOK {
			mustJSONBody(t, b, &l)
		} else {
			p = mustAPIProblem(t, b)
		}
		return st, p, l
	}

	t.Run("a regulator suspends and reinstates a listed product, giving reasons", func(t *testing.T) {
		id := listed()
		if st, p, _ := move(regulator, id, map[string]any{"action": "suspend"}); st != http.StatusBadRequest || p.Code != "reason_required" {
			t.Errorf("suspend without a reason: %d %+v, want 400 reason_required", st, p)
		}
		st, _, l := move(regulator, id, map[string]any{"action": "suspend", "reason": "投诉核查 complaint under review"})
		if st != http.StatusOK || l.State != "suspended" {
			t.Fatalf("suspend: %d state %s", st, l.State)
		}
		last := l.Transitions[len(l.Transitions)-1]
		if last.Role != "regulator" || last.Reason == "" || last.ActorUserID == nil {
			t.Errorf("recorded transition %+v: want the regulator, the user and the reason", last)
		}
		if st, p, _ := move(seller, id, map[string]any{"to": "listed"}); st != http.StatusForbidden || p.Code != "transition_forbidden" {
			t.Errorf("seller reinstating: %d %+v, want 403 transition_forbidden", st, p)
		}
		if st, _, l := move(regulator, id, map[string]any{"to": "listed", "reason": "核查完毕"}); st != http.StatusOK || l.State != "listed" {
			t.Errorf("reinstate: %d state %s", st, l.State)
		}
		if n := w.count(`SELECT 1 FROM ledger_entries WHERE subject_id = $1 AND kind IN ('listing.suspended', 'listing.listed')`, id); n != 3 {
			t.Errorf("ledger: %d suspension and listing events, want 3", n)
		}
	})
	t.Run("a seller delists its own product but not another seller's", func(t *testing.T) {
		id := listed()
		if st, p, _ := move(other, id, map[string]any{"action": "delist"}); st != http.StatusForbidden {
			t.Errorf("another seller delisting: %d %+v, want 403", st, p)
		}
		if st, p, _ := move(buyer, id, map[string]any{"action": "suspend", "reason": "x"}); st != http.StatusForbidden {
			t.Errorf("a buyer suspending: %d %+v, want 403", st, p)
		}
		if st, _, l := move(seller, id, map[string]any{"action": "delist", "reason": "停止供应"}); st != http.StatusOK || l.State != "delisted" {
			t.Errorf("delist: %d state %s", st, l.State)
		}
		if st, p, _ := move(seller, id, map[string]any{"action": "delist"}); st != http.StatusConflict || p.Code != "invalid_transition" {
			t.Errorf("delisting twice: %d %+v, want 409 invalid_transition", st, p)
		}
	})
	t.Run("an operator decides a listing under review; a regulator may not", func(t *testing.T) {
		d := ownDataDeclaration("review")
		d["sources"] = []any{licensedSource("2026-01-01", "2027-12-31", "trading", "telepathy")}
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		if l.State != "under_review" {
			t.Fatalf("state %s, want under_review", l.State)
		}
		var queue struct{ Items []listingBody }
		operator.mustDo(http.StatusOK, http.MethodGet, "/v1/listings?state=under_review", nil, &queue)
		if len(queue.Items) != 1 || queue.Items[0].ID != l.ID {
			t.Errorf("operator's review queue %+v: want the listing", queue.Items)
		}
		if st, _, _ := move(regulator, l.ID, map[string]any{"action": "approve", "reason": "x"}); st != http.StatusForbidden {
			t.Errorf("a regulator approving: %d, want 403", st)
		}
		if st, _, l := move(operator, l.ID, map[string]any{"action": "approve", "reason": "telepathy 即 远程感知授权, 属交易范围"}); st != http.StatusOK || l.State != "listed" {
			t.Errorf("approve: %d state %s", st, l.State)
		}
	})
	t.Run("a draft cannot be suspended, and only drafts and blocked listings can be edited", func(t *testing.T) {
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", ownDataDeclaration("draft"), &l)
		if st, p, _ := move(regulator, l.ID, map[string]any{"action": "suspend", "reason": "x"}); st != http.StatusConflict {
			t.Errorf("suspending a draft: %d %+v, want 409", st, p)
		}
		seller.mustDo(http.StatusOK, http.MethodPatch, "/v1/listings/"+l.ID, map[string]any{"title": "新标题", "price": "99.50"}, &l)
		var decl struct{ Title string }
		mustJSONBody(t, l.Declaration, &decl)
		if decl.Title != "新标题" || l.Price == nil || *l.Price != "99.50" {
			t.Errorf("patched title %q price %v", decl.Title, l.Price)
		}
		id := listed()
		st, b := seller.do(http.MethodPatch, "/v1/listings/"+id, map[string]any{"title": "changed after listing"})
		if p := mustAPIProblem(t, b); st != http.StatusConflict || p.Code != "listing_not_editable" {
			t.Errorf("patching a listed product: %d %+v, want 409 listing_not_editable", st, p)
		}
	})
	t.Run("submitting a blocked product again raises a flag for regulators (Shaanxi Art. 36)", func(t *testing.T) {
		d := ownDataDeclaration("blocked twice")
		d["state_secret"] = true
		var l listingBody
		seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
		if l.State != "blocked" || w.count(`SELECT 1 FROM flags WHERE listing_id = $1`, l.ID) != 0 {
			t.Fatalf("first submission: state %s; no flag yet expected", l.State)
		}
		seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", map[string]any{"reason": "再次提交"}, &l)
		if l.State != "blocked" {
			t.Errorf("second submission: state %s, want blocked again", l.State)
		}
		if n := w.count(`SELECT 1 FROM flags WHERE listing_id = $1 AND rule = 'shaanxi-36' AND kind = 'repeated_submission'`, l.ID); n != 1 {
			t.Errorf("flags for the resubmission: %d, want 1", n)
		}
	})
}

func TestRegate_ShaanxiArt36_1_AnAuthorizationExpiredSinceListingFailsTheGateAtOrderTime(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	d := ownDataDeclaration("licensed")
	d["sources"] = []any{licensedSource("2026-01-01", "2027-12-31", "trading")}
	var l listingBody
	seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", d, &l)
	seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
	if l.State != "listed" {
		t.Fatalf("state %s, want listed", l.State)
	}
	store := postgres.NewListingStore(w.pool, w.key.Public())
	rec, err := store.LockListing(context.Background(), uuid.MustParse(l.ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		at   string
		want market.Decision
	}{{"2027-12-31T15:59:59Z", market.DecisionListable}, {"2027-12-31T16:00:00Z", market.DecisionBlocked}} {
		at, _ := time.Parse(time.RFC3339, tc.at)
		res, err := store.RegateListing(context.Background(), rec, at)
		if err != nil {
			t.Fatal(err)
		}
		if res.Decision != tc.want {
			t.Errorf("at %s: %s %+v, want %s (valid to 2027-12-31 China time)", tc.at, res.Decision, res.Violations, tc.want)
		}
	}
}
