package anonymizer

import "strings"

// Column-name keywords, matched case-insensitively as substrings.
var (
	// identifyingNames name columns of direct identifiers.
	identifyingNames = []string{"身份证", "证件号", "证件号码", "手机", "电话", "联系方式", "邮箱", "email", "e-mail", "mail",
		"姓名", "名字", "联系人", "银行卡", "卡号", "账号", "帐号", "车牌", "护照", "通行证", "住址", "地址", "家庭住址",
		"imei", "mac", "ip地址", "设备号", "社会信用代码", "信用代码", "id_card", "idcard", "id_no", "phone", "mobile",
		"tel", "telephone", "cellphone", "name", "address", "passport", "plate", "card_no", "account", "ssn"}
	// quasiNames name columns of quasi-identifiers (GB/T 42460-2023 §3).
	quasiNames = []string{"出生", "生日", "年龄", "性别", "民族", "籍贯", "户籍", "职业", "岗位", "学历", "文化程度", "婚姻",
		"邮编", "邮政编码", "行政区划", "区划", "地区", "省份", "城市", "区县", "工作单位", "单位", "国籍", "身高", "体重",
		"birth", "dob", "age", "sex", "gender", "race", "ethnic", "occupation", "job", "education", "marital",
		"zip", "postcode", "postal", "region", "city", "province", "county", "country", "workclass", "nationality"}
	// sensitiveNames name columns of sensitive personal information (PIPL
	// Art. 28: health, financial accounts and assets, religion, biometrics,
	// whereabouts, minors) and income.
	sensitiveNames = []string{"诊断", "疾病", "病史", "病情", "症状", "用药", "处方", "检查结果", "健康", "收入", "工资", "薪",
		"存款", "余额", "资产", "负债", "信用", "征信", "宗教", "信仰", "犯罪", "违法", "指纹", "基因", "性取向", "行踪",
		"diagnosis", "disease", "illness", "medical", "health", "salary", "income", "wage", "balance", "religion", "credit",
		"criminal", "salary-class", "diagnoses", "wages", "incomes"}
	// birthNames name columns of dates of birth.
	birthNames = []string{"出生", "生日", "birth", "dob"}
	// nameNames name columns of personal names.
	nameNames = []string{"姓名", "名字", "联系人", "患者", "客户", "申请人", "收件人", "收货人", "持卡人", "户主", "法定代表人", "name"}
	// keyNames name columns of record keys (unique per row).
	keyNames = []string{"编号", "号码", "序号", "id", "no", "code", "key", "账号", "单号"}
)

// nameHas reports whether the column name holds one of the keywords: a
// Chinese keyword (or one with a separator) anywhere, an ASCII word as a
// whole word ("age" in "patient_age", not in "page").
func nameHas(column string, keywords []string) bool {
	c := strings.ToLower(column)
	words := strings.FieldsFunc(c, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	for _, k := range keywords {
		if isASCIIWord(k) {
			for _, w := range words {
				if w == k {
					return true
				}
			}
		} else if strings.Contains(c, k) {
			return true
		}
	}
	return false
}

func isASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}
