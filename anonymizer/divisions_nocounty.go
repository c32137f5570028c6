package anonymizer

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed data/gbt2260_no_county.txt
var noCountyList string

var noCounty = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(noCountyList, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if code, name, ok := strings.Cut(line, " "); ok {
			m[code] = strings.TrimSpace(name)
		}
	}
	return m
})

// CityWithoutCounties reports whether code is a prefecture-level city with
// no county-level divisions (东莞 441900, 中山 442000, 儋州 460400, 嘉峪关
// 620200): its own code, ending in 00, is its residents' address code, and
// returns its name.
func CityWithoutCounties(code string) (string, bool) {
	n, ok := noCounty()[code]
	return n, ok
}
