package web

// zhWorkbench holds the Chinese messages of the seller's
// de-identification workbench and the accessible labels of command blocks.
var zhWorkbench = catalogue{
	"order.cmd_verify":    "验证交付的命令",
	"order.cmd_open":      "一步打开交付的命令",
	"wb.caption":          "每列一行：检测结果、若干样本值（标识符已遮盖）、角色及其处理方式",
	"wb.detected":         "检测结果（匹配率）",
	"wb.samples":          "样本值",
	"wb.treatment":        "处理：直接标识符的处理方式，准标识符的泛化层级",
	"wb.role_of":          "列 %s 的角色",
	"wb.action_of":        "列 %s 作为直接标识符时的处理方式",
	"wb.hierarchy_of":     "列 %s 作为准标识符时的泛化层级",
	"wb.presets":          "按发布方式预设",
	"wb.presets_help":     "预设会设定发布方式，并按该方式的风险阈值填写 k（公开发布 20，协议发布 5，受控环境 3）；公开发布且有敏感列时要求 l-多样性，不设 t-接近性，并填写最大抑制比例。角色与泛化层级保持不变。",
	"report.risk_chart":   "记录的检察官再识别风险（发布方式阈值 %s）",
	"report.risk_records": "记录占比（%）",
	"report.risk_caption": "每个柱表示风险（1 / 所在等价类大小；被抑制的记录合为一类）落在该区间的发布记录占比；红色区间超过发布方式的阈值。最高风险 %s，平均风险 %s，与报告一致。",
}
