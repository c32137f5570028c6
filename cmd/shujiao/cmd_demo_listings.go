package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// demoPolicy de-identifies the synthetic population table for public
// release (identifiers dropped, birth date and division generalized, k = 20).
const demoPolicy = `{"columns": {
  "身份证号": {"role": "identifying", "action": "drop"}, "姓名": {"role": "identifying", "action": "drop"},
  "手机号": {"role": "identifying", "action": "drop"}, "出生日期": {"role": "quasi", "hierarchy": "date"},
  "性别": {"role": "quasi"}, "行政区划": {"role": "quasi", "hierarchy": "division"},
  "职业": {"role": "insensitive"}, "学历": {"role": "insensitive"}, "收入": {"role": "insensitive", "precision": "1000"},
  "诊断": {"role": "sensitive"}}, "k": 20, "l": "distinct:2", "suppression": 0.05}`

// seedListings gives the demo a catalog: seller A de-identifies a
// synthetic population table and lists it with its certificate, and lists
// open government weather data; seller B lists licensed transit data and
// has one product blocked by the Art. 36 gate (an expired authorization).
// It does nothing when seller A already has listings.
func seedListings(ctx context.Context, w *demoWorld) error {
	a, b := w.accounts["seller-a"], w.accounts["seller-b"]
	store := market.NewListings(postgres.NewListingStore(w.pool, w.key.Public()))
	if have, err := store.List(ctx, a.Actor, market.ListingFilter{Limit: 1}); err != nil || len(have) > 0 {
		return err
	}
	certID, dsID, err := seedCertifiedDataset(ctx, w, a)
	if err != nil {
		return err
	}
	until := w.now.AddDate(1, 0, 0).Format(time.DateOnly)
	from := w.now.AddDate(-1, 0, 0).Format(time.DateOnly)
	products := []struct {
		seller *demoAccount
		json   string
		price  string
	}{
		{a, `{"title": "西安市民出行与健康画像 2026（去标识化）", "description": "按年份与地市泛化的居民出行与诊断统计，k=20 匿名。Resident mobility and health profile, de-identified (k = 20).",
		  "category": "transport", "product_type": "dataset", "dataset_id": "` + dsID + `", "certificate_id": "` + certID + `",
		  "contains_personal_info": true, "contains_sensitive_personal_info": true, "contains_minors_data": false,
		  "personal_info_subjects": 120000, "sensitive_personal_info_subjects": 3000,
		  "classification": "general", "security_assessment_ref": null, "export_intended": false, "state_secret": false,
		  "sources": [{"origin": "self_collected", "own_data": true, "disclosure": "non_public", "authorization": null, "government": null,
		    "collection": {"basis": "consent_record", "reference": "出行健康服务用户同意记录 2026", "notice_ref": "个人信息处理规则 v3（2026-01-01）"}}]}`, "12000.00"},
		{a, `{"title": "陕西省逐日气象观测数据", "description": "气温、降水、风速逐日观测。Daily weather observations for Shaanxi.",
		  "category": "weather", "product_type": "dataset", "contains_personal_info": false, "contains_sensitive_personal_info": false,
		  "contains_minors_data": false, "classification": "general", "security_assessment_ref": null, "export_intended": false,
		  "state_secret": false, "sources": [{"origin": "government_open", "own_data": false, "disclosure": "public", "authorization": null,
		  "government": {"catalog_id": "SN-QX-2026-001", "open_class": "unconditional", "shared_for_duty": false, "approval_ref": null}}]}`, "800.00"},
		{b, `{"title": "天津地铁客流 OD 数据 API", "description": "分时段站间客流。Metro origin-destination ridership by hour.",
		  "category": "transport", "product_type": "api", "contains_personal_info": false, "contains_sensitive_personal_info": false,
		  "contains_minors_data": false, "classification": "general", "security_assessment_ref": null, "export_intended": false,
		  "state_secret": false, "sources": [{"origin": "contract_licensed", "own_data": false, "disclosure": "non_public",
		  "authorization": {"grantor": "天津轨道交通集团", "document_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		  "scope": ["trading", "commercial_use"], "valid_from": "` + from + `", "valid_to": "` + until + `"}, "government": null}]}`, "30000.00"},
		{b, `{"title": "` + demoImportantTitle + `", "description": "关中电网分区小时负荷曲线，列入重要数据目录，已通过安全评估。Hourly grid load of Guanzhong, important data, assessed.",
		  "category": "energy", "product_type": "dataset", "contains_personal_info": false, "contains_sensitive_personal_info": false,
		  "contains_minors_data": false, "classification": "important", "security_assessment_ref": "陕网信评〔2026〕008号", "export_intended": false,
		  "state_secret": false, "sources": [{"origin": "self_collected", "own_data": true, "disclosure": "non_public", "authorization": null, "government": null,
		    "collection": {"basis": "statutory_duty", "reference": "电力调度运行记录（电力法第二十一条）"}}]}`, "20000.00"},
		{b, `{"title": "滨海新区企业用电数据", "description": "授权已过期的示例产品。An example blocked for an expired authorization.",
		  "category": "energy", "product_type": "dataset", "contains_personal_info": false, "contains_sensitive_personal_info": false,
		  "contains_minors_data": false, "classification": "general", "security_assessment_ref": null, "export_intended": false,
		  "state_secret": false, "sources": [{"origin": "contract_licensed", "own_data": false, "disclosure": "non_public",
		  "authorization": {"grantor": "国网天津电力", "document_sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
		  "scope": ["trading"], "valid_from": "2024-01-01", "valid_to": "2025-06-30"}, "government": null}]}`, "5000.00"},
	}
	for _, p := range products {
		decl, err := market.ParseListing([]byte(p.json))
		if err != nil {
			return err
		}
		price := market.MustMoney(p.price)
		l, err := store.Create(ctx, p.seller.Actor, market.ListingInput{Declaration: decl, Price: &price}, w.now)
		if err != nil {
			return err
		}
		if _, err := store.Submit(ctx, p.seller.Actor, l.ID, "demo", w.now); err != nil {
			return err
		}
	}
	return nil
}

// seedCertifiedDataset uploads a synthetic table for seller and waits for
// the running de-identification runner to certify it; it returns the
// certificate and dataset IDs.
func seedCertifiedDataset(ctx context.Context, w *demoWorld, seller *demoAccount) (string, string, error) {
	var csv bytes.Buffer
	if err := anonymizer.Synthesize(&csv, 2000, 2026, anonymizer.FormatCSV); err != nil {
		return "", "", err
	}
	ref, err := w.listings.blobs.Put(&csv)
	if err != nil {
		return "", "", err
	}
	info, err := jobs.Inspect(ctx, w.listings.blobs, ref.SHA256, "xian-residents.csv")
	if err != nil {
		return "", "", err
	}
	ds := &market.Dataset{ID: market.NewID(), PartyID: seller.Actor.PartyID, UploadedBy: seller.Actor.UserID,
		Name: "xian-residents.csv", Format: string(info.Format), SHA256: ref.SHA256, SizeBytes: ref.Size,
		Rows: info.Rows, Columns: info.Columns, Detection: info.Detection, CreatedAt: w.now}
	rs, err := postgres.NewRuleSetStore(w.pool).CurrentRuleSet(ctx)
	if err != nil {
		return "", "", err
	}
	ds.ContentScan = info.ScanContent(rs) // Shaanxi Art. 36(3): the values, scanned as an upload does
	if err := postgres.NewDatasetStore(w.pool).CreateDataset(ctx, ds); err != nil {
		return "", "", err
	}
	jobStore := postgres.NewJobStore(w.pool)
	job := &market.Job{ID: market.NewID(), PartyID: ds.PartyID, DatasetID: ds.ID, CreatedBy: seller.Actor.UserID,
		Policy: json.RawMessage(demoPolicy), Mode: market.ModePublic, CreatedAt: w.now}
	if err := w.jobs.QueueJob(ctx, job); err != nil {
		return "", "", err
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		j, err := jobStore.Job(ctx, job.ID)
		if err != nil {
			return "", "", err
		}
		switch {
		case j.Status == market.JobSucceeded:
			return j.CertificateID.String(), ds.ID.String(), nil
		case j.Status.Terminal():
			return "", "", fmt.Errorf("de-identification job %s %s: %s %s", j.ID, j.Status, j.Error, j.Gate)
		case time.Now().After(deadline):
			return "", "", fmt.Errorf("de-identification job %s still %s after 3 minutes", j.ID, j.Status)
		}
		select {
		case <-ctx.Done():
			return "", "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
