package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/shujiao/shujiao/market"
	"github.com/shujiao/shujiao/market/govdata"
)

// Config holds the server's settings; zero fields take the defaults.
type Config struct {
	// MaxBodyBytes limits request bodies (default 1 MiB); routes that take
	// uploads raise their own limit with s.setBodyLimit.
	MaxBodyBytes int64
	// ReadHeaderTimeout, ReadTimeout, WriteTimeout and IdleTimeout are the
	// http.Server timeouts (defaults 10 s, 60 s, 60 s, 120 s).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds how long Serve drains requests after its
	// context ends (default 15 s).
	ShutdownTimeout time.Duration
	// SecureCookies marks the session cookie Secure even on plain HTTP
	// (behind a TLS-terminating proxy). Over TLS it is always Secure.
	SecureCookies bool
	// Version is reported by /healthz.
	Version string
	// MaxDeposit is the largest single simulated deposit (default
	// market.DefaultMaxDeposit).
	MaxDeposit market.Money
}

func (c *Config) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	def(&c.ReadHeaderTimeout, 10*time.Second)
	def(&c.ReadTimeout, 60*time.Second)
	def(&c.WriteTimeout, 60*time.Second)
	def(&c.IdleTimeout, 120*time.Second)
	def(&c.ShutdownTimeout, 15*time.Second)
	if !c.MaxDeposit.Decimal().IsPositive() {
		c.MaxDeposit = market.DefaultMaxDeposit
	}

}

// Pinger reports whether the database answers (a *pgxpool.Pool is one).
type Pinger interface {
	Ping(ctx context.Context) error
}

// Services are the domain services the handlers call. Each route group adds
// the field it needs, one line each.
type Services struct {
	Accounts *market.Accounts
	// Stores are the storage ports the handlers reach through market.
	Stores   market.Stores
	Listings *ListingServices // datasets, jobs, certificates, listings, catalog, rule sets
	Ledger   *LedgerServices  // transaction ledger proofs and heads, money accounts and deposits
	Cases    *CaseServices    // regulator flags and cases, correction orders, penalties, calendar
	Orders   *OrderServices   // price plans, quotes, orders, escrow, deliveries, OpenPGP keys
	GovData  *govdata.Service // government data catalog, applications, objections (routes_govdata*.go, routes_ckan.go)
	// Procedures runs the Administrative Penalty Law procedure of cases.
	Procedures *market.Procedures
	Trace      Tracer   // tracing leaked files to fingerprinted copies (nil: 503)
	Audit      AuditLog // the public auditor API over the ledger (routes_ledger_public.go)
	// Replica serves the read-only catalog routes from a streaming replica
	// (replica.go); nil: the primary serves them.
	Replica *ReplicaServices
}

// Deps are what the server is built from.
type Deps struct {
	Logger   *slog.Logger // nil: discard
	DB       Pinger       // checked by /readyz
	Replica  Pinger       // the read replica (Services.Replica), reported by /readyz; nil: none
	Services Services
	// Foreground counts every request in while it is answered (the
	// background work of the server gives way to them); nil: none.
	Foreground Foreground
	// Registry receives the HTTP metrics and is served at /metrics; nil: a
	// new registry with the Go and process collectors.
	Registry *prometheus.Registry
}

// Foreground counts requests in flight: Enter when one starts, the
// function it returns when it ends (*jobs.Foreground).
type Foreground interface {
	Enter() (leave func())
}

// Server is the HTTP API. Build it with New; it is safe for concurrent use.
type Server struct {
	cfg        Config
	log        *slog.Logger
	db         Pinger
	replica    Pinger
	svc        Services
	uc         useCases // the market services over svc.Stores (usecases.go)
	registry   *prometheus.Registry
	metrics    *httpMetrics
	engine     *gin.Engine
	bodyLimits map[string]int64 // route pattern → body limit, for uploads
	public     *rateLimiter     // the public auditor API, per client address
	heads      *rateLimiter     // per-party quota on signed-head requests (quota.go)
	flags      *rateLimiter     // per-party quota on flag-raising requests (quota.go)
}

var ginMode sync.Once

// New builds the server and its routes.
func New(cfg Config, deps Deps) *Server {
	ginMode.Do(func() { gin.SetMode(gin.ReleaseMode) })
	cfg.setDefaults()
	s := &Server{cfg: cfg, log: deps.Logger, db: deps.DB, replica: deps.Replica, svc: deps.Services, registry: deps.Registry,
		bodyLimits: map[string]int64{}, uc: newUseCases(deps.Services.Stores)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.registry == nil {
		s.registry = prometheus.NewRegistry()
		s.registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s.metrics = newHTTPMetrics(s.registry)
	s.engine = gin.New()
	s.engine.HandleMethodNotAllowed = true
	s.engine.ContextWithFallback = true
	_ = s.engine.SetTrustedProxies(nil) // the client address is the peer's, never a header's
	if fg := deps.Foreground; fg != nil {
		s.engine.Use(func(c *gin.Context) {
			leave := fg.Enter()
			defer leave()
			c.Next()
		})
	}
	s.engine.Use(s.requestID, s.accessLog, s.recoverPanic, s.limitBody, s.guardInput)
	s.registerRoutes(s.engine)
	return s
}

// Handler returns the server as an http.Handler (for tests and for mounting).
func (s *Server) Handler() http.Handler { return s.engine }

// Serve answers requests on ln until ctx ends, then stops accepting, drains
// the requests in flight (up to Config.ShutdownTimeout) and returns nil. It
// returns an error if the listener fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s.engine,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve http: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("http: shutting down, draining requests", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		return fmt.Errorf("serve http: %w", serr)
	}
	if err != nil {
		_ = hs.Close()
		return fmt.Errorf("drain http requests: %w", err)
	}
	return nil
}

// setBodyLimit gives the route pattern (as registered, e.g. "/v1/datasets")
// its own request body limit, for uploads. Call it while registering routes.
func (s *Server) setBodyLimit(pattern string, n int64) { s.bodyLimits[pattern] = n }
