package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/market"
)

// Limits on numbers in a request: a decimal with an exponent beyond
// ±maxExponent or more than maxDigits digits is no amount, quantity or
// count anyone trades, and would cost the server memory to expand.
const (
	maxExponent = 30
	maxDigits   = 40
)

// guardInput refuses, before any handler sees it, input no field may hold:
// a NUL character or invalid UTF-8 in the path, in a query parameter's name
// or value, in a form field or in any JSON string of the body (key or
// value), and JSON numbers (or numeric strings) too large to be amounts.
// The answer is 400 with code invalid_text or number_out_of_range and the
// field named, in our own words. Multipart bodies (uploads) pass: their
// files are binary.
func (s *Server) guardInput(c *gin.Context) {
	if err := checkRequest(c.Request); err != nil {
		s.fail(c, err)
		return
	}
	c.Next()
}

func checkRequest(r *http.Request) error {
	if !plainText(r.URL.Path) {
		return badText("path")
	}
	if !utf8.ValidString(r.URL.RawQuery) || strings.Contains(r.URL.RawQuery, "\x00") {
		return badText("query")
	}
	query, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return market.Invalid("query", "invalid_query", "the query string is not well formed")
	}
	if err := checkValues(query); err != nil {
		return err
	}
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isJSON := mt == "application/json" || strings.HasSuffix(mt, "+json")
	isForm := mt == "application/x-www-form-urlencoded"
	if !isJSON && !isForm {
		return nil
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return bodyReadError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if isForm {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil // the handler says what is wrong with it
		}
		return checkValues(form)
	}
	if jsonPlainlyClean(body) {
		return nil
	}
	return checkJSON(body)
}

func checkValues(vs url.Values) error {
	for k, list := range vs {
		if !plainText(k) {
			return badText("query")
		}
		for _, v := range list {
			if !plainText(v) {
				return badText(k)
			}
		}
	}
	return nil
}

// checkJSON walks every token of body; malformed JSON is left for the
// decoder to describe.
func checkJSON(body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var path []string // the field of each open container's current value
	var inObject []bool
	expectKey := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) || err != nil {
			return nil
		}
		field := joinPath(path)
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				path = append(path, "")
				inObject = append(inObject, t == '{')
				expectKey = t == '{'
			case '}', ']':
				path, inObject = path[:len(path)-1], inObject[:len(inObject)-1]
				expectKey = len(inObject) > 0 && inObject[len(inObject)-1]
			}
			continue
		case string:
			if expectKey {
				if !plainText(t) {
					return badText(joinPath(path[:len(path)-1]))
				}
				path[len(path)-1] = t
				expectKey = false
				continue
			}
			if !plainText(t) {
				return badText(field)
			}
			if looksNumeric(t) && !tameNumber(t) {
				return badNumber(field)
			}
		case json.Number:
			if !tameNumber(string(t)) {
				return badNumber(field)
			}
		}
		if len(inObject) > 0 && inObject[len(inObject)-1] {
			expectKey = true
		}
	}
}

// plainText reports whether s is valid UTF-8 without NUL characters.
func plainText(s string) bool { return utf8.ValidString(s) && !strings.Contains(s, "\x00") }

var numeric = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

func looksNumeric(s string) bool { return len(s) <= 400 && numeric.MatchString(strings.TrimSpace(s)) }

// tameNumber reports whether a decimal text has at most maxDigits digits
// and an exponent within ±maxExponent.
func tameNumber(s string) bool {
	s = strings.TrimSpace(s)
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		e, err := strconv.Atoi(exp)
		if err != nil || e > maxExponent || e < -maxExponent {
			return false
		}
	}
	digits := 0
	for _, r := range mant {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits <= maxDigits
}

func badText(field string) error {
	if field == "" {
		field = "body"
	}
	return market.Invalid(field, "invalid_text", "%s holds a NUL character or invalid UTF-8, which no text field may hold", field)
}

func badNumber(field string) error {
	if field == "" {
		field = "body"
	}
	return market.Invalid(field, "number_out_of_range",
		fmt.Sprintf("%%s is too large a number (at most %d digits, exponents within ±%d)", maxDigits, maxExponent), field)
}

// joinPath names a JSON value by its keys: "conditions.volume" (array
// positions are left out).
func joinPath(path []string) string {
	var keys []string
	for _, k := range path {
		if k != "" {
			keys = append(keys, k)
		}
	}
	return strings.Join(keys, ".")
}

// valueField returns the field of the first JSON string or number in body
// whose text the error message quotes ("" when none does): the field a
// value's own UnmarshalJSON refused.
func valueField(body []byte, msg string) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var path []string
	var inObject []bool
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				path, inObject, expectKey = append(path, ""), append(inObject, t == '{'), t == '{'
			case '}', ']':
				path, inObject = path[:len(path)-1], inObject[:len(inObject)-1]
				expectKey = len(inObject) > 0 && inObject[len(inObject)-1]
			}
			continue
		case string:
			if expectKey {
				path[len(path)-1], expectKey = t, false
				continue
			}
			if t != "" && strings.Contains(msg, t) {
				return joinPath(path)
			}
		case json.Number:
			if strings.Contains(msg, string(t)) {
				return joinPath(path)
			}
		}
		if len(inObject) > 0 && inObject[len(inObject)-1] {
			expectKey = true
		}
	}
}

// refusedValue is a value an UnmarshalJSON refused; valueError turns it into
// a problem naming the field.
type refusedValue struct{ err error }

func (e *refusedValue) Error() string { return "invalid value: " + e.err.Error() }

// valueError names the field of a refused value and describes it in our
// own words: "field amount: not a plain decimal number such as 12.50".
// Other errors pass unchanged.
func valueError(body []byte, err error) error {
	var rv *refusedValue
	if !errors.As(err, &rv) {
		return err
	}
	field := valueField(body, rv.err.Error())
	if field == "" {
		field = "body"
	}
	return market.Invalid(field, "invalid_value",
		"%s: not a value this field takes (amounts and quantities are plain decimals such as 12.50, less than 10^15)", field)
}
