package trace_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/shujiao/shujiao/internal/trace"
	"github.com/shujiao/shujiao/market"
)

// The marking plan kept for a release is its certificate's: a copy marked
// after others records the plan a service making it alone records, and
// another certificate over the same release is read for itself (a
// certificate that does not parse is refused, not served the plan kept).
func TestMark_APlanKeptIsTheCertificatesOwn(t *testing.T) {
	blobs, body, relSHA := mustRelease(t)
	key := bytes.Repeat([]byte{9}, 32)
	svc := &trace.Service{Store: &memStore{}, Blobs: blobs, Key: key}
	src := func(cert []byte) trace.CopySource {
		return trace.CopySource{OrderID: uuid.New(), ListingID: uuid.New(), BuyerID: market.PartyID(uuid.New()),
			CertificateID: uuid.New(), Certificate: cert, ReleaseName: "release.csv", ReleaseSHA256: relSHA}
	}
	var recs []market.DeliveryCopy
	for range 3 {
		_, rec, err := svc.Mark(context.Background(), src(body))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	alone := &trace.Service{Store: &memStore{}, Blobs: blobs, Key: key}
	_, want, err := alone.Mark(context.Background(), src(body))
	if err != nil {
		t.Fatal(err)
	}
	for i, rec := range recs {
		if !bytes.Equal(rec.Plan, want.Plan) {
			t.Errorf("copy %d records plan %s, a service marking it alone %s", i, rec.Plan, want.Plan)
		}
	}
	recs[0].Plan[0] = 'X' // a record's plan is its own: changing it changes no other
	if bytes.Equal(recs[0].Plan, recs[1].Plan) {
		t.Error("two copies' records share their plan's bytes")
	}
	trimmed := bytes.TrimSpace(body)
	bad := append(bytes.Clone(trimmed[:len(trimmed)-1]), []byte(`,"unknown":1}`)...)
	if _, _, err := svc.Mark(context.Background(), src(bad)); err == nil {
		t.Error("a certificate with an unknown field was served the plan kept for the release")
	}
}
