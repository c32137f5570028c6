package market

import (
	"slices"
	"testing"
)

// Shaanxi Art. 36(3) and Art. 65: banned content is found in the data,
// not in the label; the decision names the matching columns.
func TestGate_ContentSignatures(t *testing.T) {
	cols := func(c ...ContentColumn) *ContentProfile { return &ContentProfile{Columns: c} }
	cases := []struct {
		name     string
		content  *ContentProfile
		decision Decision
		rule     string
		article  string
		columns  []string
	}{
		{"TestGate_ShaanxiArt36_3_GenomeUnderAnInnocuousCategoryIsBlocked",
			cols(ContentColumn{Name: "sample_id"}, ContentColumn{Name: "seq", Samples: []string{"ACGTTGCAACGTTGCAACGTTGCAACGTTGCAAC", "GGGTTTAAACCCGGGTTTAAACCCGGGTTTAAAC"}}),
			DecisionBlocked, "content-human-genetic-resources", ArticleShaanxi36_3, []string{"seq"}},
		{"TestGate_ShaanxiArt36_3_GenotypeColumnNamedInChineseIsBlocked",
			cols(ContentColumn{Name: "基因型"}, ContentColumn{Name: "年龄"}),
			DecisionBlocked, "content-human-genetic-resources", ArticleShaanxi36_3, []string{"基因型"}},
		{"TestGate_ShaanxiArt36_3_BiometricTemplateIsBlocked",
			cols(ContentColumn{Name: "face_embedding"}, ContentColumn{Name: "city"}),
			DecisionBlocked, "content-biometric-template", ArticleShaanxi36_3, []string{"face_embedding"}},
		{"TestGate_ShaanxiArt36_3_PreciseTraceOfIndividualsIsBlocked",
			cols(ContentColumn{Name: "手机号", Detected: []string{"mobile"}}, ContentColumn{Name: "pos", Detected: []string{"coordinates"}}, ContentColumn{Name: "ts"}),
			DecisionBlocked, "content-precise-geolocation-trace", ArticleShaanxi36_3, []string{"pos", "手机号"}},
		{"TestGate_ShaanxiArt36_3_PreciseCoordinateValuesBesideADeviceIDAreBlocked",
			cols(ContentColumn{Name: "device_id"}, ContentColumn{Name: "p", Samples: []string{"34.265712,108.954239", "34.266001,108.955120"}}),
			DecisionBlocked, "content-precise-geolocation-trace", ArticleShaanxi36_3, []string{"p", "device_id"}},
		{"TestGate_ShaanxiArt36_3_CoordinatesWithoutAnyIndividualAreListable",
			cols(ContentColumn{Name: "station", Samples: []string{"钟楼站"}}, ContentColumn{Name: "latitude", Samples: []string{"34.265712"}},
				ContentColumn{Name: "longitude", Samples: []string{"108.954239"}}, ContentColumn{Name: "population", Samples: []string{"12000"}}),
			DecisionListable, "", "", nil},
		{"TestGate_ShaanxiArt36_3_MilitaryDataIsBlocked",
			cols(ContentColumn{Name: "部队番号"}, ContentColumn{Name: "驻地"}),
			DecisionBlocked, "content-military-defense", ArticleShaanxi36_3, []string{"部队番号"}},
		{"TestGate_ShaanxiArt65_ImportantDataCatalogGoesToReview",
			cols(ContentColumn{Name: "电网调度指令"}, ContentColumn{Name: "时间"}),
			DecisionReview, "content-important-data-catalog", ArticleShaanxi65, []string{"电网调度指令"}},
		{"TestGate_ShaanxiArt36_3_CoreDataIsBlocked",
			cols(ContentColumn{Name: "strategic_reserve_tonnes"}),
			DecisionBlocked, "content-core-data", ArticleShaanxi36_3, []string{"strategic_reserve_tonnes"}},
		{"TestGate_ShaanxiArt36_3_OrdinaryTransportDataIsListable",
			cols(ContentColumn{Name: "district", Samples: []string{"雁塔区", "碑林区"}}, ContentColumn{Name: "hour", Samples: []string{"8", "9"}},
				ContentColumn{Name: "trips", Samples: []string{"120", "98"}}),
			DecisionListable, "", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l := mustListableListing(t) // category "transport", whatever the data holds
			l.Content = c.content
			res := Gate(&l, nil, DefaultRuleSet(), gateAt)
			if res.Decision != c.decision {
				t.Fatalf("decision %s, want %s: %+v", res.Decision, c.decision, res.Violations)
			}
			if c.rule == "" {
				return
			}
			v := findViolation(res, c.rule)
			if v == nil || v.Article != c.article || !slices.Equal(v.Columns, c.columns) {
				t.Fatalf("want %s citing %s naming %v; got %+v", c.rule, c.article, c.columns, res.Violations)
			}
		})
	}
}

func TestRuleSet_ShaanxiArt36_3_ContentSignatureValidation(t *testing.T) {
	rs := DefaultRuleSet()
	rs.ContentSignatures[0].Values = []string{"("}
	if err := rs.Validate(); err == nil {
		t.Error("a pattern that does not compile was accepted")
	}
	rs = DefaultRuleSet()
	rs.ContentSignatures[1].Rule = rs.ContentSignatures[0].Rule
	if err := rs.Validate(); err == nil {
		t.Error("a rule id used twice was accepted")
	}
}
