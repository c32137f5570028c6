package web

// zhWorkbench holds the Chinese messages of the seller's
// de-identification workbench and the accessible labels of command blocks.
var zhWorkbench = catalogue{
	"order.cmd_verify": "验证交付的命令",
	"order.cmd_open":   "一步打开交付的命令",
}
