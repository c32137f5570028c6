package httpapi

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

const specPath = "../../api/openapi.yaml"

// TestOpenAPI_MatchesRouter keeps api/openapi.yaml true: the spec validates,
// and it documents exactly the /v1 routes the router serves.
func TestOpenAPI_MatchesRouter(t *testing.T) {
	t.Parallel()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(specPath)
	if err != nil {
		t.Fatalf("load %s: %v", specPath, err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("%s does not validate: %v", specPath, err)
	}

	inSpec := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inSpec[strings.ToUpper(method)+" "+path] = true
		}
	}
	inRouter := map[string]bool{}
	param := regexp.MustCompile(`[:*]([A-Za-z0-9_]+)`)
	for _, r := range New(Config{}, Deps{}).engine.Routes() {
		if strings.HasPrefix(r.Path, "/v1/") {
			inRouter[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
		}
	}
	for _, k := range sortedKeys(inRouter) {
		if !inSpec[k] {
			t.Errorf("the router serves %s, which %s does not document", k, specPath)
		}
	}
	for _, k := range sortedKeys(inSpec) {
		if !inRouter[k] {
			t.Errorf("%s documents %s, which the router does not serve", specPath, k)
		}
	}
}

func sortedKeys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
