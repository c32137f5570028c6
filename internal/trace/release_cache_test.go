package trace_test

import (
	"bytes"
	"context"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// countingBlobs counts the releases opened.
type countingBlobs struct {
	inner trace.Blobs
	opens atomic.Int32
}

func (b *countingBlobs) Open(sum string) (io.ReadCloser, error) {
	b.opens.Add(1)
	return b.inner.Open(sum)
}

// The copies of one release, marked at the same time by the four sealing
// workers, read the release once between them; each copy is the one a
// service reading the release for it alone makes, so sharing the parsed
// release changes no delivered byte.
func TestMark_CopiesOfOneReleaseReadItOnceAndAreTheSameAsIfReadAlone(t *testing.T) {
	blobs, body, relSHA := mustRelease(t)
	key := bytes.Repeat([]byte{9}, 32)
	shared := &countingBlobs{inner: blobs}
	svc := &trace.Service{Store: &memStore{}, Blobs: shared, Key: key}
	sources := make([]trace.CopySource, 8)
	for i := range sources {
		sources[i] = trace.CopySource{OrderID: uuid.New(), ListingID: uuid.New(), BuyerID: market.PartyID(uuid.New()),
			CertificateID: uuid.New(), Certificate: body, ReleaseName: "release.csv", ReleaseSHA256: relSHA}
	}
	got := make([][]byte, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			data, _, err := svc.Mark(context.Background(), src)
			if err != nil {
				t.Error(err)
			}
			got[i] = data
		})
	}
	wg.Wait()
	if n := shared.opens.Load(); n != 1 {
		t.Errorf("the release was opened %d times for %d copies, want once", n, len(sources))
	}
	for i, src := range sources {
		alone := &trace.Service{Store: &memStore{}, Blobs: blobs, Key: key}
		want, _, err := alone.Mark(context.Background(), src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[i], want) {
			t.Errorf("copy %d differs from the copy made from the release read for it alone", i)
		}
	}
	if bytes.Equal(got[0], got[1]) {
		t.Error("two orders' copies are the same: each must carry its own marks")
	}
}
