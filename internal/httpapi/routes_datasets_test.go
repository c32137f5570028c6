package httpapi

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shujiao/shujiao/market"
)

// mustNothingStored fails unless no dataset row and no blob file exist.
func (w *mkt) mustNothingStored() {
	w.t.Helper()
	if n := w.count(`SELECT 1 FROM datasets`); n != 0 {
		w.t.Errorf("%d dataset rows left behind", n)
	}
	var files []string
	filepath.WalkDir(filepath.Join(w.dataDir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 0 {
		w.t.Errorf("files left behind: %v", files)
	}
}

func TestUpload_DetectionProposesRolesAndTheFileIsEncryptedAtRest(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	csv := mustSynthCSV(t, 300, 3)
	st, b := seller.upload("people.csv", csv)
	if st != http.StatusCreated {
		t.Fatalf("upload: %d %s", st, b)
	}
	var ds struct {
		ID, SHA256, Format string
		Rows               int
		Detection          struct {
			Columns []struct {
				Name         string `json:"name"`
				ProposedRole string `json:"proposed_role"`
			} `json:"columns"`
		} `json:"detection"`
	}
	mustJSONBody(t, b, &ds)
	if ds.Rows != 300 || ds.Format != "csv" {
		t.Errorf("rows %d format %s, want 300 csv", ds.Rows, ds.Format)
	}
	roles := map[string]string{}
	for _, c := range ds.Detection.Columns {
		roles[c.Name] = c.ProposedRole
	}
	if roles["身份证号"] != "identifying" || roles["手机号"] != "identifying" {
		t.Errorf("proposed roles %v: resident ID and mobile columns must be proposed identifying", roles)
	}
	path := filepath.Join(w.dataDir, "blobs", ds.SHA256[:2], ds.SHA256[2:4], ds.SHA256)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the content-addressed file is not at %s: %v", path, err)
	}
	if bytes.Contains(raw, csv[:200]) || bytes.Contains(raw, []byte("身份证号")) {
		t.Error("the stored file holds plaintext")
	}
}

func TestUpload_TooBigIs413AndLeavesNothing(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true, maxUpload: 4096})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	st, b := seller.upload("big.csv", mustSynthCSV(t, 500, 1))
	if p := mustAPIProblem(t, b); st != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d %+v, want 413", st, p)
	}
	t.Run("also when the body does not announce its length", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "big.csv")
		fw.Write(mustSynthCSV(t, 500, 2))
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/v1/datasets", io.MultiReader(&buf))
		req.ContentLength = -1
		req.Header.Set("Content-Type", mw.FormDataContentType())
		st, b := seller.send(req)
		if p := mustAPIProblem(t, b); st != http.StatusRequestEntityTooLarge || p.Code != "upload_too_large" {
			t.Errorf("status %d %+v, want 413 upload_too_large", st, p)
		}
	})
	w.mustNothingStored()
}

// cutReader yields data and then fails, like a client that went away.
type cutReader struct {
	r *bytes.Reader
}

func (c *cutReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF {
		return n, io.ErrUnexpectedEOF
	}
	return n, err
}

func TestUpload_InterruptedOrUnreadableLeavesNothing(t *testing.T) {
	w := mustMarket(t, marketOptions{noRunner: true})
	seller := w.mustParty("陕西数源科技", market.PartyParticipant, market.RoleSeller)
	t.Run("a connection cut in the middle of the file", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", "people.csv")
		fw.Write(mustSynthCSV(t, 3000, 4))
		mw.Close()
		whole := buf.Bytes()
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/v1/datasets", &cutReader{bytes.NewReader(whole[:len(whole)/2])})
		req.ContentLength = int64(len(whole))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+seller.token)
		if resp, err := w.srv.Client().Do(req); err == nil {
			resp.Body.Close()
		}
	})
	t.Run("a file that is not a table is refused naming where", func(t *testing.T) {
		st, b := seller.upload("ragged.csv", []byte("a,b,c\n1,2,3\n4,5\n"))
		p := mustAPIProblem(t, b)
		if st != http.StatusBadRequest || p.Code != "unreadable_table" || !strings.Contains(p.Detail, "line 3") {
			t.Errorf("status %d %+v, want 400 unreadable_table naming line 3", st, p)
		}
	})
	t.Run("a form without a file part", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("note", "no file")
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/v1/datasets", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		if st, b := seller.send(req); st != http.StatusBadRequest || mustAPIProblem(t, b).Code != "missing_file" {
			t.Errorf("status %d %s, want 400 missing_file", st, b)
		}
	})
	// the server finishes the cut request in the background
	time.Sleep(300 * time.Millisecond)
	w.waitFor(func() bool {
		entries, _ := os.ReadDir(filepath.Join(w.dataDir, "blobs", "tmp"))
		return len(entries) == 0
	})
	w.mustNothingStored()
}
