package web

// zhWorkbench holds the Chinese messages of the seller's
// de-identification workbench and the accessible labels of command blocks.
var zhWorkbench = catalogue{
	"order.cmd_verify":       "验证交付的命令",
	"order.cmd_open":         "一步打开交付的命令",
	"wb.caption":             "每列一行：检测结果、若干样本值（标识符已遮盖）、角色及其处理方式",
	"wb.detected":            "检测结果（匹配率）",
	"wb.samples":             "样本值",
	"wb.treatment":           "处理：直接标识符的处理方式，准标识符的泛化层级",
	"wb.role_of":             "列 %s 的角色",
	"wb.action_of":           "列 %s 作为直接标识符时的处理方式",
	"wb.hierarchy_of":        "列 %s 作为准标识符时的泛化层级",
	"wb.presets":             "按发布方式预设",
	"wb.presets_help":        "预设会设定发布方式，并按该方式的风险阈值填写 k（公开发布 20，协议发布 5，受控环境 3）；公开发布且有敏感列时要求 l-多样性，不设 t-接近性，并填写最大抑制比例。角色与泛化层级保持不变。",
	"report.risk_chart":      "记录的检察官再识别风险（发布方式阈值 %s）",
	"report.risk_records":    "记录占比（%）",
	"report.risk_caption":    "每个柱表示风险（1 / 所在等价类大小；被抑制的记录合为一类）落在该区间的发布记录占比；红色区间超过发布方式的阈值。最高风险 %s，平均风险 %s，与报告一致。",
	"cert.title":             "发布文件的去标识化证明",
	"cert.intro":             "买方将核验的内容（《天津市促进大数据发展应用条例》第二十九条）：平台对本证明签名，其中的摘要将证明与原始文件和发布文件绑定。",
	"cert.raw":               "原始文件",
	"cert.release":           "发布文件",
	"cert.checks":            "不可逆性检验的各项检查",
	"cert.passed":            "通过",
	"cert.failed":            "未通过",
	"cert.check.identifier":  "发布数据中不含直接标识符",
	"cert.check.restorable":  "没有可复原为原始值的列",
	"cert.check.risk":        "再识别风险不超过发布方式的阈值",
	"cert.check.homogeneity": "没有敏感值单一的等价类",
	"cert.command":           "离线核验证明的命令",
}
