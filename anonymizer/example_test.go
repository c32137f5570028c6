package anonymizer_test

import (
	"context"
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
)

// A small table: age and division code are quasi-identifiers, the diagnosis
// is sensitive, the resident ID is dropped.
func exampleTable() *anonymizer.Table {
	return anonymizer.MustTable([]string{"身份证号", "age", "division", "diagnosis"},
		[]string{"110101199003070011", "34", "110101", "哮喘"},
		[]string{"110101198805120027", "36", "110102", "胃炎"},
		[]string{"310101197501010031", "49", "310101", "哮喘"},
		[]string{"310104197207070042", "52", "310104", "高血压"},
		[]string{"310105197411110053", "50", "310105", "胃炎"},
		[]string{"110105199107070064", "33", "110105", "高血压"},
	)
}

func ExampleAnonymize() {
	t := exampleTable()
	hs := map[string]*anonymizer.Hierarchy{}
	for col, spec := range map[string]string{"age": "interval:5,10,20", "division": "division"} {
		h, err := anonymizer.ResolveHierarchy(t, col, spec)
		if err != nil {
			panic(err)
		}
		hs[col] = h
	}
	distinct2, _ := anonymizer.ParseLDiversity("distinct:2")
	res, err := anonymizer.Anonymize(context.Background(), t, anonymizer.Config{
		QuasiIdentifiers: []string{"age", "division"},
		Sensitive:        []string{"diagnosis"},
		Drop:             []string{"身份证号"},
		Hierarchies:      hs,
		Models:           anonymizer.Models{K: 3, L: &distinct2},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("age level", res.Transformation["age"], "division level", res.Transformation["division"], "optimal", res.Optimal)
	fmt.Println(res.Table.Header())
	for r := 0; r < res.Table.Rows(); r++ {
		fmt.Println(res.Table.Row(r))
	}
	fmt.Printf("classes %d, loss %.4f, prosecutor risk max %.3f\n", res.Classes, res.Metrics.Loss, res.Risk.ProsecutorMax)
	// Output:
	// age level 3 division level 1 optimal true
	// [age division diagnosis]
	// [20-39 110100 哮喘]
	// [20-39 110100 胃炎]
	// [40-59 310100 哮喘]
	// [40-59 310100 高血压]
	// [40-59 310100 胃炎]
	// [20-39 110100 高血压]
	// classes 2, loss 0.4000, prosecutor risk max 0.333
}

func ExampleGenerateHierarchy() {
	h, err := anonymizer.GenerateHierarchy("date", []string{"2024-03-15"})
	if err != nil {
		panic(err)
	}
	for l := 0; l <= h.Height(); l++ {
		v, _ := h.Generalize("2024-03-15", l)
		fmt.Println(l, v)
	}
	// Output:
	// 0 2024-03-15
	// 1 2024-03
	// 2 2024-Q1
	// 3 2024
	// 4 *
}

func ExampleParseLDiversity() {
	l, err := anonymizer.ParseLDiversity("recursive:4,2")
	fmt.Println(l.Kind, "c =", l.C, "l =", l.L, err)
	// Output: recursive c = 4 l = 2 <nil>
}
