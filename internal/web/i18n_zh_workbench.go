package web

// zhWorkbench holds the Chinese messages of the seller's
// de-identification workbench and the accessible labels of command blocks.
var zhWorkbench = catalogue{
	"order.cmd_verify": "验证交付的命令",
	"order.cmd_open":   "一步打开交付的命令",
	"wb.caption":       "每列一行：检测结果、若干样本值（标识符已遮盖）、角色及其处理方式",
	"wb.detected":      "检测结果（匹配率）",
	"wb.samples":       "样本值",
	"wb.treatment":     "处理：直接标识符的处理方式，准标识符的泛化层级",
	"wb.role_of":       "列 %s 的角色",
	"wb.action_of":     "列 %s 作为直接标识符时的处理方式",
	"wb.hierarchy_of":  "列 %s 作为准标识符时的泛化层级",
	"wb.presets":       "按发布方式预设",
	"wb.presets_help":  "预设会设定发布方式，并按该方式的风险阈值填写 k（公开发布 20，协议发布 5，受控环境 3）；公开发布且有敏感列时要求 l-多样性，不设 t-接近性，并填写最大抑制比例。角色与泛化层级保持不变。",
}
