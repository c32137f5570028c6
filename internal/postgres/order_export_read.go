package postgres

import (
	"encoding/json"
	"fmt"

	"github.com/shujiao/shujiao/market"
)

// scanExportClass sets o.ExportClass from the decision stored in
// order_exports (read in the same query as the order, orderColumns): the
// stored decision of an export; not_export for an order not exported
// (only exports are kept there); nil for an export placed before orders
// were classified under Shaanxi Art. 72.
func scanExportClass(o *market.Order, stored []byte) error {
	switch {
	case stored != nil:
		var d market.ExportDecision
		if err := json.Unmarshal(stored, &d); err != nil {
			return fmt.Errorf("order %s: stored export class: %w", o.ID, err)
		}
		o.ExportClass = &d
	case !o.Export:
		d := market.NotExportDecision()
		o.ExportClass = &d
	}
	return nil
}
