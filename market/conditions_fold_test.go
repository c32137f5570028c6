package market

import "testing"

var foldSeeds = []string{"", " ", "_", "a_b", "a__b", "_a", "a_", "A", "Encrypted File", "encrypted_file", "ＡＰＩ", "加密文件",
	"加密 文件", "a-b", "Ａ_b", "\u00a0x\u3000", "x\u00a0", "ß", "K", "\u212a", "İ", "a\tb\nc", "身份证号_ID", "\xff", "a\x00b"}

func TestFoldPlain_TheFastPathFoldsAsTheTransformersDo(t *testing.T) {
	for _, s := range foldSeeds {
		if got, want := FoldTerm(s), foldTerm(s); got != want {
			t.Errorf("FoldTerm(%q) = %q, the x/text transformers give %q", s, got, want)
		}
	}
	for _, s := range []string{"加密文件", "encrypted_file", "api", "身份证号_id"} {
		if _, ok := foldPlain(s); !ok {
			t.Errorf("foldPlain(%q) took the slow path", s)
		}
		if n := testing.AllocsPerRun(10, func() { FoldTerm(s) }); n != 0 && !raceEnabled {
			t.Errorf("FoldTerm(%q), already folded, allocates %.0f times", s, n)
		}
	}
}

// FuzzFoldPlain: whatever the text, FoldTerm (with its ASCII and CJK fast
// path) gives what the x/text transformers give.
func FuzzFoldPlain(f *testing.F) {
	for _, s := range foldSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := FoldTerm(s), foldTerm(s); got != want {
			t.Fatalf("FoldTerm(%q) = %q, the x/text transformers give %q", s, got, want)
		}
	})
}

// BenchmarkNewNormalizer is the vocabulary index a quote builds from the
// shipped rule set (art37_quote.go).
func BenchmarkNewNormalizer(b *testing.B) {
	rs := DefaultRuleSet()
	b.ReportAllocs()
	for b.Loop() {
		NewNormalizer(&rs.Art37)
	}
}
