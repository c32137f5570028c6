package market

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParsePenaltyCase decodes and validates a penalty case file (the JSON
// schema in docs/penalties.md). Unknown keys are rejected. Money may be a
// JSON string ("12000.00") or number, in yuan with at most two decimals.
// An absent or null "corrected" means the correction order is pending.
//
// Every error is an ErrInvalid *Error whose Field is the path at fault
// ("violations[0].trades[1].amount") and whose message starts with that
// path, or with the line and column of a JSON syntax error.
func ParsePenaltyCase(data []byte) (PenaltyCase, error) {
	var raw struct {
		Party        json.RawMessage   `json:"party"`
		DiscoveredOn Date              `json:"discovered_on"`
		Violations   []json.RawMessage `json:"violations"`
	}
	if err := strictDecodeAt(data, &raw, ""); err != nil {
		return PenaltyCase{}, err
	}
	c := PenaltyCase{DiscoveredOn: raw.DiscoveredOn}
	if raw.Party == nil {
		return c, invalidField("party", "missing", "missing; want {\"id\": …, \"kind\": \"organization|individual\"}")
	}
	if err := strictDecodeAt(raw.Party, &c.Party, "party"); err != nil {
		return c, err
	}
	for i, rv := range raw.Violations {
		v, err := penaltyParseViolation(rv, fmt.Sprintf("violations[%d]", i))
		if err != nil {
			return c, err
		}
		c.Violations = append(c.Violations, v)
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}

func penaltyParseViolation(data json.RawMessage, path string) (PenaltyViolation, error) {
	var raw struct {
		Article         PenaltyArticle `json:"article"`
		Product         string         `json:"product"`
		EndedOn         Date           `json:"ended_on"`
		Continuing      bool           `json:"continuing"`
		LongLimitation  bool           `json:"long_limitation"`
		Harm            Harm           `json:"harm"`
		NoFaultEvidence bool           `json:"no_fault_evidence"`
		Decision        *struct {
			Kind   DecisionKind    `json:"kind"`
			Fine   json.RawMessage `json:"fine"`
			Reason string          `json:"reason"`
		} `json:"decision"`
		Trades    []json.RawMessage `json:"trades"`
		Corrected *bool             `json:"corrected"`
		Factors   []PenaltyFactor   `json:"factors"`
		Override  *struct {
			Fine   json.RawMessage `json:"fine"`
			Reason string          `json:"reason"`
		} `json:"override"`
	}
	v := PenaltyViolation{}
	if err := strictDecodeAt(data, &raw, path); err != nil {
		return v, err
	}
	v.Article, v.Corrected, v.Factors = raw.Article, raw.Corrected, raw.Factors
	v.Product, v.EndedOn, v.Continuing, v.LongLimitation = raw.Product, raw.EndedOn, raw.Continuing, raw.LongLimitation
	v.Harm, v.NoFaultEvidence = raw.Harm, raw.NoFaultEvidence
	if d := raw.Decision; d != nil {
		v.Decision = &PenaltyDecision{Kind: d.Kind, Reason: d.Reason}
		if len(d.Fine) > 0 && string(d.Fine) != "null" {
			fine, err := penaltyParseYuan(d.Fine, path+".decision.fine")
			if err != nil {
				return v, err
			}
			v.Decision.Fine = &fine
		}
	}
	for j, rt := range raw.Trades {
		t, err := penaltyParseTrade(rt, fmt.Sprintf("%s.trades[%d]", path, j))
		if err != nil {
			return v, err
		}
		v.Trades = append(v.Trades, t)
	}
	if raw.Override != nil {
		fine, err := penaltyParseYuan(raw.Override.Fine, path+".override.fine")
		if err != nil {
			return v, err
		}
		v.Override = &PenaltyOverride{Fine: fine, Reason: raw.Override.Reason}
	}
	return v, nil
}

func penaltyParseTrade(data json.RawMessage, path string) (PenaltyTrade, error) {
	var raw struct {
		ID         string          `json:"id"`
		Amount     json.RawMessage `json:"amount"`
		Refunded   json.RawMessage `json:"refunded"`
		Overcharge json.RawMessage `json:"overcharge"`
	}
	t := PenaltyTrade{}
	if err := strictDecodeAt(data, &raw, path); err != nil {
		return t, err
	}
	t.ID = raw.ID
	var err error
	if raw.Amount == nil {
		return t, invalidField(path+".amount", "missing", "missing; want the transaction amount in yuan, e.g. \"12000.00\"")
	}
	if t.Amount, err = penaltyParseYuan(raw.Amount, path+".amount"); err != nil {
		return t, err
	}
	if t.Refunded, err = penaltyParseYuan(raw.Refunded, path+".refunded"); err != nil {
		return t, err
	}
	if t.Overcharge, err = penaltyParseYuan(raw.Overcharge, path+".overcharge"); err != nil {
		return t, err
	}
	return t, nil
}

// penaltyParseYuan reads a money value (JSON string or number; absent or null is
// ¥0) of yuan with at most two decimals.
func penaltyParseYuan(data json.RawMessage, field string) (Money, error) {
	s := strings.TrimSpace(string(data))
	if s == "" || s == "null" {
		return Money{}, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(data, &s); err != nil {
			return Money{}, invalidField(field, "invalid_money", "%s", err.Error())
		}
	} else if !strings.ContainsAny(s[:1], "-0123456789") {
		return Money{}, invalidField(field, "invalid_money", "got JSON %s; want a decimal number of yuan such as \"12000.00\"", s)
	}
	m, err := ParseMoney(s)
	if err != nil {
		return Money{}, invalidField(field, "invalid_money", "%s", err.Error())
	}
	if m.Decimal().Exponent() < -2 && !m.Decimal().Equal(m.Round().Decimal()) {
		return Money{}, invalidField(field, "invalid_money", "amount %q has fractions of a fen; want at most two decimal places", s)
	}
	return m.Round(), nil
}

// strictDecodeAt decodes one JSON value into v, rejecting unknown keys and
// trailing data, and reports errors against path.
func strictDecodeAt(data []byte, v any, path string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON value")
	}
	if err == nil {
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := penaltyLineCol(data, syn.Offset)
		return invalidField(path, "invalid_json", "line %d, column %d: %s", line, col, strings.TrimPrefix(syn.Error(), "json: "))
	case errors.As(err, &typ):
		field := penaltyJoinPath(path, typ.Field)
		return invalidField(field, "invalid_type", "got JSON %s; want %s", typ.Value, penaltyJSONKind(typ.Type.String()))
	case errors.Is(err, io.EOF):
		return invalidField(path, "invalid_json", "empty input; want a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := penaltyLineCol(data, int64(len(data)))
		return invalidField(path, "invalid_json", "line %d, column %d: the JSON ends before its value does (cut short?)", line, col)
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if strings.HasPrefix(msg, "unknown field ") {
		return invalidField(penaltyJoinPath(path, strings.Trim(strings.TrimPrefix(msg, "unknown field "), `"`)), "unknown_field", "unknown key")
	}
	return invalidField(path, "invalid_json", "%s", msg)
}

func penaltyJoinPath(path, field string) string {
	switch {
	case path == "":
		return field
	case field == "":
		return path
	}
	return path + "." + field
}

// penaltyJSONKind names a Go type as the JSON a user should write.
func penaltyJSONKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "an array"
	case goType == "string", strings.HasSuffix(goType, "Article"), strings.HasSuffix(goType, "Kind"), strings.HasSuffix(goType, "Factor"):
		return "a string"
	case goType == "bool", goType == "*bool":
		return "true, false or null"
	}
	return "an object"
}

func penaltyLineCol(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, col
}

// invalidField returns an ErrInvalid *Error whose message starts with the
// field at fault.
func invalidField(field, code, format string, a ...any) *Error {
	msg := fmt.Sprintf(format, a...)
	if field != "" {
		msg = field + ": " + msg
	}
	return Invalid(field, code, "%s", msg)
}
