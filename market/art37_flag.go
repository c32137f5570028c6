package market

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// RegulatorFlag turns an Art. 37 finding into a regulator's Flag (status
// open, a new id): party is the seller at fault, listing the listing if the
// platform knows it, and the whole PriceFlag becomes the Evidence. It
// returns an error only if the evidence cannot be encoded.
func (f PriceFlag) RegulatorFlag(party PartyID, listing *uuid.UUID, at time.Time) (Flag, error) {
	ev, err := json.Marshal(f)
	if err != nil {
		return Flag{}, fmt.Errorf("encode Art. 37 evidence: %w", err)
	}
	return Flag{ID: NewID(), Rule: f.Rule, Article: f.Article, Kind: f.Kind, PartyID: party, ListingID: listing,
		Summary: f.Reason, Evidence: ev, Status: FlagOpen, CreatedAt: at.UTC()}, nil
}
