package anonymizer

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// corpusGen draws the values of the detection corpus (see PIICorpus).
type corpusGen struct{ r *rand.Rand }

func (g *corpusGen) digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b)
}

func (g *corpusGen) hex(n int) string {
	const h = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = h[g.r.IntN(16)]
	}
	return string(b)
}

func (g *corpusGen) other(c byte, alphabet string) byte {
	for {
		if x := alphabet[g.r.IntN(len(alphabet))]; x != c {
			return x
		}
	}
}

func (g *corpusGen) wrongLast(s, alphabet string) string {
	return s[:len(s)-1] + string(g.other(s[len(s)-1], alphabet))
}

func (g *corpusGen) county() string {
	c := Counties()
	return c[g.r.IntN(len(c))].Code
}

func (g *corpusGen) countyName() string {
	c := Counties()
	d := c[g.r.IntN(len(c))]
	p, _ := ProvinceName(d.Code)
	return p + d.Name
}

func (g *corpusGen) prefecture() string {
	divisionsOnce.Do(loadDivisions)
	keys := make([]string, 0, len(divisionsOnce.prefectures))
	for k := range divisionsOnce.prefectures {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys[g.r.IntN(len(keys))]
}

func (g *corpusGen) date() string {
	y := 1930 + g.r.IntN(90)
	m := 1 + g.r.IntN(12)
	return fmt.Sprintf("%04d%02d%02d", y, m, 1+g.r.IntN(daysIn(y, m)))
}

func (g *corpusGen) dateDashed() string {
	d := g.date()
	return d[:4] + "-" + d[4:6] + "-" + d[6:]
}

func (g *corpusGen) residentIDWith(area, date string) string {
	body := area + date + g.digits(3)
	return body + string(ResidentIDCheckChar(body))
}

func (g *corpusGen) residentID() string {
	s := g.residentIDWith(g.county(), g.date())
	if strings.HasSuffix(s, "X") && g.r.IntN(4) == 0 {
		s = strings.TrimSuffix(s, "X") + "x"
	}
	return s
}

func (g *corpusGen) legacyID() string {
	d := g.date()
	for d[:2] != "19" {
		d = g.date()
	}
	return g.prefecture() + fmt.Sprintf("%02d", 1+g.r.IntN(30)) + d[2:] + g.digits(3)
}

func (g *corpusGen) mobile() string {
	m := synthMobilePrefixes[g.r.IntN(len(synthMobilePrefixes))] + g.digits(8)
	switch g.r.IntN(5) {
	case 1:
		return "+86" + m
	case 2:
		return "+86 " + m[:3] + " " + m[3:7] + " " + m[7:]
	case 3:
		return m[:3] + "-" + m[3:7] + "-" + m[7:]
	case 4:
		return "0086" + m
	}
	return m
}

func (g *corpusGen) landline() string {
	area := []string{"010", "021", "020", "022", "023", "024", "025", "027", "028", "029", "0755", "0571", "0512", "0371", "0531", "0591"}[g.r.IntN(16)]
	n := 8
	if len(area) == 4 && g.r.IntN(3) == 0 {
		n = 7
	}
	sub := string(byte('2'+g.r.IntN(7))) + g.digits(n-1)
	switch g.r.IntN(4) {
	case 1:
		return "(" + area + ")" + sub
	case 2:
		return "+86-" + area[1:] + "-" + sub
	case 3:
		return area + " " + sub
	}
	return area + "-" + sub
}

func (g *corpusGen) email() string {
	locals := []string{"zhang.wei", "li_na", "wang123", "chen.jing+news", "liu-yang", "hr", "admin2024"}
	domains := []string{"example.com", "qq.com", "163.com", "mail.example.cn", "corp.example.com.cn"}
	return locals[g.r.IntN(len(locals))] + g.digits(g.r.IntN(3)) + "@" + domains[g.r.IntN(len(domains))]
}

func (g *corpusGen) uscc() string {
	org := make([]byte, 8)
	for i := range org {
		org[i] = "0123456789ABCDEFGHJKLMNPQRTUWXY"[g.r.IntN(31)]
	}
	o := string(org)
	body := string("159"[g.r.IntN(3)]) + "1" + g.county() + o + string(orgCodeCheckChar(o))
	return body + string(USCCCheckChar(body))
}

func (g *corpusGen) bankCardPlain() string {
	var b string
	n := 16
	switch g.r.IntN(5) {
	case 0, 1: // UnionPay
		n = 16 + g.r.IntN(4)
		b = "62"
	case 2: // Visa
		b = "4"
	case 3: // Mastercard
		b = string("12345"[g.r.IntN(5)])
		b = "5" + b
	case 4: // JCB
		b = fmt.Sprintf("35%02d", 28+g.r.IntN(62))
	}
	b += g.digits(n - 1 - len(b))
	return b + string(LuhnCheckDigit(b))
}

func (g *corpusGen) bankCard() string {
	c := g.bankCardPlain()
	if g.r.IntN(3) == 0 {
		var parts []string
		for i := 0; i < len(c); i += 4 {
			parts = append(parts, c[i:min(i+4, len(c))])
		}
		return strings.Join(parts, " ")
	}
	return c
}

func (g *corpusGen) imei() string {
	b := []string{"35", "86", "86", "01", "99"}[g.r.IntN(5)] + g.digits(12)
	return b + string(LuhnCheckDigit(b))
}

func (g *corpusGen) plate() string {
	prov := []rune(plateProvinces)
	p := string(prov[g.r.IntN(len(prov))])
	letter := string(usccAlphabet[10+g.r.IntN(21)])
	switch g.r.IntN(4) {
	case 1:
		return p + letter + string("DF"[g.r.IntN(2)]) + string("ABCDEFGHJK0123456789"[g.r.IntN(20)]) + g.digits(4)
	case 2:
		return p + letter + "·" + g.digits(5)
	case 3:
		return p + letter + g.digits(5) + string("DF"[g.r.IntN(2)])
	}
	return p + letter + string("ABCDEFGHJK"[g.r.IntN(10)]) + g.digits(4)
}

func (g *corpusGen) passport() string {
	switch g.r.IntN(3) {
	case 1:
		return "E" + string("ABCDEFGHJK"[g.r.IntN(10)]) + g.digits(7)
	case 2:
		return "G" + g.digits(8)
	}
	return "E" + g.digits(8)
}

func (g *corpusGen) permit() string {
	switch g.r.IntN(4) {
	case 1:
		return "C" + string("ABCDEFGHJK"[g.r.IntN(10)]) + g.digits(7)
	case 2:
		return string("HM"[g.r.IntN(2)]) + g.digits(8)
	case 3:
		return "L" + g.digits(8)
	}
	return "C" + g.digits(8)
}

func (g *corpusGen) ipv6() string {
	if g.r.IntN(2) == 0 {
		return "2001:db8::" + g.hex(4)
	}
	parts := make([]string, 8)
	for i := range parts {
		parts[i] = strings.TrimLeft(g.hex(4), "0")
		if parts[i] == "" {
			parts[i] = "0"
		}
	}
	return strings.Join(parts, ":")
}

func (g *corpusGen) mac() string {
	sep := ":-"[g.r.IntN(2)]
	parts := make([]string, 6)
	for i := range parts {
		parts[i] = strings.ToUpper(g.hex(2))
	}
	return strings.Join(parts, string(sep))
}

func (g *corpusGen) name() string {
	s := NewSynthesizer(g.r.Int64())
	return s.Next(nil)[1]
}

func (g *corpusGen) address() string {
	roads := []string{"建国路", "人民路", "解放大道", "中山路", "长安街", "科技园南路", "学院路"}
	a := g.countyName() + roads[g.r.IntN(len(roads))] + fmt.Sprintf("%d号", 1+g.r.IntN(300))
	if g.r.IntN(2) == 0 {
		a += fmt.Sprintf("%d栋%d室", 1+g.r.IntN(30), 101+g.r.IntN(2000))
	}
	return a
}
