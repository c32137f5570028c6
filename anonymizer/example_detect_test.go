package anonymizer_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/shujiao/shujiao/anonymizer"
)

// Read a table (the format, encoding and delimiter are sniffed), then write
// it as JSON Lines.
func ExampleReadTable() {
	in := "姓名;年龄\n张三;34\n李四;28\n"
	t, format, err := anonymizer.ReadTable(strings.NewReader(in), "people.csv", anonymizer.ReadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(format, t.Rows(), t.Header())
	anonymizer.WriteTable(os.Stdout, t, anonymizer.FormatJSONL, anonymizer.WriteOptions{})
	// Output:
	// csv 2 [姓名 年龄]
	// {"姓名":"张三","年龄":"34"}
	// {"姓名":"李四","年龄":"28"}
}

// Bad input is refused with one line naming file, line and column.
func ExampleReadTable_raggedRow() {
	_, _, err := anonymizer.ReadTable(strings.NewReader("a,b\n1,2\n3\n"), "adult.csv", anonymizer.ReadOptions{})
	fmt.Println(err)
	// Output: adult.csv: line 3: column 2 ("b"): missing: 1 fields, want 2
}

// Find identifiers inside free text.
func ExampleFindIdentifiers() {
	text := "患者张伟，身份证11010519491231002X，手机138 0013 8000，车牌京A·12345。"
	for _, m := range anonymizer.FindIdentifiers(text) {
		fmt.Println(m.Type, m.Value)
	}
	// Output:
	// person_name 张伟
	// resident_id 11010519491231002X
	// mobile 138 0013 8000
	// vehicle_plate 京A·12345
}

// Detect the identifier types of each column and propose its role.
func ExampleDetect() {
	t := anonymizer.SynthesizeTable(1000, 1)
	d := anonymizer.Detect(t, anonymizer.DetectOptions{})
	for _, c := range d.Columns[:6] {
		fmt.Printf("%s %s %s %.2f\n", c.Name, c.ProposedRole, c.Types[0].Type, c.Types[0].MatchRate)
	}
	// Output:
	// 身份证号 identifying resident_id 1.00
	// 姓名 identifying person_name 1.00
	// 手机号 identifying mobile 1.00
	// 出生日期 quasi birth_date 1.00
	// 性别 quasi sex 1.00
	// 行政区划 quasi division_code 1.00
}

// Validate identifiers by their check characters.
func ExampleValidResidentID() {
	fmt.Println(anonymizer.ValidResidentID("11010519491231002X"))
	fmt.Println(anonymizer.ValidResidentID("110105194912310021")) // wrong check character
	fmt.Println(anonymizer.ValidUSCC("91350100M000100Y43"))
	fmt.Println(anonymizer.LuhnValid("6222021234567890128"))
	// Output:
	// true
	// false
	// true
	// true
}
