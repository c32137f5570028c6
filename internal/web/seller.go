package web

func (h *Handler) sellerRoutes() {}
func (h *Handler) buyerRoutes()  {}
