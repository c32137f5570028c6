package web

import (
	"errors"
	"net/http"

	"github.com/shujiao/shujiao/internal/ledger"
	"github.com/shujiao/shujiao/market"
)

// proofView is one ledger entry with its inclusion proof against the
// latest signed tree head, and whether the proof checks out here.
type proofView struct {
	Entry    ledger.StoredEntry
	LeafData string
	Proof    ledger.InclusionProof
	// Verified: the leaf hash recomputed from the entry, folded with the
	// proof's hashes, gives the head's root, and the head's signature
	// verifies with the platform key.
	Verified bool
}

// ledgerProof shows the inclusion proof of one ledger entry (GET
// /v1/ledger/entries/{id}/proof): a regulator reads every party's entries.
func (h *Handler) ledgerProof(rc *reqCtx) error {
	if _, err := rc.require(market.RoleRegulator); err != nil {
		return err
	}
	id, err := rc.pathID("id")
	if err != nil {
		return err
	}
	ctx := rc.r.Context()
	e, err := h.deps.Ledger.Entry(ctx, id)
	if err != nil {
		return err
	}
	p, err := h.deps.Ledger.Proof(ctx, id)
	if err != nil {
		return err
	}
	data, err := ledger.LeafData(e.Entry, p.LeafIndex)
	if err != nil {
		return err
	}
	e.LeafIndex = &p.LeafIndex
	v := proofView{Entry: e, LeafData: string(data), Proof: p}
	v.Verified = h.verifyInclusion(e.Entry, p) == nil
	return rc.render(http.StatusOK, "reg_proof", "proof.title", &page{Data: v})
}

// verifyInclusion checks the proof as an auditor would: the leaf hash from
// the entry itself, the path to the signed root, the head's signature.
func (h *Handler) verifyInclusion(e ledger.Entry, p ledger.InclusionProof) error {
	leaf, err := ledger.LeafHash(e, p.LeafIndex)
	if err != nil {
		return err
	}
	if err := ledger.VerifyInclusion(p.LeafIndex, p.Head.Size, leaf, p.Hashes, p.Head.Root); err != nil {
		return err
	}
	if h.deps.PlatformKey == nil {
		return errNoKey
	}
	return ledger.VerifyHead(h.deps.PlatformKey, p.Head)
}

// errNoKey: the pages were built without the platform's public key.
var errNoKey = errors.New("no platform key to verify signatures")
