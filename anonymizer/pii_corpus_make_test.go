package anonymizer

import (
	"fmt"
	"math/rand/v2"
)

// CorpusItem is one labelled value of the detection corpus: Type is what it
// is ("" for a near-miss that is no identifier), Note how it was made.
type CorpusItem struct {
	Text string
	Type PIIType
	Note string
}

// PIICorpus generates a labelled corpus for measuring detection, from seed:
// for every direct-identifier type, perType valid values in their usual
// written forms, and about as many near-misses — wrong check characters,
// impossible dates, unknown area codes, unallocated prefixes, numbers of the
// right length that are no identifier. A generated value that is valid as
// another type (a 15-digit near-miss of a legacy ID that is a valid IMEI) is
// drawn again: it is an ambiguity, not a near-miss; random plain numbers are
// kept as drawn. Name and date-of-birth items carry their cue word
// ("姓名：", "出生日期："), as detection of those needs one.
func PIICorpus(seed int64, perType int) []CorpusItem {
	g := &corpusGen{r: rand.New(rand.NewPCG(uint64(seed), 0x636f72707573))}
	var items []CorpusItem
	add := func(t PIIType, note string, f func() string) {
		for i := 0; i < perType; i++ {
			items = append(items, CorpusItem{Text: unambiguous(t, f), Type: t, Note: note})
		}
	}
	// near is the type a near-miss is made from: it must fail that type's
	// rules and, to be a near-miss and not another identifier, every other
	// type's too.
	var near PIIType
	miss := func(note string, n int, f func() string) {
		for i := 0; i < n; i++ {
			text := f()
			if near != "" {
				text = unambiguous(near, f)
			}
			items = append(items, CorpusItem{Text: text, Note: note})
		}
	}
	q := max(1, perType/4)
	near = TypeResidentID
	add(TypeResidentID, "valid", g.residentID)
	miss("resident ID with a wrong check character", q, func() string { return g.wrongLast(g.residentID(), "0123456789X") })
	miss("resident ID with an impossible birth date", q, func() string { return g.residentIDWith(g.county(), fmt.Sprintf("19%02d0230", g.r.IntN(100))) })
	miss("resident ID with an unknown area code", q, func() string { return g.residentIDWith(fmt.Sprintf("%02d0101", 90+g.r.IntN(10)), g.date()) })
	miss("18 random digits", q, func() string { return g.digits(18) })
	near = TypeResidentIDLegacy
	add(TypeResidentIDLegacy, "valid", g.legacyID)
	miss("legacy ID with an impossible date", q, func() string { return g.prefecture() + "01" + fmt.Sprintf("%02d1332", g.r.IntN(100)) + g.digits(3) })
	near = TypeMobile
	add(TypeMobile, "valid, written in several ways", g.mobile)
	miss("mobile with an unallocated prefix", q, func() string { return []string{"140", "141", "154", "160", "174", "194"}[g.r.IntN(6)] + g.digits(8) })
	miss("11 digits starting 12", q, func() string { return "12" + g.digits(9) })
	miss("mobile one digit short", q, func() string { return "138" + g.digits(7) })
	near = TypeLandline
	add(TypeLandline, "valid, written in several ways", g.landline)
	miss("landline whose number starts with 0 or 1", q, func() string { return "010-" + string("01"[g.r.IntN(2)]) + g.digits(7) })
	miss("landline one digit short", q, func() string { return "021-" + "6" + g.digits(6) })
	near = TypeEmail
	add(TypeEmail, "valid", g.email)
	miss("malformed e-mail", q, func() string {
		return []string{"user@localhost", "a.@example.com", "@example.com", "name@example", "x@-bad.com", "first..last@mail.cn"}[g.r.IntN(6)]
	})
	near = TypeUSCC
	add(TypeUSCC, "valid", g.uscc)
	miss("credit code with a wrong check character", q, func() string { return g.wrongLast(g.uscc(), usccAlphabet) })
	miss("credit code with a wrong organization check", q, func() string {
		s := g.uscc()
		body := s[:16] + string(g.other(s[16], "0123456789X"))
		return body + string(USCCCheckChar(body))
	})
	near = TypeBankCard
	add(TypeBankCard, "valid, plain or grouped", g.bankCard)
	miss("card number failing Luhn", q, func() string { return g.wrongLast(g.bankCardPlain(), "0123456789") })
	miss("16 digits starting 1, 7 or 8", q, func() string {
		b := string("178"[g.r.IntN(3)]) + g.digits(14)
		return b + string(LuhnCheckDigit(b))
	})
	near = TypeIMEI
	add(TypeIMEI, "valid", g.imei)
	miss("IMEI failing Luhn", q, func() string { return g.wrongLast(g.imei(), "0123456789") })
	miss("IMEI with an unallocated reporting body", q, func() string {
		b := "7" + g.digits(13)
		return b + string(LuhnCheckDigit(b))
	})
	near = TypePlate
	add(TypePlate, "valid, ordinary and new-energy", g.plate)
	miss("plate with authority letter I or O", q, func() string { return "京" + string("IO"[g.r.IntN(2)]) + g.digits(5) })
	miss("plate one character short", q, func() string { return "沪B" + g.digits(4) })
	miss("plate with a non-province character", q, func() string { return "哈A" + g.digits(5) })
	near = TypePassport
	add(TypePassport, "valid", g.passport)
	miss("passport one digit short", q, func() string { return "E" + g.digits(7) })
	miss("passport with an unknown letter", q, func() string { return "K" + g.digits(8) })
	near = TypeTravelPermit
	add(TypeTravelPermit, "valid", g.permit)
	miss("permit one digit short", q, func() string { return "C" + g.digits(7) })
	near = TypeIPv4
	add(TypeIPv4, "valid", func() string {
		return fmt.Sprintf("%d.%d.%d.%d", 1+g.r.IntN(223), g.r.IntN(256), g.r.IntN(256), 1+g.r.IntN(254))
	})
	miss("dotted quad out of range", q, func() string {
		return fmt.Sprintf("%d.%d.%d.%d", 256+g.r.IntN(700), g.r.IntN(256), g.r.IntN(256), g.r.IntN(256))
	})
	near = TypeIPv6
	add(TypeIPv6, "valid", g.ipv6)
	miss("IPv6 with a bad group", q, func() string { return "2001:db8::" + g.hex(3) + "g" })
	near = TypeMAC
	add(TypeMAC, "valid", g.mac)
	miss("MAC with five groups", q, func() string { return g.hex(2) + ":" + g.hex(2) + ":" + g.hex(2) + ":" + g.hex(2) + ":" + g.hex(2) })
	near = TypeCoordinates
	add(TypeCoordinates, "valid", func() string {
		return fmt.Sprintf("%.6f,%.6f", 18+g.r.Float64()*35, 73+g.r.Float64()*62)
	})
	miss("coordinates out of range", q, func() string { return fmt.Sprintf("%.5f,%.5f", 91+g.r.Float64()*80, 181+g.r.Float64()*100) })
	miss("decimals with too few places", q, func() string { return fmt.Sprintf("%.1f,%.1f", 18+g.r.Float64()*35, 73+g.r.Float64()*62) })
	near = TypeName
	add(TypeName, "name after a cue", func() string { return "姓名：" + g.name() })
	miss("cue followed by no name", q, func() string {
		return "姓名：" + []string{"未填写", "不详", "（空）", "见附件"}[g.r.IntN(4)]
	})
	near = TypeAddress
	add(TypeAddress, "address down to the house number", g.address)
	miss("division without a street", q, func() string { return g.countyName() })
	near = TypeBirthDate
	add(TypeBirthDate, "date of birth after a cue", func() string { return "出生日期：" + g.dateDashed() })
	miss("impossible date of birth", q, func() string { return fmt.Sprintf("出生日期：19%02d-02-30", g.r.IntN(100)) })
	near = "" // plain numbers are not filtered: some are valid by chance
	miss("plain numbers", perType, func() string { return g.digits(5 + g.r.IntN(15)) })
	return items
}

// unambiguous calls f until its value is not valid as an identifier of a
// type other than t (a valid bank card number that is also a valid credit
// code is a genuine ambiguity, not a test of either).
func unambiguous(t PIIType, f func() string) string {
	for {
		s := f()
		ok := true
		for other, valid := range corpusValidators {
			if other != t && valid(s) {
				ok = false
				break
			}
		}
		if ok {
			return s
		}
	}
}

var corpusValidators = map[PIIType]func(string) bool{
	TypeResidentID:       ValidResidentID,
	TypeResidentIDLegacy: ValidLegacyResidentIDStrict,
	TypeUSCC:             ValidUSCC,
	TypeBankCard:         ValidBankCard,
	TypeIMEI:             ValidIMEI,
	TypeMobile:           ValidMobile,
	TypeLandline:         ValidLandline,
}
