package anonymizer

import (
	"encoding/json"
	"fmt"
)

// jsonField is one key and value of a flat JSON object, as views into the
// line they were parsed from; escaped is set when a key or value string holds
// a backslash escape and must be decoded.
type jsonField struct {
	key, val               []byte
	keyEscaped, valEscaped bool
	valIsString            bool
	at                     int // byte offset of the value, for errors
}

// parseFlatObject parses one JSON object whose values are strings, numbers,
// true, false or null, appending its fields to fields. It allocates nothing
// for well-formed input without escapes. Errors name the 1-based byte column.
func parseFlatObject(line []byte, fields []jsonField) ([]jsonField, error) {
	p := jsonParser{b: line}
	p.ws()
	if !p.eat('{') {
		return nil, p.errorf("want an object")
	}
	p.ws()
	if p.eat('}') {
		return fields, p.end()
	}
	for {
		p.ws()
		var f jsonField
		var ok bool
		if f.key, f.keyEscaped, ok = p.str(); !ok {
			return nil, p.errorf("want a quoted key")
		}
		p.ws()
		if !p.eat(':') {
			return nil, p.errorf("want ':' after a key")
		}
		p.ws()
		f.at = p.i
		switch c := p.peek(); {
		case c == '"':
			f.valIsString = true
			if f.val, f.valEscaped, ok = p.str(); !ok {
				return nil, p.errorf("unterminated or invalid string")
			}
		case c == '-' || c >= '0' && c <= '9':
			if f.val, ok = p.number(); !ok {
				return nil, p.errorf("invalid number")
			}
		case c == 't' || c == 'f' || c == 'n':
			if f.val, ok = p.literal(); !ok {
				return nil, p.errorf("invalid literal")
			}
		case c == '{' || c == '[':
			kind := map[byte]string{'{': "object", '[': "array"}[c]
			return nil, fmt.Errorf("column %d: key %q: nested %s, want a string or number", p.i+1, fieldKey(f), kind)
		default:
			return nil, p.errorf("want a value")
		}
		fields = append(fields, f)
		p.ws()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return fields, p.end()
		}
		return nil, p.errorf("want ',' or '}'")
	}
}

// fieldKey returns the decoded key of f.
func fieldKey(f jsonField) string { return decodeJSONString(f.key, f.keyEscaped) }

// fieldValue returns the value of f as text: a string decoded, a number as
// written, true/false as such, null as "".
func fieldValue(f jsonField) string {
	if f.valIsString {
		return decodeJSONString(f.val, f.valEscaped)
	}
	if string(f.val) == "null" {
		return ""
	}
	return string(f.val)
}

// decodeJSONString returns the text of the string token body b (without its
// quotes), decoding escapes when there are any.
func decodeJSONString(b []byte, escaped bool) string {
	if !escaped {
		return string(b)
	}
	var s string
	quoted := make([]byte, 0, len(b)+2)
	quoted = append(append(append(quoted, '"'), b...), '"')
	if err := json.Unmarshal(quoted, &s); err != nil {
		return string(b) // unreachable: str validated the escapes
	}
	return s
}

type jsonParser struct {
	b []byte
	i int
}

func (p *jsonParser) errorf(what string) error {
	return fmt.Errorf("column %d: invalid JSON: %s", p.i+1, what)
}

func (p *jsonParser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *jsonParser) eat(c byte) bool {
	if p.peek() == c && p.i < len(p.b) {
		p.i++
		return true
	}
	return false
}

func (p *jsonParser) ws() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\r' || p.b[p.i] == '\n') {
		p.i++
	}
}

func (p *jsonParser) end() error {
	p.ws()
	if p.i != len(p.b) {
		return p.errorf("data after the object")
	}
	return nil
}

// str reads a string token and returns its body.
func (p *jsonParser) str() (body []byte, escaped, ok bool) {
	if !p.eat('"') {
		return nil, false, false
	}
	start := p.i
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			body = p.b[start:p.i]
			p.i++
			return body, escaped, true
		case c < 0x20:
			return nil, false, false
		case c == '\\':
			escaped = true
			p.i++
			if p.i >= len(p.b) {
				return nil, false, false
			}
			switch p.b[p.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p.i++
			case 'u':
				if p.i+4 >= len(p.b) || !isHex(p.b[p.i+1]) || !isHex(p.b[p.i+2]) || !isHex(p.b[p.i+3]) || !isHex(p.b[p.i+4]) {
					return nil, false, false
				}
				p.i += 5
			default:
				return nil, false, false
			}
		default:
			p.i++
		}
	}
	return nil, false, false
}

// number reads a JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (p *jsonParser) number() ([]byte, bool) {
	start := p.i
	p.eat('-')
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.eat('0') {
		// a leading zero stands alone
	} else if digits() == 0 {
		return nil, false
	}
	if p.eat('.') && digits() == 0 {
		return nil, false
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return p.b[start:p.i], true
}

func (p *jsonParser) literal() ([]byte, bool) {
	for _, lit := range []string{"true", "false", "null"} {
		if len(p.b)-p.i >= len(lit) && string(p.b[p.i:p.i+len(lit)]) == lit {
			p.i += len(lit)
			return p.b[p.i-len(lit) : p.i], true
		}
	}
	return nil, false
}
