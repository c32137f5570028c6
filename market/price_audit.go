package market

import "github.com/google/uuid"

// PriceAudit is the outcome of a batch Shaanxi Art. 37 audit: the
// detector's result and the ids of the flags it raised for regulators
// (findings already flagged by an earlier audit are not raised twice).
type PriceAudit struct {
	AuditResult
	FlagIDs []uuid.UUID `json:"flag_ids"`
}
