package market

import (
	"strings"
	"testing"
)

// The shipped rule set changed in content (scopes, content signatures,
// export thresholds, the human genetic resources citation), so it is a new
// version; the earlier one is kept verbatim for the decisions that cite it.
func TestShippedRuleSets_TheDefaultIsTheNewestVersionAndTheEarlierOnesAreKept(t *testing.T) {
	all, err := ShippedRuleSets()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 2 || all[0].Version != 1 {
		t.Fatalf("shipped versions %d, want version 1 kept and the default after it", len(all))
	}
	last := all[len(all)-1]
	if last.Version != DefaultRuleSet().Version || last.Version < 2 {
		t.Errorf("the newest shipped version is %d, the default is %d: want the default, after version 1", last.Version, DefaultRuleSet().Version)
	}
	if all[0].Export != nil || len(all[0].ContentSignatures) != 0 {
		t.Error("version 1 changed: it had no export rules and no content signatures")
	}
	if last.Export == nil || len(last.ContentSignatures) == 0 || len(last.Scopes) == 0 {
		t.Error("the default has lost its export rules, content signatures or scope vocabulary")
	}
}

// The 2019 Regulations on the Management of Human Genetic Resources
// (国务院令第717号) ban the sale of human genetic resources in Art. 10
// (禁止买卖人类遗传资源); the negative list and the content signature cite it
// alike.
func TestDefaultRuleSet_HumanGeneticResourcesRegulationsArt10_CitedAlike(t *testing.T) {
	rs := DefaultRuleSet()
	n, ok := rs.Banned("human_genetic_resources")
	if !ok {
		t.Fatal("human_genetic_resources is not on the negative list")
	}
	var sig *ContentSignature
	for i := range rs.ContentSignatures {
		if rs.ContentSignatures[i].Rule == "content-human-genetic-resources" {
			sig = &rs.ContentSignatures[i]
		}
	}
	if sig == nil {
		t.Fatal("no content signature for human genetic resources")
	}
	for _, basis := range []string{n.Basis, sig.Basis} {
		if !strings.Contains(basis, "国务院令第717号) Art. 10 (禁止买卖人类遗传资源)") || strings.Contains(basis, "Art. 11") {
			t.Errorf("basis %q: want the 2019 Regulations (国务院令第717号) Art. 10, 禁止买卖人类遗传资源", basis)
		}
	}
}
