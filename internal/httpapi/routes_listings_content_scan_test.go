package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// genomeSeq is the i-th of distinct 34-base sequences.
func genomeSeq(i int) string {
	const bases = "ACGT"
	var b strings.Builder
	b.WriteString("ACGTTGCAACGTTGCAACGTTGCAACGT")
	for n := i + 4096; b.Len() < 34; n /= 4 {
		b.WriteByte(bases[n%4])
	}
	return b.String()
}

// gpsFix is the r-th of distinct positions as a device exports them:
// float64 degrees printed in full (13 decimals), which the anonymizer's
// coordinates detector (3 to 10 decimals) does not take for coordinates
// but the value pattern of content-precise-geolocation-trace does.
func gpsFix(r int) string {
	return fmt.Sprintf("%.13f,%.13f", 34.2657123456789+float64(r)*0.0000371, 108.9542391234567+float64(r)*0.0000533)
}

// csvOf writes header and rows as CSV, each cell quoted.
func csvOf(header []string, rows int, cell func(row, col int) string) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(header, ",") + "\n")
	for r := range rows {
		for c := range header {
			if c > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "%q", cell(r, c))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// mustListingOf uploads data as name and submits a listing of the seller's
// own data, category "transport", that sells it (and certificate, when
// set); it returns the dataset and the listing.
func (c *client) mustListingOf(name string, data []byte, certificate string) (datasetBody, listingBody) {
	c.w.t.Helper()
	st, b := c.upload(name, data)
	if st != http.StatusCreated {
		c.w.t.Fatalf("upload %s: %d %s", name, st, b)
	}
	var ds datasetBody
	mustJSONBody(c.w.t, b, &ds)
	return ds, c.mustListingOfDataset(ds.ID, certificate)
}

func (c *client) mustListingOfDataset(dataset, certificate string) listingBody {
	c.w.t.Helper()
	d := ownDataDeclaration("区域统计 " + market.NewID().String())
	d["dataset_id"] = dataset
	if certificate != "" {
		d["certificate_id"] = certificate
		d["contains_personal_info"], d["contains_sensitive_personal_info"] = true, true
	}
	return c.submitted(d)
}

// Shaanxi Art. 36(3): the values of an upload are scanned with the content
// signatures' value patterns, so that banned content under a meaningless
// column name and an innocuous category is found through the API as
// check-listing --dataset finds it offline; a clean dataset under the same
// names is listed.
func TestSubmit_ShaanxiArt36_3_ValuesFoundAtUploadDecideWhateverTheColumnNames(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	district := func(r int) string { return fmt.Sprintf("6101%02d", r%13) }
	cases := []struct {
		name    string
		header  []string
		cell    func(r, c int) string
		state   string
		rule    string
		columns []string
	}{
		{"TestSubmit_ShaanxiArt36_3_GenomeSequencesUnderCol7AreBlocked", []string{"id", "col7", "region"},
			func(r, c int) string { return []string{fmt.Sprint(r), genomeSeq(r), district(r)}[c] },
			"blocked", "content-human-genetic-resources", []string{"col7"}},
		{"TestSubmit_ShaanxiArt36_3_SNPIdentifiersUnderC2AreBlocked", []string{"c1", "c2", "c3"},
			func(r, c int) string { return []string{fmt.Sprint(r), fmt.Sprintf("rs%d", 1000+r*7), district(r)}[c] },
			"blocked", "content-human-genetic-resources", []string{"c2"}},
		{"TestSubmit_ShaanxiArt36_3_CoordinatePairsBesideAUserIDAreATraceAndBlocked", []string{"user_id", "c3", "c4"},
			func(r, c int) string {
				return []string{fmt.Sprintf("U%05d", r%40), gpsFix(r), district(r)}[c]
			},
			"blocked", "content-precise-geolocation-trace", []string{"c3", "user_id"}},
		{"TestSubmit_ShaanxiArt36_3_CoordinatePairsWithoutAnIndividualAreListed", []string{"station", "c3", "c4"},
			func(r, c int) string {
				return []string{fmt.Sprintf("站点%d", r), gpsFix(r), district(r)}[c]
			},
			"listed", "", nil},
		// A seller who dilutes the sequences with other values (first in
		// the file, and five to one) still sells them: the column's first
		// 200 distinct values were all that was scanned, and half of them
		// had to match.
		{"TestSubmit_ShaanxiArt36_3_GenomeSequencesDilutedByOtherValuesAreStillBlocked", []string{"id", "col7", "region"},
			func(r, c int) string {
				v := fmt.Sprintf("样本%d", r)
				if r >= 250 {
					v = genomeSeq(r)
				}
				return []string{fmt.Sprint(r), v, district(r)}[c]
			},
			"blocked", "content-human-genetic-resources", []string{"col7"}},
		// Nine sequence-like values among 291 others stay below both the
		// share and the count (min_matches 10) of rule set version 3.
		{"TestSubmit_ShaanxiArt36_3_NineSequenceLikeValuesAmongManyAreListed", []string{"id", "col7", "region"},
			func(r, c int) string {
				v := fmt.Sprintf("样本%d", r)
				if r%33 == 32 {
					v = genomeSeq(r)
				}
				return []string{fmt.Sprint(r), v, district(r)}[c]
			},
			"listed", "", nil},
		{"TestSubmit_ShaanxiArt36_3_ACleanDatasetUnderTheSameNamesIsListed", []string{"id", "col7", "c2"},
			func(r, c int) string { return []string{fmt.Sprint(r), district(r), fmt.Sprint(r % 24)}[c] },
			"listed", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, l := w.seller.mustListingOf("data.csv", csvOf(c.header, 300, c.cell), "")
			if l.State != c.state {
				t.Fatalf("listing %s %+v, want %s", l.State, l.Decision, c.state)
			}
			if c.rule == "" {
				return
			}
			v := violation(l, c.rule)
			if v == nil || v.Article != market.ArticleShaanxi36_3 || !slices.Equal(v.Columns, c.columns) {
				t.Fatalf("violations %+v, want %s citing %s naming %v", l.Decision.Violations, c.rule, market.ArticleShaanxi36_3, c.columns)
			}
			if c.rule == "content-human-genetic-resources" && !strings.Contains(v.Reason, "国务院令第717号") {
				t.Errorf("the reason does not cite the Human Genetic Resources Regulations: %s", v.Reason)
			}
		})
	}
}

// Shaanxi Art. 36(3): the dataset keeps only what the patterns found —
// counts per column — never a value, for its owner to read.
func TestUpload_ShaanxiArt36_3_TheContentScanHoldsCountsNotValues(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	data := csvOf([]string{"id", "col7"}, 50, func(r, c int) string { return []string{fmt.Sprint(r), genomeSeq(r)}[c] })
	st, b := w.seller.upload("seq.csv", data)
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds struct {
		ID          string              `json:"id"`
		ContentScan *market.ContentScan `json:"content_scan"`
	}
	mustJSONBody(t, b, &ds)
	var stored []byte
	if err := w.pool.QueryRow(context.Background(), `SELECT content_scan FROM datasets WHERE id = $1`, ds.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var scan market.ContentScan
	if err := json.Unmarshal(stored, &scan); err != nil {
		t.Fatalf("stored scan %s: %v", stored, err)
	}
	if scan.RuleSetVersion != market.DefaultRuleSet().Version || scan.SampleRows != 50 || ds.ContentScan == nil {
		t.Fatalf("stored scan %s (answered %+v): want the shipped rule set's version and 50 rows", stored, ds.ContentScan)
	}
	genome := slices.IndexFunc(scan.Signatures, func(s market.ScannedSignature) bool { return s.Rule == "content-human-genetic-resources" })
	if genome < 0 || len(scan.Signatures[genome].Columns) != 1 ||
		scan.Signatures[genome].Columns[0] != (market.ValueCount{Column: "col7", Matched: 50, Values: 50}) {
		t.Fatalf("stored scan %s: want 50 of 50 values of col7 matching the genome patterns", stored)
	}
	if strings.Contains(string(stored), "ACGT") || strings.Contains(string(b), "ACGTTGCAACGT") {
		t.Fatalf("a sampled value was kept: %s", stored)
	}
}

// Shaanxi Art. 36(3): a dataset uploaded before values were scanned, or
// scanned with patterns the rule set has since changed, cannot be shown
// free of banned content: its listing goes to review under
// content-values-unscanned; scanning it again (POST /v1/datasets/{id}/scan)
// or uploading it again gives the gate its evidence.
func TestSubmit_ShaanxiArt36_3_UnscannedValuesGoToReviewUntilScannedAgain(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, false)
	data := csvOf([]string{"id", "col7"}, 30, func(r, c int) string { return []string{fmt.Sprint(r), fmt.Sprintf("HG%05d", r)}[c] })
	ds, l := w.seller.mustListingOf("clean.csv", data, "")
	if l.State != "listed" {
		t.Fatalf("a clean, scanned dataset: %s %+v, want listed", l.State, l.Decision)
	}
	// A dataset uploaded before this change has no scan.
	if _, err := w.pool.Exec(context.Background(), `UPDATE datasets SET content_scan = NULL WHERE id = $1`, ds.ID); err != nil {
		t.Fatal(err)
	}
	l = w.seller.mustListingOfDataset(ds.ID, "")
	if v := violation(l, market.RuleContentUnscanned); l.State != "under_review" || v == nil || v.Article != market.ArticleShaanxi36_3 ||
		!strings.Contains(v.Reason, "content-human-genetic-resources") {
		t.Fatalf("a dataset without a scan: %s %+v, want under_review by %s", l.State, l.Decision, market.RuleContentUnscanned)
	}

	// Scanned again on demand, the stored file is clean under the rule set in force.
	buyer := w.mustParty("咸阳买方科技", market.PartyParticipant, market.RoleBuyer)
	if st, b := buyer.do(http.MethodPost, "/v1/datasets/"+ds.ID+"/scan", nil); st != http.StatusForbidden {
		t.Errorf("a buyer scans a dataset: %d %s, want 403", st, b)
	}
	other := w.mustParty("另一家卖方", market.PartyParticipant, market.RoleSeller)
	if st, b := other.do(http.MethodPost, "/v1/datasets/"+ds.ID+"/scan", nil); st != http.StatusNotFound {
		t.Errorf("another seller scans the dataset: %d %s, want 404", st, b)
	}
	w.seller.mustDo(http.StatusOK, http.MethodPost, "/v1/datasets/"+ds.ID+"/scan", nil, nil)
	if l = w.seller.mustListingOfDataset(ds.ID, ""); l.State != "listed" {
		t.Fatalf("scanned again: %s %+v, want listed", l.State, l.Decision)
	}

	// The operator adds a genome pattern (sample IDs "HG…"): the scan of
	// the old patterns proves nothing of the new one.
	operator := w.mustParty("数交平台运营", market.PartyPlatform, market.RoleOperator)
	var rs map[string]any
	operator.mustDo(http.StatusOK, http.MethodGet, "/v1/rulesets/current", nil, &rs)
	sigs := rs["content_signatures"].([]any)
	genome := maps.Clone(sigs[0].(map[string]any))
	if genome["rule"] != "content-human-genetic-resources" {
		t.Fatalf("the first signature is %v", genome["rule"])
	}
	genome["values"] = append(genome["values"].([]any), "^HG[0-9]{5}$")
	sigs[0] = genome
	delete(rs, "version")
	operator.mustDo(http.StatusOK, http.MethodPut, "/v1/rulesets/current", rs, nil)
	l = w.seller.mustListingOfDataset(ds.ID, "")
	if v := violation(l, market.RuleContentUnscanned); l.State != "under_review" || v == nil {
		t.Fatalf("a dataset scanned before the genome patterns changed: %s %+v, want under_review", l.State, l.Decision)
	}
	// Scanned again, or uploaded again, under the new patterns, the same
	// values are what the new pattern bans.
	w.seller.mustDo(http.StatusOK, http.MethodPost, "/v1/datasets/"+ds.ID+"/scan", nil, nil)
	l = w.seller.mustListingOfDataset(ds.ID, "")
	if v := violation(l, "content-human-genetic-resources"); l.State != "blocked" || v == nil || !slices.Equal(v.Columns, []string{"col7"}) {
		t.Fatalf("scanned again under the new patterns: %s %+v, want blocked naming col7", l.State, l.Decision)
	}
	_, l = w.seller.mustListingOf("clean-again.csv", append(data, "31,x\n"...), "")
	if v := violation(l, "content-human-genetic-resources"); l.State != "blocked" || v == nil || !slices.Equal(v.Columns, []string{"col7"}) {
		t.Fatalf("uploaded again under the new patterns: %s %+v, want blocked naming col7", l.State, l.Decision)
	}
}

// Shaanxi Art. 36(3): a listing that sells a certified release is judged
// without the columns the release dropped: genome values under col7 block
// the raw dataset, not the release that dropped col7.
func TestSubmit_ShaanxiArt36_3_AReleaseThatDroppedTheGenomeColumnIsListed(t *testing.T) {
	t.Parallel()
	w := mustOrderWorld(t, true)
	synth := strings.Split(strings.TrimSuffix(string(mustSynthCSV(t, 1000, 7)), "\n"), "\n")
	for i := range synth {
		if i == 0 {
			synth[i] += ",col7"
		} else {
			synth[i] += "," + genomeSeq(i)
		}
	}
	st, b := w.seller.upload("people-seq.csv", []byte(strings.Join(synth, "\n")+"\n"))
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	mustJSONBody(t, b, &ds)
	policy := maps.Clone(synthPolicy)
	cols := maps.Clone(policy["columns"].(map[string]any))
	cols["col7"] = map[string]any{"role": "identifying", "action": "drop"}
	policy["columns"] = cols
	var job jobBody
	w.seller.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify", map[string]any{"policy": policy, "mode": "public"}, &job)
	if job = w.seller.mustJobDone(job.ID); job.Status != "succeeded" || job.Result == nil {
		t.Fatalf("job %+v, want a certified release", job)
	}
	raw := w.seller.mustListingOfDataset(ds.ID, "")
	if v := violation(raw, "content-human-genetic-resources"); raw.State != "blocked" || v == nil || !slices.Equal(v.Columns, []string{"col7"}) {
		t.Fatalf("the raw dataset: %s %+v, want blocked naming col7", raw.State, raw.Decision)
	}
	rel := w.seller.mustListingOfDataset(ds.ID, job.Result.CertificateID)
	if rel.State != "listed" {
		t.Fatalf("the release without col7: %s %+v, want listed", rel.State, rel.Decision)
	}
}

// A rescan reads the whole stored file, and may wait for a profiling slot
// first: it must not be cut off by the server's write timeout (60 s in
// serve), as an upload is not. Here the timeout is shorter than the scan
// of a 150,000-row table; before, the client got no answer at all.
func TestRescan_OutlastsTheServersWriteTimeout(t *testing.T) {
	t.Parallel()
	w := mustMarket(t, marketOptions{noRunner: true, writeTimeout: 20 * time.Millisecond})
	seller := w.mustParty("长安数据", market.PartyParticipant, market.RoleSeller)
	data := csvOf([]string{"id", "region", "note"}, 150_000, func(r, c int) string {
		return []string{fmt.Sprint(r), fmt.Sprintf("6101%02d", r%13), fmt.Sprintf("备注%d", r)}[c]
	})
	st, b := seller.upload("big.csv", data)
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	mustJSONBody(t, b, &ds)
	start := time.Now()
	if st, b := seller.do(http.MethodPost, "/v1/datasets/"+ds.ID+"/scan", nil); st != http.StatusOK {
		t.Fatalf("rescan: %d %s", st, b)
	}
	if took := time.Since(start); took < 20*time.Millisecond {
		t.Skipf("the rescan took %v, within the write timeout: the case is not made", took)
	}
}
