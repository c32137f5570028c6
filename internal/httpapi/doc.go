// Package httpapi serves Shujiao's JSON API under /v1 with gin: request ids,
// an access log, panic recovery, body size limits, authentication by bearer
// API token or session cookie (with CSRF protection on unsafe methods), and
// errors as RFC 9457 problem details mapped from market's error kinds in one
// table (internal/errkind, shared with the pages). It also serves /healthz,
// /readyz and /metrics.
//
// Handlers decode, call a market service (market.Orders, market.Accounts,
// market.Listings, market.Quotes, market.Cases, internal/delivery) or a
// read port of market.Stores, and encode; they never import
// internal/postgres. cmd/shujiao wires the implementations; New builds the
// Listings, Quotes and Cases services over Services.Stores (usecases.go).
//
// Adding a route group: write routes_<group>.go with a method
// func (s *Server) <group>Routes(g v1Groups) that registers its handlers on
// g.Public or g.Authed, add one line calling it in registerRoutes
// (router.go), a service field in Services when the group needs one, and
// the routes to api/openapi.yaml (TestOpenAPI_MatchesRouter checks).
// Handlers get the caller with actor(c), gate roles with requireRole(...),
// check parties with actor(c).RequireReadParty(id), read bodies with
// bindJSON and answer errors with s.fail(c, err).
//
// Components outside the package (the web pages) are served with
// Server.Mount(prefix, handler): same middleware, caller on the request
// context (market.ActorFromContext).
package httpapi
