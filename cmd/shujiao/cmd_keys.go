package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/shujiao/shujiao/internal/pgp"
)

const keysSynopsis = "init|export|show|rotate-pseudonym [--data-dir ./var] [--name NAME] [--email EMAIL] [--method hmac-sm3|hmac-sha256] [--json]"

// platformDataDir is the data directory: $SHUJIAO_DATA_DIR, else ./var.
func platformDataDir(env *cliEnv) string {
	if d := env.getenv("SHUJIAO_DATA_DIR"); d != "" {
		return d
	}
	return "./var"
}

// runKeys manages the platform's OpenPGP key under <data-dir>/keys/:
// `keys init` creates it (never overwriting one), `keys export` prints the
// armored public key, `keys show` its fingerprint and identity, then the key.
func runKeys(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlags(env, "keys", keysSynopsis)
	dataDir := fs.String("data-dir", platformDataDir(env), "data directory (default $SHUJIAO_DATA_DIR or ./var)")
	name := fs.String("name", "Shujiao data exchange", "user id name of a new key (init)")
	email := fs.String("email", "", "user id e-mail of a new key (init)")
	asJSON := fs.Bool("json", false, "print JSON (show)")
	method := fs.String("method", "hmac-sm3", "pseudonymization method of a new key (rotate-pseudonym): hmac-sm3 or hmac-sha256")
	pos, err := parseFlags(fs, args)
	if err != nil {
		if err == errHelp {
			return nil
		}
		return err
	}
	if len(pos) != 1 {
		return usageErrorf("keys: want one of init, export, show, rotate-pseudonym (usage: shujiao keys %s)", keysSynopsis)
	}
	switch pos[0] {
	case "init":
		k, err := pgp.InitPlatformKey(*dataDir, *name, *email)
		if errors.Is(err, pgp.ErrKeyExists) {
			return fmt.Errorf("keys init: %w; it is kept (remove it by hand to start over)", err)
		}
		if err != nil {
			return fmt.Errorf("keys init: %w", err)
		}
		priv, pub := pgp.PlatformKeyFiles(*dataDir)
		fmt.Fprintf(env.stdout, "platform key %s (%s)\n  private: %s\n  public:  %s\n", k.Fingerprint(), k.UserID(), priv, pub)
		return initPseudonymKey(env, *dataDir)
	case "rotate-pseudonym":
		return rotatePseudonymKey(env, *dataDir, *method)
	case "export", "show":
		k, err := pgp.LoadPlatformPublicKey(*dataDir)
		if err != nil {
			return inputError(fmt.Errorf("keys %s: %w", pos[0], err))
		}
		armored, err := k.ArmoredPublic()
		if err != nil {
			return fmt.Errorf("keys %s: %w", pos[0], err)
		}
		if pos[0] == "export" {
			_, err = env.stdout.Write(armored)
			return err
		}
		_, pub := pgp.PlatformKeyFiles(*dataDir)
		pseudo, err := pseudonymKeyIDs(*dataDir)
		if err != nil {
			return inputError(fmt.Errorf("keys show: %w", err))
		}
		if *asJSON {
			return writeJSON(env.stdout, map[string]any{"fingerprint": k.Fingerprint(), "key_id": k.KeyID(),
				"user_id": k.UserID(), "created": k.Created().UTC(), "file": pub, "public_key": string(armored),
				"pseudonym_keys": pseudo})
		}
		for _, p := range pseudo {
			fmt.Fprintf(env.stdout, "pseudonym key: %s (%s)%s\n", p.ID, p.Method, map[bool]string{true: ", current"}[p.Current])
		}
		fmt.Fprintf(env.stdout, "fingerprint: %s\nuser id:     %s\ncreated:     %s\nfile:        %s\n\n%s",
			k.Fingerprint(), k.UserID(), k.Created().UTC().Format("2006-01-02T15:04:05Z"), pub, armored)
		return nil
	}
	return usageErrorf("keys: unknown subcommand %q: want init, export, show or rotate-pseudonym", pos[0])
}
