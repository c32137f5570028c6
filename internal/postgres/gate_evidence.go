package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/market"
)

// GateEvidenceStore implements market.GateEvidence over PostgreSQL: the
// dataset's columns and detection, other listed products with the same
// content, and the orders a listing's sources name. SQL only.
type GateEvidenceStore struct{ db DB }

// NewGateEvidenceStore returns the store over db (a pool or a transaction).
func NewGateEvidenceStore(db DB) *GateEvidenceStore { return &GateEvidenceStore{db: db} }

var _ market.GateEvidence = (*GateEvidenceStore)(nil)

// detectionColumns is the part of the stored anonymizer detection the
// gate reads: per column, the identifier types found and their rates.
type detectionColumns struct {
	Columns []struct {
		Name  string `json:"name"`
		Types []struct {
			Type      string  `json:"type"`
			MatchRate float64 `json:"match_rate"`
		} `json:"types"`
		FreeTextHits []struct {
			Type string  `json:"type"`
			Rate float64 `json:"rate"`
		} `json:"free_text_hits"`
	} `json:"columns"`
}

// minDetectedRate is the share of a column's values an identifier type
// must match to count as detected in it.
const minDetectedRate = 0.3

// DatasetContent returns the content profile of seller's dataset (its
// columns, the detected identifier types and the stored scan of its
// values), less the columns the release of certificateID dropped, and the
// products of other parties listed with a dataset of the same SHA-256.
func (s *GateEvidenceStore) DatasetContent(ctx context.Context, seller market.PartyID, datasetID, certificateID string) (*market.ContentProfile, []market.ListedCopy, error) {
	id, err := uuid.Parse(datasetID)
	if err != nil {
		return nil, nil, nil
	}
	var cols []string
	var det []byte
	var sha string
	var scan *market.ContentScan
	err = s.db.QueryRow(ctx, `SELECT columns, detection, sha256, content_scan FROM datasets WHERE id = $1 AND party_id = $2`, id, seller).Scan(&cols, &det, &sha, &scan)
	if isNoRows(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("dataset %s: %w", id, translate(err))
	}
	dropped, err := s.droppedColumns(ctx, seller, id, certificateID)
	if err != nil {
		return nil, nil, err
	}
	p, err := contentProfile(id, cols, det, scan, dropped)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.Query(ctx, `SELECT l.id, l.party_id FROM listings l JOIN datasets d ON d.id = l.dataset_id
WHERE d.sha256 = $1 AND l.state = 'listed' AND l.party_id <> $2 ORDER BY l.listed_at LIMIT 10`, sha, seller)
	if err != nil {
		return nil, nil, fmt.Errorf("listings with dataset %s: %w", sha, translate(err))
	}
	defer rows.Close()
	var copies []market.ListedCopy
	for rows.Next() {
		var c market.ListedCopy
		if err := rows.Scan(&c.ListingID, &c.SellerID); err != nil {
			return nil, nil, translate(err)
		}
		copies = append(copies, c)
	}
	return p, copies, translate(rows.Err())
}

// contentProfile is the content profile of dataset id from its columns,
// stored detection and stored scan of its values, less the dropped columns.
func contentProfile(id uuid.UUID, cols []string, det []byte, scan *market.ContentScan, dropped map[string]bool) (*market.ContentProfile, error) {
	var d detectionColumns
	if len(det) > 0 {
		if err := json.Unmarshal(det, &d); err != nil {
			return nil, fmt.Errorf("dataset %s: detection: %w", id, err)
		}
	}
	found := map[string][]string{}
	for _, c := range d.Columns {
		for _, t := range c.Types {
			if t.MatchRate >= minDetectedRate {
				found[c.Name] = append(found[c.Name], t.Type)
			}
		}
		for _, t := range c.FreeTextHits {
			if t.Rate >= minDetectedRate {
				found[c.Name] = append(found[c.Name], t.Type)
			}
		}
	}
	p := &market.ContentProfile{Scan: scan}
	for _, c := range cols {
		if !dropped[c] {
			p.Columns = append(p.Columns, market.ContentColumn{Name: c, Detected: found[c]})
		}
	}
	return p, nil
}

// Purchases returns the orders with the given IDs, keyed as written.
func (s *GateEvidenceStore) Purchases(ctx context.Context, ids []string) (map[string]market.PurchaseRecord, error) {
	out := map[string]market.PurchaseRecord{}
	for _, ref := range ids {
		id, err := uuid.Parse(ref)
		if err != nil {
			continue
		}
		var r market.PurchaseRecord
		var lic market.LicenceTerms
		err = s.db.QueryRow(ctx, `SELECT id, buyer_id, seller_id, listing_id, state, licence_terms FROM orders WHERE id = $1`, id).
			Scan(&r.OrderID, &r.BuyerID, &r.SellerID, &r.ListingID, &r.State, &lic)
		if isNoRows(err) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("order %s: %w", id, translate(err))
		}
		r.LicenceTerms, r.LicenceScope = lic.Terms, lic.Scope
		out[ref] = r
	}
	return out, nil
}

// droppedColumns returns the columns the de-identified release certified
// by certificateID (seller's, of dataset) dropped, read from the
// anonymizer report of its artifact; none when there is no such certificate.
func (s *GateEvidenceStore) droppedColumns(ctx context.Context, seller market.PartyID, dataset uuid.UUID, certificateID string) (map[string]bool, error) {
	cert, err := uuid.Parse(certificateID)
	if err != nil {
		return nil, nil
	}
	var dropped []string
	err = s.db.QueryRow(ctx, `SELECT coalesce(a.report->'anonymizer'->'dropped', '[]'::jsonb) FROM certificates c JOIN artifacts a ON a.id = c.artifact_id
WHERE c.id = $1 AND c.party_id = $2 AND c.dataset_id = $3`, cert, seller, dataset).Scan(&dropped)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("release of certificate %s: %w", cert, translate(err))
	}
	out := make(map[string]bool, len(dropped))
	for _, c := range dropped {
		out[c] = true
	}
	return out, nil
}
