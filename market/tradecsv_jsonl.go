package market

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

func readTradesJSONL(r io.Reader, name string) ([]Trade, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	p := newTradeParser(name, 1024)
	cells := make([]string, numTradeColumns)
	var trades []Trade
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if len(b) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(b, &obj); err != nil {
			return nil, Invalid("", "invalid_json", "%s:%d: %s", name, line, err.Error())
		}
		for c := range cells {
			cells[c] = ""
		}
		for k, v := range obj {
			c := columnIndex(k)
			if c < 0 {
				return nil, tradeErr(name, line, k, "unknown key")
			}
			s, err := jsonCell(v)
			if err != nil {
				return nil, tradeErr(name, line, k, "%s", err.Error())
			}
			cells[c] = s
		}
		t, err := p.parse(cells, line)
		if err != nil {
			return nil, err
		}
		_, t.VersionColumn = obj["plan_version"]
		trades = append(trades, t)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	return trades, nil
}

func columnIndex(k string) int {
	for i, c := range TradeColumns {
		if c == k {
			return i
		}
	}
	return -1
}

// jsonCell turns a JSON value into the text of a CSV cell: strings as they
// are, numbers and booleans as written, null as empty.
func jsonCell(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return "", nil
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", fmt.Errorf("bad string")
		}
		return s, nil
	case v[0] == '{' || v[0] == '[':
		return "", fmt.Errorf("want a string, number or boolean")
	}
	return string(v), nil
}
