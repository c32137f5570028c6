package anonymizer_test

import (
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
)

// A release that kept the mobile number masked too little fails the gate of
// Tianjin Art. 29: the mask still identifies, and what it shows, with the age
// band, singles out a person.
func ExampleCheckRelease() {
	raw := anonymizer.MustTable([]string{"手机号", "年龄", "诊断"},
		[]string{"13800138000", "23", "哮喘"},
		[]string{"13912345678", "27", "胃炎"},
		[]string{"13712345679", "29", "哮喘"},
		[]string{"15012345670", "41", "高血压"})
	release := anonymizer.MustTable([]string{"手机号", "年龄", "诊断"},
		[]string{"138001380**", "20-29", "哮喘"},
		[]string{"139123456**", "20-29", "胃炎"},
		[]string{"137123456**", "20-29", "哮喘"},
		[]string{"150123456**", "40-49", "高血压"})
	policy := &anonymizer.Policy{Columns: map[string]anonymizer.ColumnPolicy{
		"手机号": {Role: anonymizer.RoleIdentifying},
		"年龄":  {Role: anonymizer.RoleQuasi},
		"诊断":  {Role: anonymizer.RoleSensitive},
	}}
	res := anonymizer.CheckRelease(raw, release, anonymizer.GateOptions{Mode: anonymizer.ModeEnclave, Policy: policy})
	fmt.Println(res.Passed, res.Level, res.UniqueLinks)
	for _, r := range res.Reasons {
		fmt.Println(r.Check, r.Column)
	}
	// Output:
	// false L1 4
	// identifier 手机号
	// risk 手机号,年龄
}
