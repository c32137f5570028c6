package web

import (
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
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
	// DB is the pool of datasets, jobs, listings, the catalog, flags and
	// cases (the API's ListingServices.DB and CaseServices.DB).
	DB *pgxpool.Pool
	// LedgerDB and Sequencer read ledger entries and build inclusion
	// proofs (the API's LedgerServices); LedgerDB is also the pool of
	// quotes, orders and keys (the API's OrderServices.DB).
	LedgerDB  *pgxpool.Pool
	Sequencer *postgres.Sequencer
	// Blobs holds the uploaded datasets and released files.
	Blobs *blob.Store
	// Jobs is woken when a de-identification job is queued (may be nil).
	Jobs interface{ Notify() }
	// PlatformKey verifies certificate signatures (the public part is enough).
	PlatformKey *pgp.Key
	// OrderConfig is the platform fee and settlement delay orders are
	// placed under (the API's OrderServices.Config).
	OrderConfig postgres.OrderConfig
	// API is the JSON API's handler: a delivery is sealed by its route
	// GET /v1/orders/{id}/delivery, which the pages call in-process with
	// the visitor's session (buyer_delivery.go). nil: no downloads.
	API http.Handler
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
}

// Handler serves the pages. Build it with New and mount it under Prefix
// (httpapi.Server.Mount); it is safe for concurrent use.
type Handler struct {
	deps   Deps
	log    *slog.Logger
	pages  map[string]map[string]*pageTemplate // lang → page → template
	mux    *http.ServeMux
	logins *loginLimiter
}

// New parses the templates of both languages and registers the routes. It
// returns an error when a template does not parse (a programming error).
func New(deps Deps) (*Handler, error) {
	h := &Handler{deps: deps, log: deps.Logger, mux: http.NewServeMux(), logins: newLoginLimiter(15 * time.Minute)}
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
	h.traceRoutes()
	h.sellerRoutes()
	h.buyerRoutes()
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
