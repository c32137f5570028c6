package web

// enDelivery holds the English messages of a delivery sealed in the
// background (issue 18).
var enDelivery = catalogue{
	"dstate.sealing":       "Being sealed",
	"dstate.ready":         "Ready",
	"dstate.key_required":  "Waiting for your key",
	"dstate.failed":        "Could not be sealed",
	"order.delivery_state": "Delivery",
	"order.sealing_help":   "The data is being encrypted to your key and signed; this takes a moment. Reload the page to see when it is ready.",
	"order.reload":         "Reload",
	"order.failed_help":    "The delivery could not be sealed, so the order was refunded to you:",
}

// zhDelivery holds the Chinese messages of a delivery sealed in the
// background (issue 18).
var zhDelivery = catalogue{
	"dstate.sealing":       "正在封装",
	"dstate.ready":         "可下载",
	"dstate.key_required":  "等待登记公钥",
	"dstate.failed":        "封装失败",
	"order.delivery_state": "交付",
	"order.sealing_help":   "正在用您的公钥加密并签名交付文件，请稍候；刷新页面查看是否已可下载。",
	"order.reload":         "刷新",
	"order.failed_help":    "交付文件无法封装，订单款项已退还给您：",
}
