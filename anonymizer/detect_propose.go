package anonymizer

import "fmt"

// proposeRole chooses a column's role from what detection found and from its
// name. Direct identifiers in most values, or inside the free text of many
// cells, make it identifying (Tianjin Art. 29: no specific data provider may
// be identifiable); quasi-identifier values or names make it quasi; names of
// sensitive personal information (PIPL Art. 28) make it sensitive; anything
// else is insensitive.
func proposeRole(cd ColumnDetection) (Role, float64, string) {
	if cd.NonEmpty == 0 {
		return RoleInsensitive, 0.5, "no values"
	}
	var direct, quasi *TypeMatch
	for i := range cd.Types {
		m := &cd.Types[i]
		if m.Type.Direct() && direct == nil {
			direct = m
		}
		if !m.Type.Direct() && quasi == nil {
			quasi = m
		}
	}
	freeDirect := 0.0
	var freeType PIIType
	for _, h := range cd.FreeTextHits {
		if h.Type.Direct() && h.Rate > freeDirect {
			freeDirect, freeType = h.Rate, h.Type
		}
	}
	idName := nameHas(cd.Name, identifyingNames)
	switch {
	case direct != nil && direct.MatchRate >= 0.5:
		conf := 0.5 + 0.5*direct.MatchRate
		if idName {
			conf = min(1, conf+0.1)
		}
		return RoleIdentifying, round3(conf), fmt.Sprintf("%.0f%% %s", 100*direct.MatchRate, direct.Type)
	case freeDirect >= 0.02:
		return RoleIdentifying, round3(min(0.95, 0.6+freeDirect)), fmt.Sprintf("free text carries %s in %.0f%% of cells", freeType, 100*freeDirect)
	case idName:
		return RoleIdentifying, 0.6, "column name of a direct identifier"
	}
	qName := nameHas(cd.Name, quasiNames)
	sName := nameHas(cd.Name, sensitiveNames)
	switch {
	case sName && !(quasi != nil && quasi.MatchRate >= 0.5):
		return RoleSensitive, 0.8, "column name of sensitive personal information (PIPL Art. 28)"
	case quasi != nil && quasi.MatchRate >= 0.5 && qName:
		return RoleQuasi, round3(min(1, 0.6+0.4*quasi.MatchRate)), fmt.Sprintf("%.0f%% %s, quasi-identifier name", 100*quasi.MatchRate, quasi.Type)
	case quasi != nil && quasi.MatchRate >= 0.5:
		return RoleQuasi, round3(0.4 + 0.4*quasi.MatchRate), fmt.Sprintf("%.0f%% %s", 100*quasi.MatchRate, quasi.Type)
	case qName:
		return RoleQuasi, 0.7, "column name of a quasi-identifier"
	case nameHas(cd.Name, keyNames) && cd.Distinct >= 20 && cd.Distinct*100 >= cd.NonEmpty*95:
		return RoleIdentifying, 0.7, "record key: a distinct value per row"
	}
	return RoleInsensitive, 0.6, "no identifier found"
}
