package main

import "github.com/shujiao/shujiao/anonymizer"

// capPolicyLevels applies the max_levels of the policy file (if any) once
// the hierarchies of cfg are built from table t (Policy.CapLevels): a
// policy saved from the workbench's chosen alternative releases the same
// transformation from the command line.
func capPolicyLevels(policy string, t *anonymizer.Table, cfg *anonymizer.Config) error {
	if policy == "" {
		return nil
	}
	p, err := anonymizer.LoadPolicy(policy)
	if err != nil {
		return err
	}
	return p.CapLevels(t, cfg)
}
