package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shujiao/shujiao/internal/ledger"
)

// headsFileEnv names the environment variable that moves the heads file.
const headsFileEnv = "SHUJIAO_HEADS_FILE"

// headsFilePath is where serve appends every signed tree head and where
// verify-ledger reads them back: $SHUJIAO_HEADS_FILE, else
// <data-dir>/ledger/heads.jsonl. Keep it off the database's disk, or copy
// it elsewhere: it is the witness that a wipe or rollback of the database
// cannot take along.
func headsFilePath(getenv func(string) string, dataDir string) string {
	if p := getenv(headsFileEnv); p != "" {
		return p
	}
	return filepath.Join(dataDir, "ledger", "heads.jsonl")
}

// witnessedHeads returns the heads verify-ledger checks the database
// against: the one in headPath when given (an auditor's saved head, which
// must exist), else those of the heads file (headsPath, or the default
// under dataDir). A missing heads file is no error: note says that only
// the database was checked.
func witnessedHeads(env *cliEnv, headPath, headsPath, dataDir string) (heads []ledger.Head, note string, err error) {
	if headPath != "" {
		heads, err := ledger.ReadHeads(headPath)
		if err != nil {
			return nil, "", fmt.Errorf("--head: %w", err)
		}
		if len(heads) == 0 {
			return nil, "", fmt.Errorf("--head %s holds no tree head", headPath)
		}
		return heads, "", nil
	}
	if headsPath == "" {
		headsPath = headsFilePath(env.getenv, dataDir)
	}
	heads, err = ledger.ReadHeads(headsPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Sprintf("verify-ledger: no heads file at %s: checked the database against itself only (a wipe or rollback goes unseen; give --head)", headsPath), nil
	}
	if err != nil {
		return nil, "", fmt.Errorf("heads file: %w", err)
	}
	return heads, "", nil
}
