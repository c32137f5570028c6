package httpapi

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

// AuditLog is the public face of the transaction ledger, in the manner of a
// Certificate Transparency log (RFC 6962 §4): anyone may fetch the latest
// signed head, prove it consistent with an earlier one, prove an entry's
// inclusion by its leaf hash, and read the entries' public facts
// (ledger.PublicEntry). *postgres.AuditLog implements it.
type AuditLog interface {
	// LatestHead returns the latest signed tree head (ErrNotFound: none yet).
	LatestHead(ctx context.Context) (ledger.Head, error)
	// Consistency proves the tree of first leaves a prefix of the tree of
	// second leaves (ErrInvalid unless 0 < first ≤ second ≤ signed size).
	Consistency(ctx context.Context, first, second uint64) ([][]byte, error)
	// ProofByHash returns a leaf's index and audit path in the tree of
	// treeSize leaves (ErrNotFound when no leaf has that hash).
	ProofByHash(ctx context.Context, leafHash []byte, treeSize uint64) (uint64, [][]byte, error)
	// PublicEntries returns the public facts of leaves start..end.
	PublicEntries(ctx context.Context, start, end uint64) ([]ledger.PublicEntry, error)
}

// Default rate of the public auditor API, per client address.
const (
	defaultPublicRate  = 5.0 // requests per second
	defaultPublicBurst = 30
	publicWhat         = "public ledger requests"
)

// publicLedgerRoutes registers the auditor API on the public group: no
// account needed, rate-limited per client address. GET /v1/ledger/entries
// serves both audiences: with start and end, anyone (public facts only);
// without, the authenticated list of routes_ledger.go.
func (s *Server) publicLedgerRoutes(g v1Groups) {
	s.public = newRateLimiter(defaultPublicRate, defaultPublicBurst)
	g.Public.GET("/ledger/entries", s.ledgerEntries)
	lim := s.limit(s.public, publicWhat, byClient)
	g.Public.GET("/ledger/sth", lim, s.getSTH)
	g.Public.GET("/ledger/sth-consistency", lim, s.getSTHConsistency)
	g.Public.GET("/ledger/proof-by-hash", lim, s.getProofByHash)
}

// getSTH answers with the latest signed tree head (RFC 6962 §4.3 get-sth).
func (s *Server) getSTH(c *gin.Context) {
	h, err := s.svc.Audit.LatestHead(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, h)
}

// getSTHConsistency answers with a consistency proof between two tree
// sizes (RFC 6962 §4.4 get-sth-consistency).
func (s *Server) getSTHConsistency(c *gin.Context) {
	first, err := treeSizeQuery(c, "first")
	if err != nil {
		s.fail(c, err)
		return
	}
	second, err := treeSizeQuery(c, "second")
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.svc.Audit.Consistency(c.Request.Context(), first, second)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"first": first, "second": second, "consistency": p})
}

// getProofByHash answers with a leaf's index and audit path (RFC 6962 §4.5
// get-proof-by-hash); hash is the standard base64 of the 32-byte leaf hash.
func (s *Server) getProofByHash(c *gin.Context) {
	raw := c.Query("hash")
	h, err := base64.StdEncoding.DecodeString(raw)
	if raw == "" || err != nil || len(h) != 32 {
		s.fail(c, market.Invalid("hash", "invalid_leaf_hash", "hash must be the standard base64 of a 32-byte leaf hash"))
		return
	}
	size, err := treeSizeQuery(c, "tree_size")
	if err != nil {
		s.fail(c, err)
		return
	}
	idx, path, err := s.svc.Audit.ProofByHash(c.Request.Context(), h, size)
	if err != nil {
		s.fail(c, err)
		return
	}
	writeJSON(c, http.StatusOK, gin.H{"leaf_index": idx, "tree_size": size, "audit_path": path})
}

// ledgerEntries serves GET /v1/ledger/entries: with start or end, the
// public entries (RFC 6962 §4.6 get-entries, rate-limited, no account);
// otherwise the caller's entries with their payloads (authenticated).
func (s *Server) ledgerEntries(c *gin.Context) {
	if c.Query("start") == "" && c.Query("end") == "" {
		if _, ok := callerOf(c); !ok {
			s.requireAuth(c) // answers 401
			return
		}
		s.listLedgerEntries(c)
		return
	}
	if !s.allow(c, s.public, publicWhat, byClient) {
		return
	}
	start, err := treeSizeQuery(c, "start")
	if err != nil {
		s.fail(c, err)
		return
	}
	end, err := treeSizeQuery(c, "end")
	if err != nil {
		s.fail(c, err)
		return
	}
	es, err := s.svc.Audit.PublicEntries(c.Request.Context(), start, end)
	if err != nil {
		s.fail(c, err)
		return
	}
	if es == nil {
		es = []ledger.PublicEntry{}
	}
	writeJSON(c, http.StatusOK, gin.H{"entries": es})
}

// treeSizeQuery reads a required non-negative integer query parameter; a
// missing, malformed or overflowing value is a 400 naming the parameter.
func treeSizeQuery(c *gin.Context, name string) (uint64, error) {
	v := c.Query(name)
	if v == "" {
		return 0, market.Invalid(name, "missing_parameter", "%s (a number of leaves) is required", name)
	}
	n, err := strconv.ParseUint(v, 10, 63)
	if err != nil {
		return 0, market.Invalid(name, "invalid_parameter", "%s must be a whole number from 0 to 2^63−1", name)
	}
	return n, nil
}
