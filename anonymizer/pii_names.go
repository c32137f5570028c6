package anonymizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// singleSurnames are the common one-character Chinese surnames (the great
// majority of the population bears one of them).
const singleSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封"

// compoundSurnames are the common two-character surnames.
var compoundSurnames = []string{"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "令狐", "宇文", "司徒", "端木", "轩辕", "独孤", "南宫", "西门", "呼延"}

// notGivenName are characters that are rare in given names but common in the
// words a column of categories holds (diagnoses, occupations, places).
const notGivenName = "症病炎癌瘤痛伤科院区县市省路街号室楼店司厂局部处员师工生者业务款元类型级期性状态无有否是的了和与及或等"

// LooksLikeChineseName reports whether s, a whole token, is a Chinese
// personal name by the name model without context (see NameScore): two to
// four Han characters starting with a listed surname whose log-likelihood
// ratio reaches nameThreshold. Detect also asks for column context or a
// column of mostly distinct such values.
func LooksLikeChineseName(s string) bool {
	return IsChineseNameIn(s, NameContext{})
}

// nameCues are words after which a personal name follows in free text.
var nameCues = []string{"姓名", "名字", "患者", "联系人", "客户", "申请人", "收件人", "收货人", "持卡人", "户主", "法定代表人", "投保人", "被保险人", "借款人"}

// nameStop are characters that end a name found after a cue.
const nameStop = "今于在因的是为和与及说来去已有男女先年岁住身电手联出同等，。、；：:,.;（）() "

// nameAfterCue returns the byte length of a personal name at the start of
// s (after a cue and its separator), or 0. The cue raises the score, it
// does not decide: the token must still score as a name, and it must be a
// whole token — of the spans of 2 to 4 Han characters at the start of s
// (ending at a stop character), the best-scoring one is taken, and a word
// after it that makes it a place or organization (公司, 路, 市) counts
// against it.
func nameAfterCue(s string) int {
	return nameAt(s, true)
}

// nameRightBoundary are characters that, after a name, start the next
// word (verbs, prepositions and particles that commonly follow a person's
// name in records); with nameStop, punctuation and non-Han characters they
// end a whole token. A name-shaped span followed by another Han character
// is a fragment of a longer word (王府井百货 holds no name 王府井).
const nameRightBoundary = "负提按已于在来去说是的和与及同将对向把被给让也都就还再又要会能可请等今昨本签确办申领到未不没为因所从称通收发交付购买填入复讲表认近目前后上下"

// nameLeftBoundary are characters after which a name may start when it is
// found from an honorific after it (请张伟先生, 由李明女士).
const nameLeftBoundary = "请由给向和与对让被把叫是为经及同致即将或及问找联系派"

// isNameBoundary reports whether s, the text after a candidate token, starts
// with the end of a token.
func isNameBoundary(s string) bool {
	if s == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s)
	return !unicode.Is(unicode.Han, r) || strings.ContainsRune(nameStop, r) || strings.ContainsRune(nameRightBoundary, r) ||
		followedByAny(s, honorifics) || followedByAny(s, placeOrgWords)
}

// nameAt returns the byte length of the best-scoring name token at the
// start of s, or 0; cue tells whether a cue word precedes it.
func nameAt(s string, cue bool) int {
	var ends [4]int
	n := 0
	for i, r := range s {
		if n == 4 || !unicode.Is(unicode.Han, r) || (n >= 2 && strings.ContainsRune(nameStop, r)) {
			break
		}
		ends[n] = i + utf8.RuneLen(r)
		n++
	}
	best, bestScore := 0, 0.0
	for k := 2; k <= n; k++ {
		end := ends[k-1]
		after := s[end:]
		if !isNameBoundary(after) {
			continue // a fragment, not a whole token
		}
		ctx := NameContext{Cue: cue || followedByAny(after, honorifics), PlaceOrg: followedByAny(after, placeOrgWords)}
		score, ok := NameScoreIn(s[:end], ctx)
		if ok && score >= nameThreshold && (best == 0 || score > bestScore) {
			best, bestScore = end, score
		}
	}
	return best
}

// nameBefore returns the byte length of the best-scoring name token at the
// end of s (before an honorific such as 先生, which is its cue), or 0. The
// token must start a word: at the start of s, after a non-Han character,
// a stop character or one of nameLeftBoundary.
func nameBefore(s string) int {
	best, bestScore := 0, 0.0
	end := len(s)
	for k, start := 1, end; k <= 4 && start > 0; k++ {
		r, size := utf8.DecodeLastRuneInString(s[:start])
		if !unicode.Is(unicode.Han, r) {
			break
		}
		start -= size
		if k < 2 {
			continue
		}
		if start > 0 {
			p, _ := utf8.DecodeLastRuneInString(s[:start])
			if unicode.Is(unicode.Han, p) && !strings.ContainsRune(nameStop, p) && !strings.ContainsRune(nameLeftBoundary, p) && !endsWithCue(s[:start]) {
				continue
			}
		}
		score, ok := NameScoreIn(s[start:end], NameContext{Cue: true})
		if ok && score >= nameThreshold && (best == 0 || score > bestScore) {
			best, bestScore = end-start, score
		}
	}
	return best
}

// endsWithCue reports whether s ends with a name cue word.
func endsWithCue(s string) bool {
	for _, c := range nameCues {
		if strings.HasSuffix(s, c) {
			return true
		}
	}
	return false
}
