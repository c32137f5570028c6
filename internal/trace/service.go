package trace

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/anonymizer/fingerprint"
	"github.com/shujiao/shujiao/market"
)

// Blobs opens certified releases by their SHA-256.
type Blobs interface {
	Open(sum string) (io.ReadCloser, error)
}

// KeyLabel is the label of the platform fingerprint key derived from the
// data directory's store key.
const KeyLabel = "fingerprint/v1"

// Service marks copies and traces leaks. Key is the platform fingerprint
// key (at least fingerprint.KeySize bytes). Safe for concurrent use.
type Service struct {
	Store market.CopyStore
	Blobs Blobs
	Key   []byte
	// Now is the clock (default time.Now).
	Now func() time.Time
	// releases keeps the releases last read parsed (release_cache.go).
	releases releaseCache
	// plans keeps their marking plans (plan_cache.go).
	plans planCache
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// CopySource is what an order's copy is made from: the order, its
// listing's certificate (JSON) and the certified release (a blob).
type CopySource struct {
	OrderID       uuid.UUID
	ListingID     uuid.UUID
	BuyerID       market.PartyID
	CertificateID uuid.UUID
	Certificate   []byte
	ReleaseName   string
	ReleaseSHA256 string
	// Data, when set, is what the copy is made from instead of the whole
	// release: the rows of the release the order bought, in the release's
	// format (internal/delivery chooses them).
	Data []byte
}

// Mark reads the certified release and returns the order's fingerprinted
// copy, in the release's format, with its record (to be stored with
// Record once the delivery is sealed). The copy changes only what the
// plan marks (fingerprint.Embed): the certificate's guarantees hold on it.
// It returns an error when the certificate or the release cannot be read.
func (s *Service) Mark(ctx context.Context, src CopySource) ([]byte, market.DeliveryCopy, error) {
	rel, err := s.readRelease(src.ReleaseSHA256, src.ReleaseName, src.Data)
	if err != nil {
		return nil, market.DeliveryCopy{}, fmt.Errorf("mark the copy of order %s: %w", src.OrderID, err)
	}
	release, format := rel.table, rel.format
	// the plan of a whole release is the same for all its copies (kept);
	// rows chosen from it are planned for themselves
	var mp markPlan
	if src.Data == nil {
		mp, err = s.plans.get(src.Certificate, src.ReleaseSHA256+"\x00"+src.ReleaseName, release)
	} else {
		mp, err = newMarkPlan(src.Certificate, release)
	}
	if err != nil {
		return nil, market.DeliveryCopy{}, fmt.Errorf("mark the copy of order %s: %w", src.OrderID, err)
	}
	plan := mp.plan
	key, err := fingerprint.OrderKey(s.Key, src.OrderID.String())
	if err != nil {
		return nil, market.DeliveryCopy{}, fmt.Errorf("mark the copy of order %s: %w", src.OrderID, err)
	}
	cp, stats, err := fingerprint.Embed(release, plan, key)
	if err != nil {
		return nil, market.DeliveryCopy{}, fmt.Errorf("mark the copy of order %s: %w", src.OrderID, err)
	}
	// the copy is about the release's size (marked digits keep their
	// width): one allocation instead of a buffer doubling as it fills
	var buf bytes.Buffer
	buf.Grow(int(rel.size + rel.size/16 + 4096))
	if err := anonymizer.WriteTable(&buf, cp, format, anonymizer.WriteOptions{}); err != nil {
		return nil, market.DeliveryCopy{}, fmt.Errorf("mark the copy of order %s: write: %w", src.OrderID, err)
	}
	planJSON := bytes.Clone(mp.json) // the record is the copy's own
	statsJSON, err := json.Marshal(stats)
	if err != nil {
		return nil, market.DeliveryCopy{}, err
	}
	sum := sha256.Sum256(buf.Bytes())
	rec := market.DeliveryCopy{OrderID: src.OrderID, ListingID: src.ListingID, BuyerID: src.BuyerID, CertificateID: src.CertificateID,
		ReleaseName: src.ReleaseName, ReleaseSHA256: src.ReleaseSHA256, CopySHA256: hex.EncodeToString(sum[:]),
		CopySize: int64(buf.Len()), Plan: planJSON, Stats: statsJSON, CreatedAt: s.now()}
	return buf.Bytes(), rec, nil
}

// Record stores a copy's record and its hash in the ledger.
func (s *Service) Record(ctx context.Context, rec market.DeliveryCopy) error {
	return s.Store.RecordCopy(ctx, rec)
}

// readRelease reads the certified release blob as a table, in the format
// its name says; a whole release (data nil) is read once and kept for the
// copies that follow (releaseCache), the table shared: callers only read
// it. data, when set, is read as is.
func (s *Service) readRelease(sum, name string, data []byte) (release, error) {
	if data == nil {
		return s.releases.get(sum+"\x00"+name, func() (release, error) { return s.parseRelease(sum, name, nil) })
	}
	return s.parseRelease(sum, name, data)
}

// parseRelease reads the release (sum from the blob store, or data) as a
// table.
func (s *Service) parseRelease(sum, name string, data []byte) (release, error) {
	var rc io.ReadCloser = io.NopCloser(bytes.NewReader(data))
	if data == nil {
		var err error
		if rc, err = s.openRelease(sum, name); err != nil {
			return release{}, fmt.Errorf("certified release %s: %w", sum, err)
		}
	}
	defer rc.Close()
	// a reader at random (Parquet) is read as is, its size known; a stream
	// is counted as it is read
	var in io.Reader = rc
	cr := &countingReader{r: rc}
	sized, random := rc.(interface {
		io.ReaderAt
		Size() int64
	})
	if !random {
		in = cr
	}
	t, f, err := anonymizer.ReadTable(in, name, anonymizer.ReadOptions{})
	if err != nil {
		return release{}, fmt.Errorf("certified release %s: %w", sum, err)
	}
	if f != anonymizer.FormatJSONL && f != anonymizer.FormatTSV && f != anonymizer.FormatXLSX && f != anonymizer.FormatParquet {
		f = anonymizer.FormatCSV
	}
	size := cr.n
	if random {
		size = sized.Size()
	}
	return release{table: t, format: f, size: size}, nil
}

// openRelease opens a certified release: at random when it is Parquet
// and the store can (blob.Store.OpenReader), else as a stream.
func (s *Service) openRelease(sum, name string) (io.ReadCloser, error) {
	if r, ok := s.Blobs.(interface {
		OpenReader(sum string, random bool) (io.ReadCloser, error)
	}); ok {
		return r.OpenReader(sum, anonymizer.FormatFromPath(name) == anonymizer.FormatParquet)
	}
	return s.Blobs.Open(sum)
}
