package anonymizer

import "strings"

// againstContext lists, for types a number is easily mistaken for, the
// words that just before it say it is something else: a version after
// 版本 is no IPv4 address; a number after 订单号 or 快递单号 is an order or
// tracking number, not a phone or a card. Such a context counts against the
// type (the match is dropped); it never decides a type by itself.
var againstContext = map[PIIType][]string{
	TypeIPv4:     {"版本", "版本号", "version", "Version", "VERSION", "ver", "Ver", "v", "V"},
	TypeMobile:   {"订单号", "订单编号", "快递单号", "运单号", "单号", "流水号", "批次号", "工单号"},
	TypeLandline: {"订单号", "订单编号", "快递单号", "运单号", "单号", "流水号", "批次号", "工单号", "编号", "型号"},
	TypeBankCard: {"订单号", "订单编号", "快递单号", "运单号", "单号", "流水号", "批次号", "工单号"},
	TypeIMEI:     {"订单号", "订单编号", "快递单号", "运单号", "单号", "流水号"},
}

// dropAgainstContext removes the matches whose preceding words count
// against their type, and the digit matches that are a fragment of a
// longer code (letters right after them: "A0105512345678B").
func dropAgainstContext(text string, ms []Match) []Match {
	out := ms[:0]
	for _, m := range ms {
		if fragmentOfCode(text, m) || contradicted(text, m) {
			continue
		}
		out = append(out, m)
	}
	return out
}

func contradicted(text string, m Match) bool {
	words := againstContext[m.Type]
	if len(words) == 0 {
		return false
	}
	// the separators between the word and the number
	before := strings.TrimRight(text[:m.Start], " ：:=#（(")
	for _, w := range words {
		if strings.HasSuffix(before, w) {
			if len(w) <= 3 && len(before) > len(w) && isASCIILetter(before[len(before)-len(w)-1]) {
				continue // "v" inside a word ("dev"): not a cue
			}
			return true
		}
	}
	return false
}

// fragmentOfCode reports whether a matched phone or card number continues
// with letters: it is a piece of a longer code, not a whole token.
func fragmentOfCode(text string, m Match) bool {
	switch m.Type {
	case TypeLandline, TypeMobile, TypeBankCard, TypeIMEI:
	default:
		return false
	}
	return m.End < len(text) && isASCIILetter(text[m.End]) ||
		m.Start > 0 && isASCIILetter(text[m.Start-1]) && m.End < len(text) && text[m.End] >= '0' && text[m.End] <= '9'
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
