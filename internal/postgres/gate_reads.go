package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shujiao/shujiao/market"
)

// batcher sends a batch of statements in one round trip: a pool, a
// transaction (pipeTx sends its held writes with it).
type batcher interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// gateReads is what the Shaanxi Art. 36 gate reads of one declaration,
// read together in one round trip (issue 18: an order gates its listing
// again, and each of these reads was a round trip of its own): the rule
// set in force, the certificate the declaration names with its artifact's
// digest, and the content evidence of its dataset (gate_evidence.go).
type gateReads struct {
	rs *market.RuleSet
	// the certificate (nil: none of the seller's with that id) and the
	// digest of the artifact it certifies
	cert   *market.Certificate
	digest market.ArtifactDigest
	// the dataset's evidence, read for seller, dataset and certificate
	// (datasetRead false: the declaration names no dataset)
	datasetRead              bool
	seller                   market.PartyID
	datasetID, certificateID string // as market.AttachEvidence asks (trimmed)
	content                  *market.ContentProfile
	copies                   []market.ListedCopy
	evidence                 *GateEvidenceStore // what was not read ahead
}

const (
	// the certificate, its artifact's digest and the columns its release
	// dropped (the anonymizer's report)
	selectGateCertificate = `SELECT c.id, c.party_id, c.dataset_id, c.artifact_id, c.body, c.signature, c.passed, c.level, c.created_at,
a.sha256, a.size_bytes, coalesce(a.report->'anonymizer'->'dropped', '[]'::jsonb)
FROM certificates c LEFT JOIN artifacts a ON a.id = c.artifact_id WHERE c.id = $1 AND c.party_id = $2`
	// the dataset's columns, detection and content scan, and up to ten products of other
	// parties listed with a dataset of the same content
	selectGateDataset = `SELECT d.columns, d.detection, d.sha256, d.content_scan,
(SELECT coalesce(jsonb_agg(jsonb_build_array(x.id, x.party_id) ORDER BY x.listed_at), '[]') FROM (
  SELECT l.id, l.party_id, l.listed_at FROM listings l JOIN datasets o ON o.id = l.dataset_id
  WHERE o.sha256 = d.sha256 AND l.state = 'listed' AND l.party_id <> $2 ORDER BY l.listed_at LIMIT 10) x)
FROM datasets d WHERE d.id = $1 AND d.party_id = $2`
)

// readGate reads what the gate needs of seller's declaration decl in one
// round trip on db: the rule set in force, the certificate with its
// artifact, and the dataset's content evidence (two statements and the
// rule set's). A certificate ID that is not an ID is left to the caller
// (it is refused as invalid).
func readGate(ctx context.Context, db DB, seller market.PartyID, decl *market.Listing) (*gateReads, error) {
	r := &gateReads{seller: seller, datasetID: strings.TrimSpace(decl.DatasetID), certificateID: strings.TrimSpace(decl.CertificateID),
		evidence: NewGateEvidenceStore(db)}
	bd, ok := db.(batcher)
	if !ok {
		return nil, fmt.Errorf("gate reads: %T cannot send a batch", db)
	}
	b := &pgx.Batch{}
	rsRead := queueRuleSet(b)
	certID, certErr := uuid.Parse(decl.CertificateID)
	readCert := decl.CertificateID != "" && certErr == nil
	if readCert {
		b.Queue(selectGateCertificate, certID, seller)
	}
	// the evidence, for the IDs market.AttachEvidence asks with
	dsID, dsErr := uuid.Parse(r.datasetID)
	r.datasetRead = dsErr == nil
	if r.datasetRead {
		b.Queue(selectGateDataset, dsID, seller)
	}
	br := bd.SendBatch(ctx, b)
	defer br.Close()
	if err := rsRead.scan(br); err != nil {
		return nil, err
	}
	var dropped []string // by the certified release, of the listing's dataset
	if readCert {
		var c market.Certificate
		var sha *string
		var size *int64
		var names []string
		err := br.QueryRow().Scan(&c.ID, &c.PartyID, &c.DatasetID, &c.ArtifactID, &c.Body, &c.Signature, &c.Passed, &c.Level, &c.CreatedAt,
			&sha, &size, &names)
		switch {
		case err == nil && sha == nil:
			return nil, fmt.Errorf("artifact %s of certificate %s: %w", c.ArtifactID, c.ID, market.ErrNotFound)
		case err == nil:
			r.cert, r.digest = &c, market.ArtifactDigest{SHA256: *sha, Bytes: *size}
			if release, err := uuid.Parse(r.certificateID); err == nil && release == c.ID && r.datasetRead && c.DatasetID == dsID {
				dropped = names
			}
		case !errors.Is(err, pgx.ErrNoRows):
			return nil, fmt.Errorf("certificate %s: %w", certID, translate(err))
		}
	}
	if r.datasetRead {
		if err := r.scanContent(br, dsID, dropped); err != nil {
			return nil, err
		}
	}
	if err := br.Close(); err != nil {
		return nil, translate(err)
	}
	rs, err := rsRead.result(ctx, db)
	if err != nil {
		return nil, err
	}
	r.rs = rs
	return r, nil
}

// scanContent reads the dataset's columns, detection and listed copies,
// and makes its content profile less the dropped columns.
func (r *gateReads) scanContent(br pgx.BatchResults, dsID uuid.UUID, dropped []string) error {
	var cols []string
	var det []byte
	var sha string
	var scan *market.ContentScan
	var listed [][2]uuid.UUID
	err := br.QueryRow().Scan(&cols, &det, &sha, &scan, &listed)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // no such dataset of the seller's: no content evidence
	}
	if err != nil {
		return fmt.Errorf("dataset %s: %w", dsID, translate(err))
	}
	drop := make(map[string]bool, len(dropped))
	for _, c := range dropped {
		drop[c] = true
	}
	p, err := contentProfile(dsID, cols, det, scan, drop)
	if err != nil {
		return err
	}
	var copies []market.ListedCopy
	for _, l := range listed {
		copies = append(copies, market.ListedCopy{ListingID: l[0], SellerID: market.PartyID(l[1])})
	}
	r.content, r.copies = p, copies
	return nil
}

// DatasetContent answers from what readGate read when asked for the same
// dataset and certificate, else asks the database (GateEvidenceStore).
func (r *gateReads) DatasetContent(ctx context.Context, seller market.PartyID, datasetID, certificateID string) (*market.ContentProfile, []market.ListedCopy, error) {
	if r.datasetRead && seller == r.seller && datasetID == r.datasetID && certificateID == r.certificateID {
		return r.content, r.copies, nil
	}
	return r.evidence.DatasetContent(ctx, seller, datasetID, certificateID)
}

// Purchases asks the database (GateEvidenceStore).
func (r *gateReads) Purchases(ctx context.Context, ids []string) (map[string]market.PurchaseRecord, error) {
	return r.evidence.Purchases(ctx, ids)
}

var _ market.GateEvidence = (*gateReads)(nil)
