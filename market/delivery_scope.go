package market

import (
	"github.com/shopspring/decimal"
)

// Selection is the rule by which an order's delivered content is chosen
// from the certified release.
type Selection string

// Selections.
const (
	// SelectWholeRelease delivers the certified release byte for byte: a
	// licence, or months of access to the dataset.
	SelectWholeRelease Selection = "whole_release"
	// SelectFirstRows delivers the header and the first N data rows of the
	// certified release in release order (N = quantity × 1,000 for a
	// per_1000_records plan), written in the release's format.
	SelectFirstRows Selection = "first_rows"
)

// DeliveryScope is what an order paid for, as the delivery must honour
// it: the plan's unit, the quantity paid for, the selection rule and, for
// rows, how many rows.
type DeliveryScope struct {
	Unit      PriceUnit       `json:"unit"`
	Quantity  decimal.Decimal `json:"quantity"`
	Selection Selection       `json:"selection"`
	// Rows is the number of data rows sold (SelectFirstRows only).
	Rows int64 `json:"rows,omitempty"`
}

// ScopeOf returns what an order for qty of unit delivers (issue 16: what
// is paid is what is delivered):
//
//	licence           the whole certified release
//	per_month         the whole certified release (the months are the access period the licence terms state)
//	per_1000_records  the first qty × 1,000 rows of the release (whole rows, SelectFirstRows)
//	per_call          nothing: API calls are metered access and the platform has no API-access
//	                  delivery, so a dataset delivery is refused (ErrConflict, unit_not_deliverable)
//
// A rows quantity that is not a whole number of rows is refused
// (ErrRefused, quantity_not_sellable), as PricePlan.CheckQuantity does at
// quote time.
func ScopeOf(unit PriceUnit, qty decimal.Decimal) (DeliveryScope, error) {
	s := DeliveryScope{Unit: unit, Quantity: qty, Selection: SelectWholeRelease}
	switch unit {
	case UnitLicence, UnitPerMonth:
		return s, nil
	case UnitPer1000Records:
		rows := qty.Shift(3)
		if !rows.IsInteger() || !rows.IsPositive() {
			e := Errorf(ErrRefused, "quantity_not_sellable", "quantity %s thousand rows is not a whole positive number of rows", qty)
			e.Field = "quantity"
			return DeliveryScope{}, e
		}
		s.Selection, s.Rows = SelectFirstRows, rows.IntPart()
		return s, nil
	case UnitPerCall:
		return DeliveryScope{}, Errorf(ErrConflict, "unit_not_deliverable",
			"a per_call plan sells metered API calls, and the platform has no API-access delivery: a dataset is delivered only for a licence, rows (per_1000_records) or months of access")
	}
	return DeliveryScope{}, Errorf(ErrConflict, "unit_not_deliverable", "unit %q: no delivery is defined for it", unit)
}

// CheckPlanDelivers checks that a plan in unit can be delivered for a
// product of type product: a dataset is delivered as a file (a licence,
// rows or months of access), so a per_call plan — metered API calls, for
// which the platform has no delivery — is refused for it (ErrRefused,
// HTTP 422, code unit_not_deliverable, field unit) when the plan is
// published, before any buyer can pay for calls that would never be
// delivered (issue 16).
func CheckPlanDelivers(product ProductType, unit PriceUnit) error {
	if product == ProductDataset && unit == UnitPerCall {
		e := Errorf(ErrRefused, "unit_not_deliverable",
			"unit: a dataset product is delivered as a file; sell it per licence, per_1000_records (rows) or per_month, not per_call (metered API calls have no delivery)")
		e.Field = "unit"
		return e
	}
	return nil
}
