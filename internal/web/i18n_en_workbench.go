package web

// enWorkbench holds the English messages of the seller's
// de-identification workbench and the accessible labels of command blocks.
var enWorkbench = catalogue{
	"order.cmd_verify": "Commands to verify the delivery",
	"order.cmd_open":   "Command to open the delivery in one step",
}
