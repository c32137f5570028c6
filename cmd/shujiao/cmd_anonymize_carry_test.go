package main

import (
	"slices"
	"testing"

	"github.com/shujiao/shujiao/anonymizer"
)

// Only the columns that are pseudonymized and nothing else are read as
// carried: a column also named in another role is read plainly, so that
// Anonymize refuses the conflict with its own error.
func TestCarriedColumns_OnlyPseudonymizedOnes(t *testing.T) {
	cfg := anonymizer.Config{
		QuasiIdentifiers: []string{"age", "phone2"},
		Sensitive:        []string{"income", "phone3"},
		Drop:             []string{"phone4"},
		Pseudonymize:     []string{"phone", "phone2", "phone3", "phone4", "email"},
	}
	if got, want := carriedColumns(cfg), []string{"phone", "email"}; !slices.Equal(got, want) {
		t.Fatalf("carried %q, want %q", got, want)
	}
	if got := carriedColumns(anonymizer.Config{QuasiIdentifiers: []string{"age"}}); got != nil {
		t.Fatalf("carried %q without pseudonyms", got)
	}
}
