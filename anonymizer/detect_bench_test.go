package anonymizer

import (
	"bytes"
	"strings"
	"testing"
)

// freeTextSample builds about size bytes of Chinese free text in which one
// sentence in four carries identifiers (the corpus's valid values).
func freeTextSample(size int) string {
	items := PIICorpus(7, 200)
	fillers := []string{
		"客户来电咨询业务办理进度，已告知需补充材料。",
		"本季度销售额同比增长百分之十二，主要来自华东地区。",
		"会议纪要：下周三前完成系统上线前的验收测试。",
	}
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		if i%4 == 0 {
			b.WriteString("备注：")
			b.WriteString(items[i%len(items)].Text)
			b.WriteString("。")
		} else {
			b.WriteString(fillers[i%len(fillers)])
		}
	}
	return b.String()
}

// BenchmarkFindIdentifiers_FreeText measures the free-text scanner in MB/s.
func BenchmarkFindIdentifiers_FreeText(b *testing.B) {
	text := freeTextSample(1 << 20)
	// Scan cell-sized pieces, as Detect does.
	var cells []string
	for len(text) > 0 {
		n := min(len(text), 120)
		for n < len(text) && text[n]&0xC0 == 0x80 {
			n++
		}
		cells = append(cells, text[:n])
		text = text[n:]
	}
	bytesPerOp := int64(1 << 20)
	b.SetBytes(bytesPerOp)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		for _, c := range cells {
			FindIdentifiers(c)
		}
	}
	cpu.report(b, bytesPerOp)
}

// BenchmarkDetect_PopulationTable measures Detect over a 100,000-row
// synthetic population table (every value distinct or not, all of it
// examined); MB/s are of the table's CSV size.
func BenchmarkDetect_PopulationTable(b *testing.B) {
	var buf bytes.Buffer
	if err := Synthesize(&buf, 100000, 1, FormatCSV); err != nil {
		b.Fatal(err)
	}
	t, _, err := ReadTable(&buf, "bench.csv", ReadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	var size countingWriter
	Synthesize(&size, 100000, 1, FormatCSV)
	bytesPerOp := int64(size)
	b.SetBytes(bytesPerOp)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		Detect(t, DetectOptions{})
	}
	cpu.report(b, bytesPerOp)
}
