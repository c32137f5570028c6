package anonymizer

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The model of Chinese personal names (issue 14 item 6). A candidate token
// is scored with a log-likelihood ratio, ln P(token | name) − ln P(token |
// ordinary word), summed over its characters (naive Bayes):
//
//   - the surname: ln(share of the population bearing it / share of
//     ordinary words starting with that character), from surnameShares and
//     wordStartChars;
//   - each given-name character: positive when it is common in given names
//     (givenCommon, givenUsual), negative when it is common in ordinary words,
//     place, organization and product names (wordChars, notGivenName);
//   - a lexicon of ordinary words that begin with a surname character
//     (surnameWords) counts against the whole token;
//   - context: a cue (姓名, 联系人, a column named 姓名; 先生/女士 after) adds
//     nameCueBonus, it never decides alone; a word after the token that makes
//     it a place or organization (公司, 路, 市, 省, 银行 …) or a column named
//     for places or firms subtracts.
//
// A token is a name when its score reaches nameThreshold. The figures are
// hand-set from published surname shares and are measured (precision and
// recall per setting) on the labelled corpus in testdata/names_corpus.tsv;
// see docs/detection.md.

// surnameShares are per-mille shares of the population for the most common
// surnames (rounded from the 2020 census surname report); single surnames of
// singleSurnames not listed here get surnameShareRest, compound ones
// compoundShare.
const surnameShares = "王71 李70 张66 刘54 陈46 杨31 黄24 赵22 吴20 周19 徐13 孙12 马12 朱11 胡11 郭11 何9 林9 高9 罗8 " +
	"郑8 梁7 谢6 宋6 唐6 许5 韩5 邓5 冯5 曹5 彭5 曾5 肖4.5 田4.5 董4.4 潘4 袁4 蔡3.8 蒋3.8 余3.6 " +
	"于3.5 杜3.5 叶3.4 程3.3 魏3.2 苏3.1 吕3 丁3 任3 卢2.8 姚2.8 沈2.8 钟2.7 姜2.7 崔2.5 谭2.5 陆2.4 范2.2 汪2.2 廖2.2 " +
	"石2.1 金2 韦2 贾2 夏2 付2 方2 邹1.8 熊1.8 白1.8 孟1.7 秦1.7 邱1.7 侯1.6 江1.6 尹1.6 薛1.5 闫1.5 段1.5 雷1.5 " +
	"龙1.4 黎1.4 史1.4 陶1.3 贺1.3 毛1.3 郝1.3 顾1.2 龚1.2 邵1.2 万1.2 覃1.1 武1.1 钱1.1 戴1.1 严1.1 莫1 孔1 向1 常1 汤1"

const (
	surnameShareRest = 0.7  // per mille, a listed single surname outside surnameShares (≈15% of people share ≈200 of them)
	compoundShare    = 0.05 // per mille, a compound surname (words starting with one are 100 times rarer than with a single character)
	// wordStartShare is the per-mille share of ordinary words that start with
	// a given character, taken as uniform over ~2,000 word-initial characters.
	wordStartShare = 0.5
	// wordStartPenalty is subtracted for surname characters that also start
	// many ordinary words (wordStartChars): ln(≈12).
	wordStartPenalty = 2.5
)

// wordStartChars are surname characters that begin many ordinary words,
// place and firm names (高速, 金华, 白云, 方便, 江苏 …).
const wordStartChars = "黄高金白方马龙江文安明和时单成石田万向常温康牛东南西北华平新中长宁海山上天大小公古全丰春秋云凤"

// Given-name character statistics: givenCommon are the characters most
// frequent in given names, givenUsual further characters frequent in them;
// wordChars are characters frequent in ordinary words and in place,
// organization and product names but rare in given names.
const (
	givenCommon = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玲燕婷雪慧莹琳倩颖洁佳梅晶欣怡萍红琴蕾璐瑶雯悦晓丹露楠妍彤" +
		"辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林建国志文海东峰亮晨玉珍凤云莉娇琪芬婉嘉瑞博昊轩睿涵梓子豪然晗宸泽诗琦"
	givenUsual = "小春秋德荣生福祥贵永宝成发金兴昌顺喜庆华山清振家如淑惠丰良光彬毅坤鸿晖斐翔维卫武勋忠信仁义礼智贤德" +
		"新立晴蓉菲薇倩茜婧媛嫣娴馨若依梦思雨欣悦阳晴冰洁萱璇珊瑾琬璟钰锦韵岚芸莎妮蓓紫语心安乐宏远航腾"
	wordChars = "速度便利全化天上下来去气水电油米面饭菜肉鱼果茶酒药品器机车船路站场园门桥村庄镇城州口河湖江山岛湾港" +
		"集团网络科技行业银保险证券信托基金贷卡票纸书报刊视频影音乐曲词典册表单据号码数量价格费率税收支付款" +
		"学校班级课程考试题答案问系统软件硬件设备产品商标牌货仓库存销售购买卖租赁物流快递包裹箱袋瓶罐盒粉液膏片丸颗粒"
)

const (
	givenCommonScore  = 1.6
	givenUsualScore   = 0.8
	givenUnknownScore = -0.5 // a Han character in neither list
	wordCharScore     = -3.0
	notGivenScore     = -8.0 // notGivenName: a diagnosis, place or job suffix
	surnameWordScore  = -4.0 // the token is a listed ordinary word
	nameCueBonus      = 3.0
	placeOrgPenalty   = -8.0
	// nameThreshold is the score a token needs to count as a name.
	nameThreshold = 2.5
)

// surnameWords are ordinary words, places and brands that begin with a
// surname character and have the shape of a name.
var surnameWords = map[string]bool{}

const surnameWordList = "黄金 黄色 黄瓜 黄油 黄河 黄山 高速 高级 高中 高考 高楼 高温 高峰期 马上 马路 马车 方便 方法 方案 方向 安全 安静 安装 " +
	"江湖 江南 文化 文明 文件 明天 明白 明星 和平 和谐 时间 时代 成本 成功 成都 石油 石头 田野 万一 万能 向日葵 常用 常州 温度 温州 康复 " +
	"牛奶 牛肉 东方红 华为 海尔 苏宁 格力 美的 长虹 金龙鱼 王老吉 白云 白酒 白菜 龙井 龙虾 周末 周年 周一 周二 周三 周四 周五 周六 周日 李子 杨梅 " +
	"张家界 朱砂 胡椒 胡同 林业 罗盘 宋体 唐朝 许可 韩国 曹操 田园 董事 潘多拉 余额 杜鹃 程序 苏州 任务 沈阳 钟表 钟点 姜汤 陆地 范围 金额 " +
	"金融 贾宝玉 夏天 夏季 方正 熊猫 白天 秦朝 江西 江苏 段落 雷电 史书 毛巾 毛衣 顾问 顾客 万科 武汉 钱包 严重 孔雀 常规 汤圆 包子 包装 " +
	"高铁 邮政 龙凤 车辆 项目 连锁 宁波 宁夏 齐全 易购 乔木 章程 鲁迅 岳阳 关系 关于 兰州 柳州 甘肃 祝福 尚品 符号 舒适 纪念 梅花 童装 " +
	"凌晨 毕业 季度 涂料 成绩 谷物 盛大 曲线 路线 游戏 管理 蒙古 华润 华夏 房产 解放 艾草 时尚 司机 古典 吉林 简单 车间 连接 景区 党员 宫殿 " +
	"费用 冷饮 席位 卫生 米饭 宗教 全部 应用 师傅 和田 商场 商品 沙发 荣誉 桑拿 甄选 明珠 查询 迟到"

func init() {
	for _, w := range strings.Fields(surnameWordList) {
		surnameWords[w] = true
	}
	for _, f := range strings.Fields(surnameShares) {
		r, size := utf8.DecodeRuneInString(f)
		surnameLLR[r] = math.Log(parseShare(f[size:]) / wordStartShare)
	}
	for _, r := range singleSurnames {
		if _, ok := surnameLLR[r]; !ok {
			surnameLLR[r] = math.Log(surnameShareRest / wordStartShare)
		}
	}
	for _, r := range wordStartChars {
		if _, ok := surnameLLR[r]; ok {
			surnameLLR[r] -= wordStartPenalty
		}
	}
	for _, r := range wordChars {
		givenLLR[r] = wordCharScore
	}
	for _, r := range givenUsual {
		givenLLR[r] = givenUsualScore
	}
	for _, r := range givenCommon {
		givenLLR[r] = givenCommonScore
	}
	for _, r := range notGivenName {
		givenLLR[r] = notGivenScore
	}
	buildNameTab()
}

// surnameLLR and givenLLR are built by init from the tables above; nameTab
// holds the same scores for the Basic Multilingual Plane in tenths, so that
// scoring a token costs one array lookup per character.
var (
	surnameLLR = map[rune]float64{}
	givenLLR   = map[rune]float64{}
	nameTab    struct {
		surname, given [0x10000]int8
		isSurname      [0x10000]bool
		// lexicon2 marks the second characters of surnameWords, to skip the
		// lexicon lookup for most names
		lexicon2 [0x10000]bool
	}
)

func buildNameTab() {
	for r := range nameTab.given {
		nameTab.given[r] = int8(math.Round(givenUnknownScore * 10))
	}
	for r, v := range givenLLR {
		nameTab.given[r] = int8(math.Round(max(v, -12) * 10))
	}
	for w := range surnameWords {
		_, size := utf8.DecodeRuneInString(w)
		if r, _ := utf8.DecodeRuneInString(w[size:]); r < 0x10000 {
			nameTab.lexicon2[r] = true
		}
	}
	for r, v := range surnameLLR {
		nameTab.surname[r] = int8(math.Round(v * 10))
		nameTab.isSurname[r] = true
	}
}

// parseShare parses a decimal such as "4.5".
func parseShare(s string) float64 {
	v, frac, scale := 0.0, false, 1.0
	for _, c := range s {
		switch {
		case c == '.':
			frac = true
		case frac:
			scale /= 10
			v += float64(c-'0') * scale
		default:
			v = v*10 + float64(c-'0')
		}
	}
	return v
}

// NameScore returns the log-likelihood ratio that s, a whole token, is a
// Chinese personal name rather than an ordinary word, without context, and
// false when s does not have the shape of one at all (2 to 4 Han
// characters starting with a listed surname; a compound surname needs 3 or
// 4, a single one 2 or 3).
func NameScore(s string) (float64, bool) {
	n := utf8.RuneCountInString(s)
	if n < 2 || n > 4 {
		return 0, false
	}
	score, rest := 0.0, ""
	for _, c := range compoundSurnames {
		if strings.HasPrefix(s, c) {
			if n < 3 {
				return 0, false
			}
			score, rest = math.Log(compoundShare/(wordStartShare/100)), s[len(c):]
			break
		}
	}
	if rest == "" {
		first, size := utf8.DecodeRuneInString(s)
		if first >= 0x10000 || !nameTab.isSurname[first] || n > 3 {
			return 0, false
		}
		score, rest = float64(nameTab.surname[first])/10, s[size:]
	}
	for _, r := range rest {
		if r >= 0x10000 || !unicode.Is(unicode.Han, r) {
			return 0, false
		}
		score += float64(nameTab.given[r]) / 10
	}
	_, size := utf8.DecodeRuneInString(s)
	if second, _ := utf8.DecodeRuneInString(s[size:]); second < 0x10000 && nameTab.lexicon2[second] && surnameWords[s] {
		score += surnameWordScore
	}
	return score, true
}

// NameContext is what surrounds a candidate token: a cue before it (a
// column named 姓名, the word 联系人) or after it (先生, 女士), and whether a
// word that makes it a place or organization follows it or names its
// column.
type NameContext struct {
	Cue      bool
	PlaceOrg bool
}

// NameScoreIn is NameScore with context: a cue raises the score by
// nameCueBonus, a place or organization context lowers it by
// placeOrgPenalty. Neither decides alone.
func NameScoreIn(s string, ctx NameContext) (float64, bool) {
	score, ok := NameScore(s)
	if !ok {
		return 0, false
	}
	if ctx.Cue {
		score += nameCueBonus
	}
	if ctx.PlaceOrg {
		score += placeOrgPenalty
	}
	return score, true
}

// IsChineseNameIn reports whether the whole token s is a name in context.
func IsChineseNameIn(s string, ctx NameContext) bool {
	score, ok := NameScoreIn(s, ctx)
	return ok && score >= nameThreshold
}

// placeOrgColumns are words in a column name that make its values places,
// organizations or products rather than people.
var placeOrgColumns = []string{"地", "城市", "省", "市", "区", "县", "公司", "企业", "单位", "机构", "品牌", "产品", "商品", "名称", "简称",
	"银行", "学校", "医院", "商户", "门店", "店", "厂", "city", "company", "brand", "product", "region", "place", "org"}

// nameColumnCues are further column names of people (beyond nameNames).
var nameColumnCues = []string{"负责人", "经办人", "签收人", "联络人", "员工", "人员", "person"}

// ColumnNameContext returns the context a column's name gives its values.
func ColumnNameContext(column string) NameContext {
	ctx := NameContext{Cue: nameHas(column, nameNames) || nameHas(column, nameColumnCues)}
	if !ctx.Cue {
		ctx.PlaceOrg = nameHas(column, placeOrgColumns)
	}
	return ctx
}

// placeOrgWords are words that, right after a name-shaped token, make it a
// place or an organization (张家港市, 黄山路, 王府井百货公司).
var placeOrgWords = []string{"公司", "集团", "银行", "大学", "学院", "学校", "医院", "中心", "大厦", "广场", "酒店", "饭店", "商场", "超市",
	"有限", "股份", "科技", "路", "街", "道", "巷", "弄", "市", "省", "区", "县", "镇", "乡", "村", "州", "港", "湾", "山", "河", "湖", "岛",
	"店", "厂", "局", "所", "站", "馆", "院", "部", "处", "委", "办", "牌", "号", "症", "病"}

// honorifics after a token are cues that it is a person's name.
var honorifics = []string{"先生", "女士", "同志", "老师", "医生", "教授", "经理", "小姐"}

// followedByAny reports whether s starts with one of words.
func followedByAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// classifyNameInColumn applies a column's name as context to the name
// decision of ClassifyValue on one of its values v: a cue (姓名) raises the
// score, a place or firm column (城市, 公司) lowers it; other types pass.
func classifyNameInColumn(v string, typ PIIType, ok bool, ctx NameContext) (PIIType, bool) {
	if ok && typ != TypeName || ctx == (NameContext{}) || ok && !ctx.PlaceOrg {
		return typ, ok // a cue only raises: a name without context stays one
	}
	if IsChineseNameIn(v, ctx) {
		return TypeName, true
	}
	return "", false
}
