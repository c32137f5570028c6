package market

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// Issue 16: what each unit delivers for the quantity paid.
func TestScopeOf_EachUnitDeliversWhatItSells(t *testing.T) {
	for name, c := range map[string]struct {
		unit      PriceUnit
		qty       string
		selection Selection
		rows      int64
		code      string
	}{
		"a licence delivers the whole release":            {UnitLicence, "1", SelectWholeRelease, 0, ""},
		"months of access deliver the whole release":      {UnitPerMonth, "12", SelectWholeRelease, 0, ""},
		"0.25 thousand rows deliver the first 250 rows":   {UnitPer1000Records, "0.25", SelectFirstRows, 250, ""},
		"3 thousand rows deliver the first 3000 rows":     {UnitPer1000Records, "3", SelectFirstRows, 3000, ""},
		"half a row is not sellable":                      {UnitPer1000Records, "0.0005", "", 0, "quantity_not_sellable"},
		"API calls have no dataset delivery":              {UnitPerCall, "100", "", 0, "unit_not_deliverable"},
		"a unit without a delivery rule is not delivered": {PriceUnit("per_byte"), "1", "", 0, "unit_not_deliverable"},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := ScopeOf(c.unit, decimal.RequireFromString(c.qty))
			if c.code != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != c.code {
					t.Fatalf("ScopeOf(%s, %s) = %+v, %v; want %s", c.unit, c.qty, s, err, c.code)
				}
				return
			}
			if err != nil || s.Selection != c.selection || s.Rows != c.rows || s.Unit != c.unit || s.Quantity.String() != c.qty {
				t.Fatalf("ScopeOf(%s, %s) = %+v, %v; want %s of %d rows", c.unit, c.qty, s, err, c.selection, c.rows)
			}
		})
	}
}

func TestCheckPlanDelivers_PerCallRefusedForADatasetOnly(t *testing.T) {
	var e *Error
	if err := CheckPlanDelivers(ProductDataset, UnitPerCall); !errors.As(err, &e) || e.Code != "unit_not_deliverable" || e.Field != "unit" || e.Kind != ErrRefused {
		t.Errorf("a per_call plan for a dataset: %v, want ErrRefused unit_not_deliverable on unit", err)
	}
	for _, u := range []PriceUnit{UnitLicence, UnitPer1000Records, UnitPerMonth} {
		if err := CheckPlanDelivers(ProductDataset, u); err != nil {
			t.Errorf("a %s plan for a dataset refused: %v", u, err)
		}
	}
	if err := CheckPlanDelivers(ProductAPI, UnitPerCall); err != nil {
		t.Errorf("a per_call plan for an API product refused: %v", err)
	}
}
