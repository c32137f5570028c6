package market

// JurisdictionOverseas is the jurisdiction of a party outside the mainland
// (Hong Kong, Macao and Taiwan included: data sent there is exported).
const JurisdictionOverseas = "overseas"

// Provinces maps each mainland provincial-level division code of GB/T 2260
// to its name.
var Provinces = map[string]string{
	"11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
	"21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
	"31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
	"41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
	"50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
	"61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
}

// ValidateJurisdiction checks that j is a mainland province code of
// GB/T 2260 or "overseas". It returns an ErrInvalid *Error for field
// "jurisdiction" otherwise.
func ValidateJurisdiction(j string) error {
	if j == JurisdictionOverseas {
		return nil
	}
	if _, ok := Provinces[j]; ok {
		return nil
	}
	if j == "" {
		return Invalid("jurisdiction", "missing_field", "jurisdiction is required: a province code such as \"61\" (Shaanxi) or \"overseas\"")
	}
	return Invalid("jurisdiction", "invalid_jurisdiction",
		"jurisdiction %q is neither a mainland province code of GB/T 2260 (such as \"61\" Shaanxi) nor \"overseas\"", j)
}
