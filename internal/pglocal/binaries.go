package pglocal

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// ErrNoBinaries is returned by Start and FindBinaries when no PostgreSQL
// server binaries (initdb and postgres) are installed.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found: install them with `apt-get install postgresql`")

// debianGlob is where Debian and Ubuntu install the server binaries.
const debianGlob = "/usr/lib/postgresql/*/bin"

// FindBinaries returns the directory holding initdb and postgres: the one on
// PATH, else `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin.
// It returns ErrNoBinaries when there is none.
func FindBinaries() (string, error) {
	return findBinaries(os.Getenv("PATH"), debianGlob)
}

func findBinaries(path, glob string) (string, error) {
	var candidates []string
	for _, dir := range filepath.SplitList(path) {
		if dir != "" {
			candidates = append(candidates, dir)
		}
	}
	if pgConfig, err := lookIn(filepath.SplitList(path), "pg_config"); err == nil {
		if out, err := exec.Command(pgConfig, "--bindir").Output(); err == nil {
			candidates = append(candidates, strings.TrimSpace(string(out)))
		}
	}
	matches, _ := filepath.Glob(glob)
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	candidates = append(candidates, matches...)
	for _, dir := range candidates {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

// versionOf reads the major version out of /usr/lib/postgresql/15/bin.
func versionOf(bindir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(bindir)), 64)
	return v
}

func lookIn(dirs []string, name string) (string, error) {
	for _, d := range dirs {
		if p := filepath.Join(d, name); d != "" && isExecutable(p) {
			return p, nil
		}
	}
	return "", os.ErrNotExist
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0
}
