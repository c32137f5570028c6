package httpapi

import (
	"net/http"
	"testing"

	"github.com/shujiao/shujiao/market"
)

func TestCrossParty_ASellerCannotReadOrChangeAnotherSellersDatasetsJobsListings(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	a := w.mustParty("甲数据公司", market.PartyParticipant, market.RoleSeller)
	b := w.mustParty("乙数据公司", market.PartyParticipant, market.RoleSeller)
	regulator := w.mustParty("陕西省市场监督管理局", market.PartyRegulator, market.RoleRegulator)

	st, body := a.upload("people.csv", mustSynthCSV(t, 200, 5))
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, body)
	}
	var ds datasetBody
	mustJSONBody(t, body, &ds)
	var job jobBody
	a.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", map[string]any{"policy": synthPolicy}, &job)
	var draft, listed listingBody
	a.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", ownDataDeclaration("甲的草稿"), &draft)
	a.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", ownDataDeclaration("甲的在售产品"), &listed)
	a.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+listed.ID+"/submit", nil, &listed)

	cases := []struct {
		name   string
		method string
		path   string
		body   any
		status int
	}{
		{"reading another's dataset is 404", http.MethodGet, "/v1/datasets/" + ds.ID, nil, http.StatusNotFound},
		{"de-identifying another's dataset is 404", http.MethodPost, "/v1/datasets/" + ds.ID + "/deidentify", map[string]any{"policy": synthPolicy}, http.StatusNotFound},
		{"reading another's job is 404", http.MethodGet, "/v1/jobs/" + job.ID, nil, http.StatusNotFound},
		{"reading another's draft listing is 404", http.MethodGet, "/v1/listings/" + draft.ID, nil, http.StatusNotFound},
		{"changing another's draft listing is 404", http.MethodPatch, "/v1/listings/" + draft.ID, map[string]any{"title": "mine now"}, http.StatusNotFound},
		{"submitting another's draft listing is 404", http.MethodPost, "/v1/listings/" + draft.ID + "/submit", nil, http.StatusNotFound},
		{"changing another's listed product is 403", http.MethodPatch, "/v1/listings/" + listed.ID, map[string]any{"title": "mine now"}, http.StatusForbidden},
		{"delisting another's listed product is 403", http.MethodPost, "/v1/listings/" + listed.ID + "/transitions", map[string]any{"action": "delist"}, http.StatusForbidden},
		{"listing another party's listings is 403", http.MethodGet, "/v1/listings?party_id=" + a.partyID.String(), nil, http.StatusForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st, body := b.do(tc.method, tc.path, tc.body)
			if st != tc.status {
				t.Errorf("status %d, want %d: %s", st, tc.status, body)
			}
			mustAPIProblem(t, body)
		})
	}
	t.Run("another seller's own list holds none of them", func(t *testing.T) {
		var page struct{ Items []listingBody }
		b.mustDo(http.StatusOK, http.MethodGet, "/v1/listings", nil, &page)
		var dss struct{ Items []datasetBody }
		b.mustDo(http.StatusOK, http.MethodGet, "/v1/datasets", nil, &dss)
		if len(page.Items) != 0 || len(dss.Items) != 0 {
			t.Errorf("seller B sees %d listings and %d datasets, want none", len(page.Items), len(dss.Items))
		}
	})
	t.Run("a regulator reads across parties but changes nothing of theirs", func(t *testing.T) {
		regulator.mustDo(http.StatusOK, http.MethodGet, "/v1/datasets/"+ds.ID, nil, nil)
		regulator.mustDo(http.StatusOK, http.MethodGet, "/v1/jobs/"+job.ID, nil, nil)
		regulator.mustDo(http.StatusOK, http.MethodGet, "/v1/listings/"+draft.ID, nil, nil)
		var page struct{ Items []listingBody }
		regulator.mustDo(http.StatusOK, http.MethodGet, "/v1/listings", nil, &page)
		if len(page.Items) != 2 {
			t.Errorf("regulator sees %d listings, want 2", len(page.Items))
		}
		if st, _ := regulator.do(http.MethodPatch, "/v1/listings/"+draft.ID, map[string]any{"title": "x"}); st != http.StatusForbidden {
			t.Errorf("a regulator editing a seller's draft: %d, want 403", st)
		}
	})
	t.Run("a listed product is readable by anyone", func(t *testing.T) {
		b.mustDo(http.StatusOK, http.MethodGet, "/v1/listings/"+listed.ID, nil, nil)
	})
}
