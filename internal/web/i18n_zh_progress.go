package web

// zhProgress holds the Chinese messages of a job's progress (issue 19).
var zhProgress = catalogue{
	"job.phase":     "当前环节",
	"job.rows_read": "已读取行数",
	"phase.read":    "读取数据",
	"phase.search":  "搜索最优泛化",
	"phase.check":   "不可逆性检验",
	"phase.write":   "写出发布文件",
}
