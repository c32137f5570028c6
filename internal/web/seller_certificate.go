package web

import (
	"github.com/google/uuid"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/market"
)

// certView is a release's certificate as the seller sees it before
// listing: what the buyer will verify (Tianjin Art. 29), each gate check
// with its outcome, the two file digests and the offline command.
type certView struct {
	productView
	Checks []certCheck
}

// certCheck is one check of the irreversibility gate and whether the
// release passed it (no reason of that check in the gate's verdict).
type certCheck struct {
	Check  string
	Passed bool
}

// gateChecks are the checks the gate runs, in the order it runs them.
var gateChecks = []string{anonymizer.CheckIdentifier, anonymizer.CheckRestorable, anonymizer.CheckRisk, anonymizer.CheckHomogeneity}

// certificateView loads the certificate id (nil when it is not found) and
// lists the gate's checks.
func (h *Handler) certificateView(rc *reqCtx, a market.Actor, id uuid.UUID) (*certView, error) {
	var v certView
	if err := h.loadCertificate(rc, a, id, &v.productView); err != nil || v.Cert == nil {
		return nil, err
	}
	if v.Body == nil || v.Body.Gate == nil {
		return &v, nil
	}
	for _, c := range gateChecks {
		v.Checks = append(v.Checks, certCheck{Check: c, Passed: !gateFailed(v.Body.Gate, c)})
	}
	return &v, nil
}

func gateFailed(g *anonymizer.GateResult, check string) bool {
	for _, r := range g.Reasons {
		if r.Check == check {
			return true
		}
	}
	return false
}
