package trace

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
	"github.com/shujiao/shujiao/market"
)

// Threshold is the family-wise false-match bound: the chance that any
// innocent copy among those checked is named.
const Threshold = 1e-6

// Leak is a file someone published: its name (the extension tells CSV,
// TSV, XLSX, JSON Lines or Parquet; otherwise the content is sniffed) and
// its bytes.
type Leak struct {
	Name string
	Data []byte
}

// Report is the outcome of a trace, with its evidence.
type Report struct {
	// Verdict is "traced" (at least one order named) or "inconclusive".
	Verdict   fingerprint.Verdict `json:"verdict"`
	Leak      LeakInfo            `json:"leak"`
	Threshold float64             `json:"threshold"`
	// CopiesChecked is the number of delivered copies scored.
	CopiesChecked int `json:"copies_checked"`
	// Candidates are the named orders and the next best, best first.
	Candidates []Candidate `json:"candidates"`
	// Releases say, per certified release, which leaked columns were read
	// as which marked columns and how many marks the leak shows.
	Releases []ReleaseCheck `json:"releases"`
}

// LeakInfo describes the leaked file.
type LeakInfo struct {
	Name    string   `json:"name"`
	SHA256  string   `json:"sha256"`
	Format  string   `json:"format"`
	Rows    int      `json:"rows"`
	Columns []string `json:"columns"`
}

// Candidate is one order's copy scored against the leak.
type Candidate struct {
	OrderID   uuid.UUID      `json:"order_id"`
	PartyID   market.PartyID `json:"party_id"`
	ListingID uuid.UUID      `json:"listing_id"`
	// Score is the number of the leak's marks the copy agrees with, of Marks.
	Score int `json:"score"`
	Marks int `json:"marks"`
	// FalseMatchProbability is the chance that an innocent copy scores this
	// high (computed from the leak: fingerprint.Detect).
	FalseMatchProbability float64                `json:"false_match_probability"`
	Named                 bool                   `json:"named"`
	Evidence              []fingerprint.Evidence `json:"evidence"`
}

// ReleaseCheck is the evidence of one certified release's copies.
type ReleaseCheck struct {
	ListingID     uuid.UUID                 `json:"listing_id"`
	ReleaseSHA256 string                    `json:"release_sha256"`
	Copies        int                       `json:"copies"`
	Marks         int                       `json:"marks"`
	Expected      float64                   `json:"expected_innocent_score"`
	Columns       []fingerprint.ColumnMatch `json:"columns"`
}

// maxUnnamed is how many unnamed candidates a report shows after the named.
const maxUnnamed = 5

// Trace reads a leaked table and scores it against every fingerprinted
// copy of listing's releases (uuid.Nil: every listing). Only a regulator
// may trace: ErrForbidden (forbidden_role) otherwise. A leak that is not a
// readable table is ErrInvalid (leak_unreadable, field "file"); a listing
// without delivered copies is ErrNotFound (no_copies).
func (s *Service) Trace(ctx context.Context, actor market.Actor, leak Leak, listing uuid.UUID) (*Report, error) {
	if err := actor.RequireRole(market.RoleRegulator); err != nil {
		return nil, err
	}
	t, format, err := readLeak(leak)
	if err != nil {
		return nil, market.Invalid("file", "leak_unreadable", "the leaked file is not a readable table (CSV, TSV, XLSX, JSON Lines or Parquet; UTF-8 or GB18030): %s", err)
	}
	sum := sha256.Sum256(leak.Data)
	rep := &Report{Verdict: fingerprint.Inconclusive, Threshold: Threshold, Candidates: []Candidate{}, Releases: []ReleaseCheck{},
		Leak: LeakInfo{Name: leak.Name, SHA256: hex.EncodeToString(sum[:]), Format: format, Rows: t.Rows(), Columns: t.Header()}}
	copies, err := s.Store.Copies(ctx, listing)
	if err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	if len(copies) == 0 {
		return nil, market.Errorf(market.ErrNotFound, "no_copies", "no fingerprinted copy was delivered%s: there is nothing to trace against", forListing(listing))
	}
	rep.CopiesChecked = len(copies)
	var all []Candidate
	for _, group := range byRelease(copies) {
		cands, check, err := s.traceRelease(t, rep.Leak.SHA256, group, len(copies))
		if err != nil {
			return nil, fmt.Errorf("trace: %w", err)
		}
		all = append(all, cands...)
		rep.Releases = append(rep.Releases, check)
	}
	slices.SortStableFunc(all, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(a.FalseMatchProbability, b.FalseMatchProbability), cmp.Compare(b.Score, a.Score))
	})
	unnamed := 0
	for _, c := range all {
		if c.Named {
			rep.Verdict = fingerprint.Traced
		} else if unnamed++; unnamed > maxUnnamed {
			continue
		}
		rep.Candidates = append(rep.Candidates, c)
	}
	return rep, nil
}

func forListing(listing uuid.UUID) string {
	if listing == uuid.Nil {
		return ""
	}
	return " for listing " + listing.String()
}

// byRelease groups copies by the release (and plan) they were made from.
func byRelease(copies []market.DeliveryCopy) [][]market.DeliveryCopy {
	idx := map[string]int{}
	var out [][]market.DeliveryCopy
	for _, c := range copies {
		k := c.ReleaseSHA256 + string(c.Plan)
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], c)
	}
	return out
}

// traceRelease scores the copies of one release; the threshold is shared
// out so that all releases together name an innocent copy with a chance
// under Threshold.
func (s *Service) traceRelease(leak *anonymizer.Table, leakSum string, group []market.DeliveryCopy, total int) ([]Candidate, ReleaseCheck, error) {
	first := group[0]
	check := ReleaseCheck{ListingID: first.ListingID, ReleaseSHA256: first.ReleaseSHA256, Copies: len(group), Columns: []fingerprint.ColumnMatch{}}
	var plan fingerprint.Plan
	if err := json.Unmarshal(first.Plan, &plan); err != nil {
		return nil, check, fmt.Errorf("plan of the copies of release %s: %w", first.ReleaseSHA256, err)
	}
	rel, err := s.readRelease(first.ReleaseSHA256, first.ReleaseName, nil)
	if err != nil {
		return nil, check, err
	}
	release := rel.table
	fc := make([]fingerprint.Copy, len(group))
	for i, c := range group {
		key, err := fingerprint.OrderKey(s.Key, c.OrderID.String())
		if err != nil {
			return nil, check, err
		}
		fc[i] = fingerprint.Copy{ID: c.OrderID.String(), Key: key, SHA256: c.CopySHA256}
	}
	res, err := fingerprint.Detect(leak, release, plan, fc, fingerprint.Options{Threshold: Threshold * float64(len(group)) / float64(total), LeakSHA256: leakSum})
	if err != nil {
		return nil, check, err
	}
	check.Marks, check.Expected, check.Columns = res.Marks, res.Expected, res.Columns
	byID := map[string]market.DeliveryCopy{}
	for _, c := range group {
		byID[c.OrderID.String()] = c
	}
	out := make([]Candidate, 0, len(res.Candidates))
	for _, rc := range res.Candidates {
		c := byID[rc.ID]
		out = append(out, Candidate{OrderID: c.OrderID, PartyID: c.BuyerID, ListingID: c.ListingID, Score: rc.Score, Marks: rc.Marks,
			FalseMatchProbability: rc.FalseMatchProbability, Named: rc.Named, Evidence: rc.Evidence})
	}
	return out, check, nil
}
