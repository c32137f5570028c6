package web

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/delivery"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the pages are mounted.
const Prefix = "/ui"

// Deps are the services the pages call: the same ones the JSON API is
// built from (httpapi.Services).
type Deps struct {
	Accounts *market.Accounts
	// Stores are the storage ports (the API's Services.Stores).
	Stores market.Stores
	// Ledger reads ledger entries and builds inclusion proofs (the API's
	// LedgerServices.Log).
	Ledger ledger.Log
	// Blobs holds the uploaded datasets and released files.
	Blobs *blob.Store
	// Jobs queues de-identification jobs on River (the API's
	// ListingServices.Jobs; nil: a job is only stored).
	Jobs httpapi.JobQueue
	// PlatformKey verifies certificate signatures (the public part is enough).
	PlatformKey *pgp.Key
	// Orders places and moves orders (the API's OrderServices.Orders).
	Orders *market.Orders
	// Delivery seals deliveries and issues their download links (the API's
	// OrderServices.Delivery). nil: no downloads.
	Delivery *delivery.Service
	// Trace traces leaked files for the regulator's trace page (nil: the
	// page says the server keeps no fingerprinted copies).
	Trace Tracer
	// MaxUpload limits a dataset upload in bytes (0: 2 GiB).
	MaxUpload int64
	// SecureCookies marks the session cookie Secure on plain HTTP.
	SecureCookies bool
	Logger        *slog.Logger
	// Now is the clock (default time.Now).
	Now func() time.Time
	// GovData is the government data service (the API's Services.GovData);
	// nil: no /ui/gov pages.
	GovData *govdata.Service
	// Procedures runs the Administrative Penalty Law procedure of cases
	// (the API's Services.Procedures).
	Procedures *market.Procedures
}

// Handler serves the pages. Build it with New and mount it under Prefix
// (httpapi.Server.Mount); it is safe for concurrent use.
type Handler struct {
	deps  Deps
	uc    useCases // the market services over deps.Stores (usecases.go)
	log   *slog.Logger
	pages map[string]map[string]*pageTemplate // lang → page → template
	mux   *http.ServeMux
}

// New parses the templates of both languages and registers the routes. It
// returns an error when a template does not parse (a programming error).
func New(deps Deps) (*Handler, error) {
	h := &Handler{deps: deps, uc: newUseCases(deps.Stores), log: deps.Logger, mux: http.NewServeMux()}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.deps.MaxUpload <= 0 {
		h.deps.MaxUpload = 2 << 30
	}
	var err error
	if h.pages, err = parsePages(); err != nil {
		return nil, fmt.Errorf("web templates: %w", err)
	}
	static, _ := fs.Sub(staticFS, "static")
	h.mux.Handle("GET "+Prefix+"/static/", http.StripPrefix(Prefix+"/static/", cacheStatic(http.FileServerFS(static))))
	h.routes()
	return h, nil
}

// ServeHTTP answers one page request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	h.mux.ServeHTTP(w, r)
}

// routes registers every page; each area adds its own block.
func (h *Handler) routes() {
	h.handle("GET "+Prefix+"/{$}", h.home)
	h.handle("GET "+Prefix, h.home)
	h.handle("GET "+Prefix+"/login", h.loginForm)
	h.handle("POST "+Prefix+"/login", h.login)
	h.handle("POST "+Prefix+"/logout", h.logout)
	h.catalogRoutes()
	h.regulatorRoutes()
	h.procedureRoutes()
	h.traceRoutes()
	h.sellerRoutes()
	h.buyerRoutes()
	h.govRoutes() // govdata*.go
	h.handle(Prefix+"/", h.notFound)
}

// handle registers a page handler: fn gets the request's context (actor,
// language) and returns an error, which is rendered as an error page.
func (h *Handler) handle(pattern string, fn func(*reqCtx) error) {
	h.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		rc := h.newReqCtx(w, r)
		if err := fn(rc); err != nil {
			h.fail(rc, err)
		}
	})
}

func (h *Handler) now() time.Time {
	if h.deps.Now != nil {
		return h.deps.Now().UTC()
	}
	return time.Now().UTC()
}

func (h *Handler) home(rc *reqCtx) error {
	a, ok := rc.actor()
	switch {
	case !ok:
		return rc.redirect(Prefix + "/login")
	case a.Can(market.RoleRegulator):
		return rc.redirect(Prefix + "/regulator/flags")
	case a.Can(market.RoleSeller):
		return rc.redirect(Prefix + "/seller")
	case a.Can(market.RoleBuyer):
		return rc.redirect(Prefix + "/buyer")
	case a.Can(market.RoleCoordinator):
		return rc.redirect(Prefix + "/gov/coordinator")
	case a.Can(market.RoleDepartment):
		return rc.redirect(Prefix + "/gov/department")
	}
	return rc.redirect(Prefix + "/catalog")
}

func (h *Handler) notFound(rc *reqCtx) error {
	return market.Errorf(market.ErrNotFound, "page_not_found", "no page %s", rc.r.URL.Path)
}

// cacheStatic lets browsers keep the embedded assets for an hour.
func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}
