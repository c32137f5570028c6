package main

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/shujiao/shujiao/anonymizer"
	"github.com/shujiao/shujiao/internal/pseudokey"
)

// setPseudonymKey gives cfg the key its pseudonyms are made under: the
// platform's current pseudonymization key from the data directory's store
// (method and key ID go into the report; the key never does), else a key
// file of the seller's own, else a random key that is not kept. Only the
// platform's key gives pseudonyms the gate accepts (Tianjin Art. 29).
func setPseudonymKey(env *cliEnv, cfg *anonymizer.Config, keyFile, dataDir string) error {
	if keyFile != "" {
		fmt.Fprintln(env.stderr, "anonymize: --pseudonym-key-file: pseudonyms under a key of your own are restorable by you; the gate (check-release) refuses them (Tianjin Art. 29)")
		key, err := pseudonymKey(env, keyFile)
		cfg.PseudonymKey = key
		return err
	}
	k, err := pseudokey.Open(dataDir).Current()
	if errors.Is(err, pseudokey.ErrNoKey) {
		key, err := pseudonymKey(env, "")
		cfg.PseudonymKey = key
		return err
	}
	if err != nil {
		return inputError(fmt.Errorf("anonymize: platform pseudonymization key: %w", err))
	}
	cfg.PseudonymKey, cfg.PseudonymMethod, cfg.PseudonymKeyID = k.Secret, k.Method, k.ID
	fmt.Fprintf(env.stderr, "anonymize: pseudonyms by %s under platform key %s\n", k.Method, k.ID)
	return nil
}

// platformPseudonymKeys returns every pseudonymization key of the data
// directory's store, current and rotated (none when there is no store).
func platformPseudonymKeys(dataDir string) ([]anonymizer.PseudonymKey, error) {
	keys, err := pseudokey.Open(dataDir).All()
	if err != nil {
		return nil, fmt.Errorf("platform pseudonymization keys: %w", err)
	}
	return keys, nil
}

// pseudonymKeyInfo is what `keys show` says of a pseudonymization key: its
// ID and method, never its secret.
type pseudonymKeyInfo struct {
	ID      string `json:"id"`
	Method  string `json:"method"`
	Current bool   `json:"current"`
}

func pseudonymKeyIDs(dataDir string) ([]pseudonymKeyInfo, error) {
	s := pseudokey.Open(dataDir)
	keys, err := s.All()
	if err != nil {
		return nil, err
	}
	cur, _ := s.Current()
	out := []pseudonymKeyInfo{}
	for _, k := range keys {
		out = append(out, pseudonymKeyInfo{ID: k.ID, Method: k.Method, Current: k.ID == cur.ID})
	}
	return out, nil
}

// initPseudonymKey creates the first pseudonymization key beside a new
// platform key, unless the store already has one.
func initPseudonymKey(env *cliEnv, dataDir string) error {
	s := pseudokey.Open(dataDir)
	if _, err := s.Current(); err == nil {
		return nil
	}
	k, err := s.Rotate(anonymizer.MethodHMACSM3, time.Now())
	if err != nil {
		return fmt.Errorf("keys init: %w", err)
	}
	fmt.Fprintf(env.stdout, "pseudonym key %s (%s) in %s\n", k.ID, k.Method, s.Dir())
	return nil
}

// rotatePseudonymKey adds a pseudonymization key and makes it current; the
// old ones stay, so releases made under them still pass the gate.
func rotatePseudonymKey(env *cliEnv, dataDir, method string) error {
	if _, err := anonymizer.ParsePseudonymMethod(method); err != nil {
		return usageErrorf("keys rotate-pseudonym: --method: %s", err.Error())
	}
	s := pseudokey.Open(dataDir)
	k, err := s.Rotate(method, time.Now())
	if err != nil {
		return fmt.Errorf("keys rotate-pseudonym: %w", err)
	}
	fmt.Fprintf(env.stdout, "pseudonym key %s (%s) is now current in %s; earlier keys are kept\n", k.ID, k.Method, s.Dir())
	return nil
}

// platformPseudonymStore opens the data directory's pseudonymization key
// store for the server, creating its first key (HMAC-SM3) when it has none.
// Only the key ID is logged.
func platformPseudonymStore(dataDir string, log *slog.Logger) (*pseudokey.Store, error) {
	s := pseudokey.Open(dataDir)
	if _, err := s.Current(); errors.Is(err, pseudokey.ErrNoKey) {
		k, err := s.Rotate(anonymizer.MethodHMACSM3, time.Now())
		if err != nil {
			return nil, fmt.Errorf("platform pseudonymization key: %w", err)
		}
		log.Info("created the platform pseudonymization key", "key_id", k.ID, "method", k.Method)
	} else if err != nil {
		return nil, fmt.Errorf("platform pseudonymization key: %w", err)
	}
	return s, nil
}
