package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shujiao/shujiao/market"
)

// pageTemplate is one page: the layout with the page's "content".
type pageTemplate = template.Template

// catalogue is one language's messages by key.
type catalogue map[string]string

// catalogues are the two languages; zh is the default.
var catalogues = map[string]catalogue{"zh": zhMessages, "en": enMessages}

func (c catalogue) has(key string) bool { _, ok := c[key]; return ok }

// get returns the message of key; a missing key shows as "⟦key⟧" (the
// catalogue tests fail on it, so no page ships with one).
func (c catalogue) get(key string) string {
	if m, ok := c[key]; ok {
		return m
	}
	return "⟦" + key + "⟧"
}

// parsePages parses every page of templates/ (except the shared layout and
// partials) once per language, with that language's functions.
func parsePages() (map[string]map[string]*pageTemplate, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*pageTemplate{}
	for lang := range catalogues {
		out[lang] = map[string]*pageTemplate{}
		for _, n := range names {
			base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if base == "layout" || base == "partials" {
				continue
			}
			t, err := template.New("layout.html").Funcs(funcs(lang)).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
			if err != nil {
				return nil, err
			}
			out[lang][base] = t
		}
	}
	return out, nil
}

// funcs are the template functions of one language.
func funcs(lang string) template.FuncMap {
	c := catalogues[lang]
	return template.FuncMap{
		"t":  c.get,
		"tf": func(key string, args ...any) string { return fmt.Sprintf(c.get(key), args...) },
		// tr translates an enum value: prefix+value, or the value itself
		// when the catalogue has no entry (an ID, a number).
		"tr": func(prefix string, v any) string {
			s := fmt.Sprint(v)
			if c.has(prefix + s) {
				return c.get(prefix + s)
			}
			return s
		},
		"money":    formatMoney,
		"date":     func(t any) string { return formatTime(t, time.DateOnly) },
		"datetime": func(t any) string { return formatTime(t, "2006-01-02 15:04") },
		"pct":      func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
		"num":      func(f float64) string { return fmt.Sprintf("%.4g", f) },
		"inc":      func(i int) int { return i + 1 },
		"pretty":   prettyJSON,
		"short":    func(v any) string { s := fmt.Sprint(v); return s[max(0, len(s)-8):] },
		"join":     strings.Join,
		"svg":      func(s svgMarkup) template.HTML { return template.HTML(s) },
		"lang":     func() string { return lang },
		"field":    newFormField,
		"deref":    func(p *int) int { return *p },
		"cite":     func(v any) string { return citeIn(lang, v) },
		"list":     func(s ...string) []string { return s },
		"key":      func(a, b any) string { return fmt.Sprint(a) + "/" + fmt.Sprint(b) },
		"b64":      func(b []byte) string { return fmt.Sprintf("%x", b) },
	}
}

func formatMoney(v any) string {
	switch m := v.(type) {
	case market.Money:
		return "¥" + m.String()
	case *market.Money:
		if m == nil {
			return "—"
		}
		return "¥" + m.String()
	}
	return fmt.Sprint(v)
}

// formatTime writes a time in China time (dates in documents and deadlines
// are China dates).
func formatTime(v any, layout string) string {
	switch t := v.(type) {
	case time.Time:
		if t.IsZero() {
			return "—"
		}
		return t.In(market.ChinaTime).Format(layout)
	case *time.Time:
		if t == nil || t.IsZero() {
			return "—"
		}
		return t.In(market.ChinaTime).Format(layout)
	}
	return fmt.Sprint(v)
}

func prettyJSON(v any) string {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		raw = b
	}
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "", "  ") != nil {
		return string(raw)
	}
	return buf.String()
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// citation matches "Shaanxi Art. 36(1)".
var citation = regexp.MustCompile(`^(Shaanxi|Tianjin|Municipal) Art\. (\d+)(?:\((\d+)\))?$`)

// citeIn writes a citation of the law in lang: unchanged in English,
// "《陕西省大数据条例》第三十六条第（一）项" style in Chinese.
func citeIn(lang string, v any) string {
	s := fmt.Sprint(v)
	m := citation.FindStringSubmatch(s)
	if lang != "zh" || m == nil {
		return s
	}
	law := map[string]string{"Shaanxi": "《陕西省大数据条例》", "Tianjin": "《天津市促进大数据发展应用条例》", "Municipal": "《市政务数据共享条例》"}[m[1]]
	out := law + "第" + zhNumber(m[2]) + "条"
	if m[3] != "" {
		out += "第（" + zhNumber(m[3]) + "）项"
	}
	return out
}

// zhNumber writes 1–999 in Chinese numerals as articles are numbered
// (三十六, 一百零二); anything else is returned unchanged.
func zhNumber(s string) string {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 999 {
		return s
	}
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	h, t, u := n/100, n/10%10, n%10
	var b strings.Builder
	if h > 0 {
		b.WriteString(digits[h] + "百")
		if t == 0 && u > 0 {
			b.WriteString("零")
		}
	}
	if t > 0 {
		if t > 1 || h > 0 {
			b.WriteString(digits[t])
		}
		b.WriteString("十")
	}
	if u > 0 {
		b.WriteString(digits[u])
	}
	return b.String()
}

// formField is one form control for the textfield and checkbox partials.
type formField struct {
	ID, Name, Label, Type, Value, Err string
}

// newFormField describes control name of page p, labelled by catalogue key
// label: what was typed and its problem come from the page.
func newFormField(p *page, name, label, typ string) formField {
	return formField{ID: "f-" + fieldID.ReplaceAllString(name, "-"), Name: name, Label: label, Type: typ, Value: p.Val(name), Err: p.Err(name)}
}

// fieldID matches what an element id should not contain.
var fieldID = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// merge joins catalogue parts; a key in two parts is a programming error.
func merge(parts ...catalogue) catalogue {
	out := catalogue{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("web: catalogue key " + k + " defined twice")
			}
			out[k] = v
		}
	}
	return out
}
