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
		ctx := NameContext{Cue: cue || followedByAny(after, honorifics), PlaceOrg: followedByAny(after, placeOrgWords)}
		score, ok := NameScoreIn(s[:end], ctx)
		if ok && score >= nameThreshold && (best == 0 || score > bestScore) {
			best, bestScore = end, score
		}
	}
	return best
}
