package anonymizer

import (
	"context"
	"testing"
)

// engineRelease anonymizes a synthetic population with the engine: the
// direct identifiers dropped, sex, birth date and division generalized to
// k = 20 (suppression ≤ 5 %), diagnosis released as it is.
func engineRelease(tb testing.TB, raw *Table, algorithm Algorithm) *Result {
	tb.Helper()
	hs := map[string]*Hierarchy{}
	for col, spec := range map[string]string{"出生日期": "date", "行政区划": "division", "性别": "mask"} {
		h, err := GenerateHierarchy(spec, raw.Column(col).Dict)
		if err != nil {
			tb.Fatal(err)
		}
		hs[col] = h
	}
	res, err := Anonymize(context.Background(), raw, Config{
		QuasiIdentifiers: []string{"性别", "出生日期", "行政区划"},
		Sensitive:        []string{"诊断"},
		Drop:             []string{"身份证号", "姓名", "手机号"},
		Hierarchies:      hs,
		Models:           Models{K: 20, Suppression: 0.05},
		Metric:           MetricLoss,
		Algorithm:        algorithm,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func TestGate_GBT42460_EngineReleaseWithK20PassesAsL3(t *testing.T) {
	raw := mustPopulation(t, 5000, 10)
	for _, alg := range []Algorithm{AlgorithmOptimal, AlgorithmMondrian} {
		t.Run("the "+string(alg)+" release passes the public gate", func(t *testing.T) {
			out := engineRelease(t, raw, alg)
			pol := synthPolicy()
			pol.Columns["诊断"] = ColumnPolicy{Role: RoleInsensitive} // k-anonymity only: no l-diversity asked
			res := CheckRelease(raw, out.Table, GateOptions{Policy: pol})
			if !res.Passed {
				t.Fatalf("k=20 release failed (levels %v):%s", out.Transformation, reasonList(res))
			}
			if res.Level != LevelL3 && res.Level != LevelL4 {
				t.Fatalf("level %s, want L3 or L4", res.Level)
			}
			if got, want := res.RecordsLinked, raw.Rows()-out.Suppressed; got < want {
				t.Fatalf("%d raw records linked, want at least the %d unsuppressed", got, want)
			}
			if res.RiskMax > 1.0/20 {
				t.Fatalf("max θ %.4f above 1/20", res.RiskMax)
			}
		})
	}
}
