package jobs

import (
	"crypto/rand"
	"fmt"

	"github.com/shujiao/shujiao/anonymizer"
)

// PseudonymKeys is the platform's pseudonymization key store, as the
// de-identification jobs use it (internal/pseudokey implements it).
type PseudonymKeys interface {
	// Current returns the key new pseudonyms are made under.
	Current() (anonymizer.PseudonymKey, error)
	// All returns every key, current and rotated.
	All() ([]anonymizer.PseudonymKey, error)
}

// pseudonymKeys returns the key the job's pseudonyms use and the keys the
// gate recomputes pseudonyms with: the store's, or, when there is no
// store, a random key that is not kept and that the gate of this job alone
// recomputes with.
func (d *Deidentifier) pseudonymKeys() (anonymizer.PseudonymKey, []anonymizer.PseudonymKey, error) {
	if d.Pseudonyms == nil {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return anonymizer.PseudonymKey{}, nil, fmt.Errorf("pseudonym key: %w", err)
		}
		k := anonymizer.PseudonymKey{Method: anonymizer.MethodHMACSHA256, Secret: secret}
		return k, []anonymizer.PseudonymKey{k}, nil
	}
	cur, err := d.Pseudonyms.Current()
	if err != nil {
		return anonymizer.PseudonymKey{}, nil, fmt.Errorf("pseudonym key: %w", err)
	}
	all, err := d.Pseudonyms.All()
	if err != nil {
		return anonymizer.PseudonymKey{}, nil, fmt.Errorf("pseudonym keys: %w", err)
	}
	return cur, all, nil
}
