package web

// enChoice holds the English messages of the workbench's choices: the
// loss per column, the alternative transformations and the sample run.
var enChoice = catalogue{
	"report.loss_chart":         "Information loss of each quasi-identifier",
	"report.loss_axis":          "Loss (%)",
	"report.loss_caption":       "The loss of each column alone, as in the report (column_loss, ARX's Loss): 0% keeps every value, 100% releases nothing of it; a suppressed record counts whole.",
	"alt.title":                 "Other transformations",
	"alt.intro":                 "The best transformations the search found that also satisfy the privacy models, each generalizing a column less (↓) at the cost shown. Choosing one runs the job again with its levels as the most each column may be generalized: the release is checked again by the irreversibility gate and, when it passes, certified.",
	"alt.intro_sample":          "On the sample: the best other transformations that also satisfy the privacy models, each generalizing a column less (↓). Choose on the full run's page.",
	"alt.caption":               "Generalization level of each quasi-identifier, information loss, extra loss, highest prosecutor risk, classes and suppressed records",
	"alt.current":               "released",
	"alt.delta":                 "Extra loss",
	"alt.risk":                  "Highest risk",
	"alt.choose":                "Choose",
	"alt.choose_n":              "Choose transformation %d",
	"alt.held":                  "Chosen transformation (highest levels)",
	"alt.lower":                 "less generalized",
	"notice.alternative_queued": "The chosen transformation is being released: the job runs again and the gate checks it.",
	"stage.alternatives":        "looking for other transformations",
	"sample.run":                "Preview on a sample",
	"sample.help":               "Runs the anonymizer and the gate on the file's first rows, here and now; nothing is stored or queued.",
	"sample.title":              "Preview on the first %d rows",
	"sample.intro":              "The anonymizer and the irreversibility gate ran on the first %d rows of your file; nothing was stored. The figures are the sample's, not the whole table's. When it looks right, run the full table as a job.",
	"sample.no_solution":        "On the sample, no transformation satisfies the privacy models within the suppression limit: lower k, relax l or t, or allow more suppression.",
	"sample.gate":               "Irreversibility gate on the sample",
	"sample.rows_intro":         "The first %d rows of the sample, and the same rows released. Suppressed rows are marked.",
	"sample.full":               "Run the full table as a job",
}
