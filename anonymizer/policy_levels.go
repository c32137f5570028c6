package anonymizer

import (
	"fmt"
	"maps"
	"slices"
)

// validMaxLevels checks that every column of max_levels is a
// quasi-identifier of the policy with a level of 0 or more (whether the
// level exists in its hierarchy is known once the hierarchy is built:
// CapHierarchies).
func (p *Policy) validMaxLevels() error {
	for _, q := range slices.Sorted(maps.Keys(p.MaxLevels)) {
		if c, ok := p.Columns[q]; !ok || c.Role != RoleQuasi {
			return fmt.Errorf("max_levels.%s: not a quasi-identifier of the policy", q)
		}
		if p.MaxLevels[q] < 0 {
			return fmt.Errorf("max_levels.%s: level %d: want 0 or more", q, p.MaxLevels[q])
		}
	}
	return nil
}

// CapLevels applies the policy's max_levels to cfg, whose hierarchies
// are built (CapHierarchies); it does nothing when there are none.
func (p *Policy) CapLevels(t *Table, cfg *Config) error {
	if len(p.MaxLevels) == 0 {
		return nil
	}
	return CapHierarchies(t, cfg, p.MaxLevels)
}
