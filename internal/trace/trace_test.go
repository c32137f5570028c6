package trace_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/parquet-go/parquet-go"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// memStore keeps copy records in memory (the SQL store is tested through
// the API and the CLI).
type memStore struct{ copies []market.DeliveryCopy }

func (m *memStore) RecordCopy(_ context.Context, c market.DeliveryCopy) error {
	m.copies = append(m.copies, c)
	return nil
}

func (m *memStore) Copies(_ context.Context, listing uuid.UUID) ([]market.DeliveryCopy, error) {
	var out []market.DeliveryCopy
	for _, c := range m.copies {
		if listing == uuid.Nil || c.ListingID == listing {
			out = append(out, c)
		}
	}
	return out, nil
}

type memBlobs map[string][]byte

func (b memBlobs) Open(sum string) (io.ReadCloser, error) {
	d, ok := b[sum]
	if !ok {
		return nil, errors.New("no blob " + sum)
	}
	return io.NopCloser(bytes.NewReader(d)), nil
}

const policy = `{"columns": {"身份证号": {"role": "identifying"}, "姓名": {"role": "identifying"},
 "手机号": {"role": "identifying", "action": "pseudonymize"},
 "性别": {"role": "quasi"}, "出生日期": {"role": "quasi", "hierarchy": "date"},
 "行政区划": {"role": "quasi", "hierarchy": "division"},
 "学历": {"role": "insensitive"}, "职业": {"role": "insensitive"},
 "收入": {"role": "insensitive", "precision": "1000"}, "诊断": {"role": "sensitive"}},
 "k": 5, "l": "distinct:2", "suppression": 0.05}`

// mustWorld certifies a release of a synthetic table and delivers five
// fingerprinted copies of it; it returns the service and the copies.
func mustWorld(t *testing.T) (*trace.Service, [][]byte, []market.DeliveryCopy) {
	t.Helper()
	blobs, body, relSHA := mustRelease(t)
	store := &memStore{}
	svc := &trace.Service{Store: store, Blobs: blobs, Key: bytes.Repeat([]byte{9}, 32)}
	listing := uuid.New()
	var files [][]byte
	for range 5 {
		data, rec, err := svc.Mark(context.Background(), trace.CopySource{OrderID: uuid.New(), ListingID: listing, BuyerID: market.PartyID(uuid.New()),
			CertificateID: uuid.New(), Certificate: body, ReleaseName: "release.csv", ReleaseSHA256: relSHA})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Record(context.Background(), rec); err != nil {
			t.Fatal(err)
		}
		files = append(files, data)
	}
	return svc, files, store.copies
}

// mustRelease certifies a release of a synthetic table (1,000 rows, a
// pseudonymized phone column); it returns the blob store holding it, the
// certificate and the release's SHA-256.
func mustRelease(t *testing.T) (memBlobs, []byte, string) {
	t.Helper()
	raw := anonymizer.SynthesizeTable(1000, 3)
	pol, err := anonymizer.ParsePolicy("policy", strings.NewReader(policy))
	if err != nil {
		t.Fatal(err)
	}
	specs := map[string]string{}
	pk := anonymizer.PseudonymKey{ID: "test", Method: anonymizer.MethodHMACSM3, Secret: bytes.Repeat([]byte{5}, 32)}
	cfg := anonymizer.Config{PseudonymKey: pk.Secret, PseudonymMethod: pk.Method, PseudonymKeyID: pk.ID, Hierarchies: map[string]*anonymizer.Hierarchy{}}
	if err := pol.Apply(&cfg, specs); err != nil {
		t.Fatal(err)
	}
	for col, spec := range specs {
		if cfg.Hierarchies[col], err = anonymizer.ResolveHierarchy(raw, col, spec); err != nil {
			t.Fatal(err)
		}
	}
	res, err := anonymizer.Anonymize(context.Background(), raw, cfg)
	if err != nil {
		t.Fatal(err)
	}
	gate := anonymizer.CheckRelease(raw, res.Table, anonymizer.GateOptions{Mode: anonymizer.ModeAgreement, Policy: pol, Hierarchies: cfg.Hierarchies,
		PseudonymKeys: []anonymizer.PseudonymKey{pk}})
	var rel bytes.Buffer
	if err := anonymizer.WriteTable(&rel, res.Table, anonymizer.FormatCSV, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(rel.Bytes())
	relSHA := hex.EncodeToString(sum[:])
	cert, err := anonymizer.NewCertificate(gate, anonymizer.FileDigest{Name: "raw.csv", SHA256: strings.Repeat("0", 64)},
		anonymizer.FileDigest{Name: "release.csv", Bytes: int64(rel.Len()), SHA256: relSHA}, pol, nil, "test", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := cert.Canonical()
	return memBlobs{relSHA: rel.Bytes()}, body, relSHA
}

var regulator = market.Actor{Roles: []market.Role{market.RoleRegulator}}

// A Parquet leak — a 10 % sample of one copy's phone pseudonyms and
// incomes, renamed, incomes as integers — traces to that copy's order.
func TestTrace_AParquetSampleTracesToItsOrder(t *testing.T) {
	svc, files, recs := mustWorld(t)
	cp, _, err := anonymizer.ReadTable(bytes.NewReader(files[2]), "copy.csv", anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	type leakRow struct {
		Phone  string `parquet:"phone"`
		Income int64  `parquet:"income"`
	}
	var rows []leakRow
	for _, r := range rand.New(rand.NewPCG(1, 1)).Perm(cp.Rows())[:cp.Rows()/10] {
		income, err := strconv.ParseInt(cp.Value(r, cp.ColumnIndex("收入")), 10, 64)
		if err != nil {
			continue
		}
		rows = append(rows, leakRow{Phone: cp.Value(r, cp.ColumnIndex("手机号")), Income: income})
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[leakRow](&buf)
	if _, err := w.Write(rows); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.Trace(context.Background(), regulator, trace.Leak{Name: "leak.parquet", Data: buf.Bytes()}, uuid.Nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Verdict != "traced" || rep.Leak.Format != "parquet" || rep.Leak.Rows != len(rows) || !rep.Candidates[0].Named ||
		rep.Candidates[0].OrderID != recs[2].OrderID || rep.Candidates[0].PartyID != recs[2].BuyerID {
		t.Fatalf("report %+v: want traced to order %s", rep, recs[2].OrderID)
	}
	for _, c := range rep.Candidates[1:] {
		if c.Named {
			t.Errorf("innocent order %s named", c.OrderID)
		}
	}
	var digitsRead bool
	for _, c := range rep.Releases[0].Columns {
		digitsRead = digitsRead || (c.Release == "收入" && c.Leak == "income" && c.Marks > 0)
	}
	if !digitsRead {
		t.Errorf("the renamed integer income column was not read as 收入: %+v", rep.Releases[0].Columns)
	}
}

func TestTrace_OnlyARegulatorTraces(t *testing.T) {
	svc, files, _ := mustWorld(t)
	buyer := market.Actor{Roles: []market.Role{market.RoleBuyer}}
	if _, err := svc.Trace(context.Background(), buyer, trace.Leak{Name: "copy.csv", Data: files[0]}, uuid.Nil); !errors.Is(err, market.ErrForbidden) {
		t.Errorf("a buyer tracing: %v, want ErrForbidden", err)
	}
	rep, err := svc.Trace(context.Background(), regulator, trace.Leak{Name: "copy.csv", Data: files[0]}, uuid.New())
	if !errors.Is(err, market.ErrNotFound) {
		t.Errorf("tracing against a listing without copies: %+v, %v; want ErrNotFound", rep, err)
	}
	if _, err := svc.Trace(context.Background(), regulator, trace.Leak{Name: "x.parquet", Data: []byte("PAR1 not really")}, uuid.Nil); !errors.Is(err, market.ErrInvalid) {
		t.Errorf("a broken Parquet file: %v, want ErrInvalid", err)
	}
}
