package web

// enWorkbench holds the English messages of the seller's
// de-identification workbench and the accessible labels of command blocks.
var enWorkbench = catalogue{
	"order.cmd_verify":       "Commands to verify the delivery",
	"order.cmd_open":         "Command to open the delivery in one step",
	"wb.caption":             "One row per column: what detection found, a few of its values (identifiers masked), the role and its treatment",
	"wb.detected":            "Detected (match rate)",
	"wb.samples":             "Sample values",
	"wb.treatment":           "Treatment: action of a direct identifier, hierarchy of a quasi-identifier",
	"wb.role_of":             "Role of column %s",
	"wb.action_of":           "Action on column %s if it is a direct identifier",
	"wb.hierarchy_of":        "Hierarchy of column %s if it is a quasi-identifier",
	"wb.presets":             "Presets by release mode",
	"wb.presets_help":        "A preset sets the mode and fills k from the mode's risk threshold (20 public, 5 agreement, 3 enclave), l-diversity for a public release with sensitive columns, no t-closeness, and the suppression limit. Roles and hierarchies are kept.",
	"report.risk_chart":      "Prosecutor risk of the records (mode threshold %s)",
	"report.risk_records":    "Share of records (%)",
	"report.risk_caption":    "Each bar is the share of released records whose risk (1 / size of its class; suppressed records one class) lies in its range; red ranges exceed the release mode's threshold. Highest risk %s, mean %s, as in the report.",
	"cert.title":             "Certificate of the release",
	"cert.intro":             "What a buyer will verify (Tianjin Art. 29): the platform signs this certificate; its digests bind it to your raw file and to the released file.",
	"cert.raw":               "Raw file",
	"cert.release":           "Released file",
	"cert.checks":            "Checks of the irreversibility gate",
	"cert.passed":            "passed",
	"cert.failed":            "failed",
	"cert.check.identifier":  "No direct identifier left in the release",
	"cert.check.restorable":  "No column restorable to the raw values",
	"cert.check.risk":        "Re-identification risk within the mode's threshold",
	"cert.check.homogeneity": "No class with a single sensitive value",
	"cert.command":           "Command to verify the certificate offline",
}
