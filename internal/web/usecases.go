package web

import "github.com/shujiao/shujiao/market"

// useCases are the market services that the pages call (listings, quotes,
// cases, datasets, jobs, party keys), built once by New over Deps.Stores: the
// same services the API builds over the same ports, so an action gives
// the same result either way.
type useCases struct {
	listings *market.Listings
	quotes   *market.Quotes
	cases    *market.Cases
	datasets *market.Datasets
	jobs     *market.Jobs
	keys     *market.PartyKeys
}

func newUseCases(st market.Stores) useCases {
	return useCases{listings: market.NewListings(st.Listings), quotes: market.NewQuotes(st.Quotes),
		cases: market.NewCases(st.Cases).WithCalendar(market.CalendarOf(st.Calendar)), datasets: market.NewDatasets(st.Datasets), jobs: market.NewJobs(st.Jobs),
		keys: market.NewPartyKeys(st.Keys)}
}
