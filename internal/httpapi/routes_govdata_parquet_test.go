package httpapi

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// readParquetTable reads a flat Parquet file back with parquet-go: its
// column names in order and its rows, a null as "", and which cells were
// null.
func readParquetTable(t *testing.T, b []byte) (cols []string, rows [][]string, nulls [][2]int) {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a readable Parquet file: %v", err)
	}
	for _, fl := range f.Schema().Fields() {
		if !fl.Leaf() || !fl.Optional() || fl.Type().Kind() != parquet.ByteArray || fl.Type().String() != "STRING" {
			t.Fatalf("column %s is %s optional=%v, want an optional UTF-8 string", fl.Name(), fl.Type(), fl.Optional())
		}
		cols = append(cols, fl.Name())
	}
	r := parquet.NewReader(bytes.NewReader(b))
	defer r.Close()
	buf := make([]parquet.Row, 16)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			vals := make([]string, len(cols))
			for _, v := range row {
				if v.IsNull() {
					nulls = append(nulls, [2]int{len(rows), v.Column()})
					continue
				}
				vals[v.Column()] = v.String()
			}
			rows = append(rows, vals)
		}
		if errors.Is(err, io.EOF) {
			return cols, rows, nulls
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestGovAPI_OpenDataAsParquet(t *testing.T) {
	t.Parallel()
	w := mustGovAPI(t)
	dept := w.govDept("市市场监督管理局", market.RoleDepartment)
	anon := &client{w: w}
	rows := [][]string{{"91610000MA0000001X", "西安甲公司", "存续"}, {"91610000MA0000002X", "西安乙公司, \"新\"", ""}, {"91610000MA0000003X", "", "注销"}}
	for _, code := range []string{"SCJ-OPEN-PQ", "SCJ-COND-PQ"} {
		class := map[bool]string{true: "unconditional", false: "conditional"}[strings.Contains(code, "OPEN")]
		// one source per datum (Shaanxi Art. 26): each resource its own items
		p := strings.ToLower(code[4:8]) + "_"
		b := govResourceBody(code, class, class)
		b["fields"] = []map[string]any{{"name": p + "reg_no", "title": "统一社会信用代码"}, {"name": p + "name", "title": "企业名称"}, {"name": p + "status", "title": "登记状态"}}
		var r govdata.Resource
		dept.mustDo(http.StatusCreated, "POST", "/v1/gov/catalog/resources", b, &r)
		dept.mustDo(http.StatusNoContent, "PUT", "/v1/gov/catalog/resources/"+code+"/data",
			map[string]any{"columns": []string{p + "reg_no", p + "name", p + "status"}, "rows": rows}, nil)
	}

	t.Run("Tianjin Art. 22: unconditionally open data downloads as Parquet without an account, the same rows as its CSV", func(t *testing.T) {
		resp, err := w.srv.Client().Get(w.srv.URL + "/v1/gov/catalog/resources/SCJ-OPEN-PQ/data.parquet")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/vnd.apache.parquet" ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), `filename="SCJ-OPEN-PQ.parquet"`) {
			t.Fatalf("%d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		cols, got, nulls := readParquetTable(t, b)
		if f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		} else if code, _ := f.Lookup("shujiao.resource"); code != "SCJ-OPEN-PQ" {
			t.Fatalf("shujiao.resource %q", code)
		} else if v, _ := f.Lookup("shujiao.version"); v != "1" {
			t.Fatalf("shujiao.version %q", v)
		}

		code, csvBody := anon.do("GET", "/v1/gov/catalog/resources/SCJ-OPEN-PQ/data.csv", nil)
		if code != http.StatusOK {
			t.Fatalf("csv %d", code)
		}
		want, err := csv.NewReader(bytes.NewReader(csvBody)).ReadAll()
		if err != nil || len(want) != 4 {
			t.Fatalf("csv %q %v", csvBody, err)
		}
		if !slices.Equal(cols, want[0]) {
			t.Fatalf("parquet columns %v, csv header %v", cols, want[0])
		}
		if !slices.EqualFunc(got, want[1:], slices.Equal) {
			t.Fatalf("parquet rows %q, csv rows %q", got, want[1:])
		}
		if !slices.Equal(nulls, [][2]int{{1, 2}, {2, 1}}) {
			t.Fatalf("null cells %v, want the two empty cells (row 1 status, row 2 name)", nulls)
		}
	})
	t.Run("Municipal Art. 26: conditionally open data is refused as Parquet exactly as its CSV is", func(t *testing.T) {
		csvCode, csvBody := anon.do("GET", "/v1/gov/catalog/resources/SCJ-COND-PQ/data.csv", nil)
		pqCode, pqBody := anon.do("GET", "/v1/gov/catalog/resources/SCJ-COND-PQ/data.parquet", nil)
		var csvP, pqP struct{ Code string }
		_ = json.Unmarshal(csvBody, &csvP)
		_ = json.Unmarshal(pqBody, &pqP)
		if pqCode != http.StatusUnauthorized || pqCode != csvCode || pqP.Code == "" || pqP.Code != csvP.Code {
			t.Fatalf("parquet %d %s, csv %d %s", pqCode, pqBody, csvCode, csvBody)
		}
	})
	t.Run("the DCAT description and CKAN package_show list the Parquet distribution", func(t *testing.T) {
		var ds map[string]any
		anon.mustDo(http.StatusOK, "GET", "/v1/gov/catalog/resources/SCJ-OPEN-PQ/dcat", nil, &ds)
		var pq map[string]any
		for _, d := range ds["dcat:distribution"].([]any) {
			if m := d.(map[string]any); m["dcat:mediaType"] == "application/vnd.apache.parquet" {
				pq = m
			}
		}
		if pq == nil || pq["dct:format"] != "PARQUET" || !strings.HasSuffix(pq["dcat:downloadURL"].(map[string]any)["@id"].(string), "/SCJ-OPEN-PQ/data.parquet") {
			t.Fatalf("DCAT distributions %v", ds["dcat:distribution"])
		}
		var show struct {
			Result struct {
				Resources []struct{ URL, Format, Mimetype string }
			}
		}
		anon.mustDo(http.StatusOK, "GET", "/api/3/action/package_show?id=scj-open-pq", nil, &show)
		i := slices.IndexFunc(show.Result.Resources, func(r struct{ URL, Format, Mimetype string }) bool { return r.Format == "PARQUET" })
		if i < 0 || show.Result.Resources[i].Mimetype != "application/vnd.apache.parquet" {
			t.Fatalf("package_show resources %+v", show.Result.Resources)
		}
		code, body := anon.do("GET", show.Result.Resources[i].URL[len(w.srv.URL):], nil)
		if code != http.StatusOK || !bytes.HasPrefix(body, []byte("PAR1")) {
			t.Fatalf("the Parquet URL of package_show does not download a Parquet file: %d", code)
		}
		var cond map[string]any
		anon.mustDo(http.StatusOK, "GET", "/v1/gov/catalog/resources/SCJ-COND-PQ/dcat", nil, &cond)
		if n := len(cond["dcat:distribution"].([]any)); n != 0 {
			t.Fatalf("a conditional resource lists %d distributions", n)
		}
	})
}
