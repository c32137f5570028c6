package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// mustSynthCSV returns a synthetic population table as CSV.
func mustSynthCSV(tb testing.TB, rows int, seed int64) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := anonymizer.Synthesize(&buf, rows, seed, anonymizer.FormatCSV); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// synthPolicy de-identifies the synthetic population table for public
// release: identifiers dropped, birth date and division generalized, k = 20.
var synthPolicy = map[string]any{
	"columns": map[string]any{
		"身份证号": map[string]any{"role": "identifying", "action": "drop"},
		"姓名":   map[string]any{"role": "identifying", "action": "drop"},
		"手机号":  map[string]any{"role": "identifying", "action": "drop"},
		"出生日期": map[string]any{"role": "quasi", "hierarchy": "date"},
		"性别":   map[string]any{"role": "quasi"},
		"行政区划": map[string]any{"role": "quasi", "hierarchy": "division"},
		"职业":   map[string]any{"role": "insensitive"},
		"学历":   map[string]any{"role": "insensitive"},
		"收入":   map[string]any{"role": "insensitive"},
		"诊断":   map[string]any{"role": "sensitive"},
	},
	"k": 20, "l": "distinct:2", "suppression": 0.05,
}

// ownDataDeclaration is a listing declaration of the seller's own data
// with nothing the gate objects to.
func ownDataDeclaration(title string) map[string]any {
	return map[string]any{
		"title": title, "description": "城市居民出行与健康统计 urban mobility and health statistics",
		"category": "transport", "product_type": "dataset",
		"contains_personal_info": false, "contains_sensitive_personal_info": false, "contains_minors_data": false,
		"classification": "general", "security_assessment_ref": nil, "export_intended": false, "state_secret": false,
		"sources": []any{map[string]any{"origin": "self_collected", "own_data": true, "disclosure": "non_public",
			"authorization": nil, "government": nil, "collection": map[string]any{"basis": "contract", "reference": "出行服务合同 2026", "notice_ref": "个人信息处理规则 v3"}}},
		"price": "12000.00",
	}
}

type datasetBody struct {
	ID        string          `json:"id"`
	SHA256    string          `json:"sha256"`
	Rows      int64           `json:"rows"`
	Columns   []string        `json:"columns"`
	Detection json.RawMessage `json:"detection"`
}

type jobBody struct {
	ID       string          `json:"id"`
	Status   string          `json:"status"`
	Stage    string          `json:"stage"`
	Progress float64         `json:"progress"`
	Attempts int             `json:"attempts"`
	Error    string          `json:"error"`
	Gate     json.RawMessage `json:"gate"`
	Result   *struct {
		ArtifactID    string `json:"artifact_id"`
		CertificateID string `json:"certificate_id"`
	} `json:"result"`
}

type listingBody struct {
	ID             string          `json:"id"`
	State          string          `json:"state"`
	Price          *string         `json:"price"`
	RuleSetVersion *int            `json:"ruleset_version"`
	Declaration    json.RawMessage `json:"declaration"`
	Decision       *struct {
		Decision       string             `json:"decision"`
		RuleSetVersion int                `json:"ruleset_version"`
		Violations     []market.Violation `json:"violations"`
	} `json:"decision"`
	Transitions []struct {
		From        string  `json:"from"`
		To          string  `json:"to"`
		Action      string  `json:"action"`
		Role        string  `json:"role"`
		ActorUserID *string `json:"actor_user_id"`
		Reason      string  `json:"reason"`
	} `json:"transitions"`
}

// mustJobDone polls job id until it leaves queued/running.
func (c *client) mustJobDone(id string) jobBody {
	c.w.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var j jobBody
		c.mustDo(http.StatusOK, http.MethodGet, "/v1/jobs/"+id, nil, &j)
		if j.Status != "queued" && j.Status != "running" {
			return j
		}
		if time.Now().After(deadline) {
			c.w.t.Fatalf("job %s still %s (stage %s, %.2f) after 60 s", id, j.Status, j.Stage, j.Progress)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mustCertifiedDataset uploads a synthetic table and de-identifies it
// through the API; it returns the dataset and the finished job.
func (c *client) mustCertifiedDataset(rows int) (datasetBody, jobBody) {
	c.w.t.Helper()
	st, b := c.upload("people.csv", mustSynthCSV(c.w.t, rows, 7))
	if st != http.StatusCreated {
		c.w.t.Fatalf("upload: %d %s", st, b)
	}
	var ds datasetBody
	json.Unmarshal(b, &ds)
	var job jobBody
	c.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify",
		map[string]any{"policy": synthPolicy, "mode": "public"}, &job)
	return ds, c.mustJobDone(job.ID)
}

func TestListings_SellerGoesFromRawCSVToListedProductThroughTheAPI(t *testing.T) {
	w := mustMarket(t, marketOptions{})
	seller := w.mustParty("西安交通数据有限公司", market.PartyParticipant, market.RoleSeller)
	buyer := w.mustParty("北京买方科技", market.PartyParticipant, market.RoleBuyer)

	ds, job := seller.mustCertifiedDataset(2000)
	if ds.Rows != 2000 || len(ds.Columns) != len(anonymizer.SynthHeader) || len(ds.Detection) == 0 {
		t.Fatalf("dataset %+v: want 2000 rows, the synthetic columns and a detection report", ds)
	}
	if job.Status != "succeeded" || job.Result == nil || job.Result.CertificateID == "" || job.Progress != 1 {
		t.Fatalf("job %+v: want succeeded with a certificate (gate: %s)", job, job.Gate)
	}

	var cert struct {
		Level       string          `json:"level"`
		Passed      bool            `json:"passed"`
		Certificate json.RawMessage `json:"certificate"`
		Signature   string          `json:"signature"`
	}
	seller.mustDo(http.StatusOK, http.MethodGet, "/v1/certificates/"+job.Result.CertificateID, nil, &cert)
	if !cert.Passed || market.LevelRank(cert.Level) < 3 {
		t.Fatalf("certificate passed=%v level=%s: want a passed certificate at L3 or better", cert.Passed, cert.Level)
	}
	st, body := seller.do(http.MethodGet, "/v1/certificates/"+job.Result.CertificateID+"/body", nil)
	if st != http.StatusOK {
		t.Fatalf("certificate body: %d", st)
	}
	if err := w.key.VerifyBytes(body, []byte(cert.Signature)); err != nil {
		t.Fatalf("the certificate's signature does not verify with the platform key: %v", err)
	}
	doc, err := anonymizer.ParseCertificate(body)
	if err != nil {
		t.Fatalf("the certificate body is not a certificate: %v", err)
	}
	var releaseSHA string
	if err := w.pool.QueryRow(context.Background(), `SELECT sha256 FROM artifacts WHERE id = $1`, job.Result.ArtifactID).Scan(&releaseSHA); err != nil {
		t.Fatal(err)
	}
	rc, err := w.blobs.Open(releaseSHA)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if err := doc.CheckRelease(rc); err != nil || doc.Raw.SHA256 != ds.SHA256 {
		t.Errorf("the certificate must name the stored release and raw file: %v (raw %s, want %s)", err, doc.Raw.SHA256, ds.SHA256)
	}

	decl := ownDataDeclaration("西安市民出行健康数据集 2026")
	decl["contains_personal_info"] = true
	decl["contains_sensitive_personal_info"] = true
	decl["dataset_id"] = ds.ID
	decl["certificate_id"] = job.Result.CertificateID
	var l listingBody
	seller.mustDo(http.StatusCreated, http.MethodPost, "/v1/listings", decl, &l)
	if l.State != "draft" || l.Price == nil || *l.Price != "12000.00" {
		t.Fatalf("new listing state %s price %v: want a draft at 12000.00", l.State, l.Price)
	}
	seller.mustDo(http.StatusOK, http.MethodPost, "/v1/listings/"+l.ID+"/submit", nil, &l)
	if l.State != "listed" || l.Decision == nil || l.Decision.Decision != "listable" {
		t.Fatalf("submitted listing: state %s decision %+v, want listed", l.State, l.Decision)
	}
	if v := market.DefaultRuleSet().Version; l.RuleSetVersion == nil || *l.RuleSetVersion != v || l.Decision.RuleSetVersion != v {
		t.Errorf("the decision must record the rule-set version it used (the shipped %d), got %v", v, l.RuleSetVersion)
	}
	if got := len(l.Transitions); got != 2 || l.Transitions[0].To != "submitted" || l.Transitions[1].Role != "gate" {
		t.Errorf("transitions %+v: want draft→submitted by the seller, submitted→listed by the gate", l.Transitions)
	}
	if n := w.count(`SELECT 1 FROM ledger_entries WHERE subject_id = $1`, l.ID); n != 3 {
		t.Errorf("ledger entries of the listing = %d, want 3 (created, submitted, listed)", n)
	}

	var page struct {
		Items []struct {
			ID               string          `json:"id"`
			CertificateLevel *string         `json:"certificate_level"`
			Deidentification json.RawMessage `json:"deidentification"`
			Price            string          `json:"price"`
		} `json:"items"`
		Total int `json:"total"`
	}
	for _, q := range []string{"出行", "健康数据", "MOBILITY", "mobilty health"} {
		buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/catalog?q="+url.QueryEscape(q), nil, &page)
		if page.Total != 1 || page.Items[0].ID != l.ID {
			t.Fatalf("catalog q=%q: %d hits, want the listed product", q, page.Total)
		}
	}
	e := page.Items[0]
	if e.CertificateLevel == nil || *e.CertificateLevel != cert.Level {
		t.Errorf("catalog entry level %v, want %s", e.CertificateLevel, cert.Level)
	}
	var summary struct {
		RowsIn int    `json:"rows_in"`
		K      int    `json:"k"`
		Level  string `json:"level"`
	}
	if err := json.Unmarshal(e.Deidentification, &summary); err != nil || summary.RowsIn != 2000 || summary.K != 20 {
		t.Errorf("catalog entry de-identification summary %s: want rows_in 2000 and k 20", e.Deidentification)
	}
	buyer.mustDo(http.StatusOK, http.MethodGet, "/v1/certificates/"+job.Result.CertificateID, nil, nil)

	var stored []byte
	if err := w.pool.QueryRow(context.Background(), `SELECT sha256 FROM datasets WHERE id = $1`, ds.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if !strings.EqualFold(string(stored), ds.SHA256) {
		t.Errorf("stored sha256 %s, want %s", stored, ds.SHA256)
	}
}
