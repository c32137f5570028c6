package anonymizer

// Word lists of the synthetic population generator. Weights are rough
// shares, enough for realistic skew (a few common surnames, diagnoses that
// grow with age), not census figures.

// synthSurnames are common surnames, most frequent first; the generator
// draws them with Zipf-like weights.
var synthSurnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
	"余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈",
	"姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟",
	"熊", "秦", "邱", "江", "尹", "薛", "闫", "段", "雷", "侯",
	"龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
	"万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
	"欧阳", "司马", "诸葛", "上官",
}

// synthGivenMale and synthGivenFemale are characters of given names.
var (
	synthGivenMale = []string{
		"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超",
		"刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "斌", "宇",
		"浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林",
		"欣", "建", "国", "志", "文", "海", "东", "峰", "亮", "晨",
	}
	synthGivenFemale = []string{
		"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲",
		"燕", "婷", "雪", "慧", "莹", "琳", "倩", "颖", "洁", "佳",
		"梅", "兰", "晶", "欣", "怡", "萍", "红", "月", "琴", "蕾",
		"璐", "瑶", "雯", "悦", "晓", "丹", "露", "楠", "妍", "彤",
	}
)

// synthMobilePrefixes are mobile number prefixes allocated to the three
// carriers and their virtual operators.
var synthMobilePrefixes = []string{
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
	"145", "147", "150", "151", "152", "153", "155", "156", "157", "158",
	"159", "166", "173", "175", "176", "177", "178", "180", "181", "182",
	"183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
}

// synthEducation is ordered from least to most schooling; minAge is the
// youngest age at which it is reached.
var synthEducation = []struct {
	name   string
	minAge int
	weight int
	income int // median annual income in yuan at this level
}{
	{"小学", 12, 10, 30000},
	{"初中", 15, 25, 42000},
	{"高中", 18, 18, 52000},
	{"中专", 18, 8, 55000},
	{"大专", 21, 14, 68000},
	{"本科", 22, 19, 96000},
	{"硕士", 25, 5, 150000},
	{"博士", 28, 1, 210000},
}

// synthOccupations lists occupations by the least schooling they need (an
// index into synthEducation).
var synthOccupations = []struct {
	name   string
	minEdu int
}{
	{"农民", 0}, {"工人", 0}, {"建筑工人", 0}, {"快递员", 1}, {"司机", 1},
	{"厨师", 1}, {"保安", 1}, {"个体经营", 1}, {"销售", 2}, {"服务员", 1},
	{"护士", 3}, {"会计", 4}, {"文员", 4}, {"技术员", 3}, {"公务员", 5},
	{"教师", 5}, {"工程师", 5}, {"程序员", 5}, {"医生", 5}, {"律师", 5},
	{"研究员", 6}, {"大学教师", 6}, {"经理", 4}, {"设计师", 4},
}

// synthDiagnoses are ICD-10 diagnoses with the age from which they are
// common; "健康体检" is the diagnosis of a healthy visit.
var synthDiagnoses = []struct {
	name   string
	minAge int
	weight int
}{
	{"健康体检", 0, 30}, {"上呼吸道感染", 0, 14}, {"急性胃肠炎", 0, 6},
	{"过敏性鼻炎", 0, 5}, {"支气管哮喘", 0, 3}, {"肺炎", 0, 3},
	{"骨折", 0, 2}, {"抑郁症", 14, 2}, {"焦虑症", 14, 2},
	{"慢性胃炎", 20, 5}, {"腰椎间盘突出症", 25, 4}, {"甲状腺功能亢进症", 20, 2},
	{"乙型病毒性肝炎", 18, 2}, {"痛风", 30, 2}, {"偏头痛", 15, 2},
	{"高血压", 35, 12}, {"2型糖尿病", 35, 8}, {"高脂血症", 35, 5},
	{"冠心病", 45, 5}, {"脑梗死", 50, 3}, {"慢性阻塞性肺疾病", 50, 3},
	{"骨质疏松症", 50, 3}, {"阿尔茨海默病", 65, 1}, {"肺恶性肿瘤", 50, 1},
}
