package postgres_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// TestGateEvidence_ShaanxiArt36_3_ColumnsTheReleaseDroppedDoNotCount: the
// content signatures read the dataset's columns and detection; a listing
// that sells a de-identified release is judged without the columns the
// release dropped (the precise locations are no trace once the phone
// numbers are gone).
func TestGateEvidence_ShaanxiArt36_3_ColumnsTheReleaseDroppedDoNotCount(t *testing.T) {
	t.Parallel()
	w := mustGovWorld(t, govdata.JurisdictionTianjin, "2026-03-02 09:00")
	seller := w.biz
	ds := &market.Dataset{ID: market.NewID(), PartyID: seller.PartyID, UploadedBy: seller.UserID, Name: "trace.csv", Format: "csv",
		SHA256: strings.Repeat("ab", 32), SizeBytes: 10, Rows: 2, Columns: []string{"手机号", "pos", "区县"},
		Detection: json.RawMessage(`{"columns": [{"name": "手机号", "types": [{"type": "mobile", "match_rate": 1}]},
			{"name": "pos", "types": [{"type": "coordinates", "match_rate": 0.9}]}, {"name": "区县", "types": []}]}`), CreatedAt: w.now,
		ContentScan: market.ScanContent(market.DefaultRuleSet(), nil, 2)}
	if err := postgres.NewDatasetStore(w.pool).CreateDataset(w.ctx, ds); err != nil {
		t.Fatal(err)
	}
	jobs := postgres.NewJobStore(w.pool)
	job := &market.Job{ID: market.NewID(), PartyID: seller.PartyID, DatasetID: ds.ID, CreatedBy: seller.UserID,
		Policy: json.RawMessage(`{}`), Mode: market.ModePublic, CreatedAt: w.now}
	if err := jobs.CreateJob(w.ctx, job); err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.StartJob(w.ctx, job.ID, 1, w.now); err != nil {
		t.Fatal(err)
	}
	art := &market.Artifact{ID: market.NewID(), PartyID: seller.PartyID, DatasetID: ds.ID, JobID: job.ID, Name: "trace-release.csv", Format: "csv",
		SHA256: strings.Repeat("cd", 32), SizeBytes: 8, Report: json.RawMessage(`{"anonymizer": {"dropped": ["手机号"]}}`), CreatedAt: w.now}
	cert := &market.Certificate{ID: market.NewID(), PartyID: seller.PartyID, DatasetID: ds.ID, ArtifactID: art.ID, Body: []byte(`{}`),
		Signature: "-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----", Passed: true, Level: "L3", CreatedAt: w.now}
	if err := jobs.FinishJob(w.ctx, job.ID, market.JobOutcome{Status: market.JobSucceeded, Artifact: art, Certificate: cert,
		Gate: json.RawMessage(`{}`), Report: json.RawMessage(`{}`)}, w.now); err != nil {
		t.Fatal(err)
	}
	ev := postgres.NewGateEvidenceStore(w.pool)
	gate := func(certificate string) market.GateResult {
		t.Helper()
		l := market.Listing{Title: "出行点位", Category: "transport", ProductType: market.ProductDataset, Classification: market.ClassGeneral,
			DatasetID: ds.ID.String(), CertificateID: certificate,
			Sources: []market.Source{{Origin: market.OriginSelfCollected, OwnData: true, Disclosure: market.DisclosureNonPublic,
				Collection: &market.Collection{Basis: market.BasisContract, Reference: "出行服务合同"}}}}
		if err := market.AttachEvidence(w.ctx, ev, seller.PartyID, &l); err != nil {
			t.Fatal(err)
		}
		return market.Gate(&l, nil, market.DefaultRuleSet(), w.now)
	}
	raw := gate("")
	if raw.Decision != market.DecisionBlocked || len(raw.Violations) != 1 || raw.Violations[0].Rule != "content-precise-geolocation-trace" ||
		!slices.Equal(raw.Violations[0].Columns, []string{"pos", "手机号"}) {
		t.Fatalf("the raw dataset: %+v, want blocked as a trace in pos beside 手机号", raw)
	}
	if rel := gate(cert.ID.String()); rel.Decision != market.DecisionListable {
		t.Fatalf("the release without the phone numbers: %s %+v, want listable", rel.Decision, rel.Violations)
	}
}
