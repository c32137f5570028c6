package web

// enProgress holds the English messages of a job's progress (issue 19).
var enProgress = catalogue{
	"job.phase":     "Phase",
	"job.rows_read": "Rows read",
	"phase.read":    "reading the dataset",
	"phase.search":  "searching for the optimal generalization",
	"phase.check":   "irreversibility check",
	"phase.write":   "writing the release",
}
