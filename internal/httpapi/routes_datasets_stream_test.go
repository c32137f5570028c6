package httpapi

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

func TestUpload_ParquetIsADatasetWhoseReleaseIsParquetAndMatchesTheCSVRelease(t *testing.T) {
	w := mustMarket(t, marketOptions{})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	csvData := mustSynthCSV(t, 1500, 7)
	table, _, err := anonymizer.ReadTable(bytes.NewReader(csvData), "people.csv", anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var pq bytes.Buffer
	if err := anonymizer.WriteTable(&pq, table, anonymizer.FormatParquet, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	release := func(name string, data []byte) (string, []byte) {
		st, b := seller.upload(name, data)
		if st != http.StatusCreated {
			t.Fatalf("upload %s: %d %s", name, st, b)
		}
		var ds struct {
			ID, Format string
			Rows       int
		}
		mustJSONBody(t, b, &ds)
		if ds.Rows != 1500 {
			t.Errorf("%s: rows %d, want 1500", name, ds.Rows)
		}
		var job jobBody
		seller.mustDo(http.StatusAccepted, http.MethodPost, "/v1/datasets/"+ds.ID+"/deidentify",
			map[string]any{"policy": synthPolicy, "mode": "public"}, &job)
		job = seller.mustJobDone(job.ID)
		if job.Status != "succeeded" || job.Result == nil {
			t.Fatalf("%s: job %s: %s %s", name, job.Status, job.Error, job.Gate)
		}
		req, _ := http.NewRequest(http.MethodGet, w.srv.URL+"/v1/artifacts/"+job.Result.ArtifactID+"/file", nil)
		st, file := seller.send(req)
		if st != http.StatusOK {
			t.Fatalf("%s: release file: %d", name, st)
		}
		return ds.Format, file
	}
	fCSV, relCSV := release("people.csv", csvData)
	fPQ, relPQ := release("people.parquet", pq.Bytes())
	if fCSV != "csv" || fPQ != "parquet" {
		t.Errorf("formats %q and %q, want csv and parquet", fCSV, fPQ)
	}
	if !bytes.HasPrefix(relPQ, []byte("PAR1")) {
		t.Fatal("the release of a Parquet dataset is not Parquet")
	}
	got, _, err := anonymizer.ReadTable(bytes.NewReader(relPQ), "people.deid.parquet", anonymizer.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var asCSV bytes.Buffer
	if err := anonymizer.WriteTable(&asCSV, got, anonymizer.FormatCSV, anonymizer.WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(asCSV.Bytes(), relCSV) {
		t.Error("the Parquet release does not hold the CSV release's rows")
	}
}

func TestUpload_ACorruptParquetFileIs400UnreadableTableAndLeavesNothing(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	st, b := seller.upload("broken.parquet", []byte("PAR1\x00\x01garbage that is not a footerPAR1"))
	if p := mustAPIProblem(t, b); st != http.StatusBadRequest || p.Code != "unreadable_table" {
		t.Errorf("status %d %+v, want 400 unreadable_table", st, p)
	}
	w.mustNothingStored()
}

func TestUpload_AClientThatDisconnectsMidUploadLeavesNoDatasetAndNoFile(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, w.srv.URL+"/v1/datasets", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+seller.token)
	wrote := make(chan struct{})
	go func() {
		fw, _ := mw.CreateFormFile("file", "people.csv")
		fw.Write(mustSynthCSV(t, 20_000, 4)) // about 2 MB, and then the client goes away
		close(wrote)
		<-ctx.Done()
		pw.CloseWithError(ctx.Err())
	}()
	done := make(chan error, 1)
	go func() {
		resp, err := w.srv.Client().Do(req)
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	<-wrote
	// the server is storing the part: a temporary blob exists
	w.waitFor(func() bool {
		entries, _ := os.ReadDir(filepath.Join(w.dataDir, "blobs", "tmp"))
		return len(entries) > 0
	})
	cancel()
	if err := <-done; err == nil {
		t.Fatal("the request completed although the client went away")
	}
	w.waitFor(func() bool {
		entries, _ := os.ReadDir(filepath.Join(w.dataDir, "blobs", "tmp"))
		return len(entries) == 0
	})
	time.Sleep(100 * time.Millisecond)
	w.mustNothingStored()
}
