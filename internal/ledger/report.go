package ledger

// Problem kinds of the books (VerifyBooks in internal/postgres): the tables
// of money and orders recomputed from the ledger's entries.
const (
	ProblemBalance = "balance" // an account's balance differs from the sum of its postings in the ledger
	ProblemOrder   = "order"   // an order's price, quantity or amount differs from what the ledger recorded
)

// Add records problems found outside Verify (the books) in r: they count,
// compete for FirstBad, and make r not OK.
func (r *Report) Add(problems ...Problem) {
	v := verifier{r: *r}
	for _, p := range problems {
		v.add(p)
	}
	*r = v.r
	r.OK = r.ProblemCount == 0
}
