package web

// zhChoice holds the Chinese messages of the workbench's choices: the
// loss per column, the alternative transformations and the sample run.
var zhChoice = catalogue{
	"report.loss_chart":         "各准标识符的信息损失",
	"report.loss_axis":          "损失（%）",
	"report.loss_caption":       "每一列单独的信息损失，与报告一致（column_loss，ARX 的 Loss）：0% 保留全部取值，100% 不发布任何信息；被抑制的记录按全部损失计。",
	"alt.title":                 "其他可选泛化方案",
	"alt.intro":                 "搜索找到的同样满足隐私模型的其他最优方案，每个方案少泛化一列（↓），代价如表所示。选择一个方案后，任务以该方案的层级作为各列的最高泛化层级重新运行：发布结果再次经过不可逆性门禁检查，通过后签发证书。",
	"alt.intro_sample":          "样本上同样满足隐私模型的其他方案，每个方案少泛化一列（↓）。请在全量任务页面选择。",
	"alt.caption":               "各准标识符的泛化层级、信息损失、增加的损失、最高重识别风险、等价类数与抑制记录数",
	"alt.current":               "当前发布",
	"alt.delta":                 "增加的损失",
	"alt.risk":                  "最高风险",
	"alt.choose":                "选择",
	"alt.choose_n":              "选择方案 %d",
	"alt.held":                  "所选方案（最高泛化层级）",
	"alt.lower":                 "泛化更少",
	"notice.alternative_queued": "正在按所选方案发布：任务重新运行，门禁将再次检查。",
	"stage.alternatives":        "寻找其他泛化方案",
	"sample.run":                "先在样本上预览",
	"sample.help":               "立即在文件的前若干行上运行去标识化和门禁；不保存、不排队。",
	"sample.title":              "前 %d 行样本预览",
	"sample.intro":              "已在文件的前 %d 行上运行去标识化和不可逆性门禁，未保存任何内容。以下数字是样本的，不是全表的。确认无误后，再以任务方式处理全表。",
	"sample.no_solution":        "在样本上，没有任何泛化方案能在抑制上限内满足隐私模型：请降低 k、放宽 l 或 t，或提高抑制上限。",
	"sample.gate":               "样本的不可逆性门禁结果",
	"sample.rows_intro":         "样本的前 %d 行，以及发布后的同一批行。被抑制的行已标出。",
	"sample.full":               "以任务方式处理全表",
}
