package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/httpapi"
	"github.com/shujiao/shujiao/internal/jobs"
	"github.com/shujiao/shujiao/internal/pgp"
	"github.com/shujiao/shujiao/internal/postgres"
)

// listingsApp holds what datasets, de-identification jobs and listings need:
// the encrypted blob store under the data directory, the platform key that
// signs certificates, and the de-identifier River's jobs run
// (wire_river.go).
type listingsApp struct {
	pool         *pgxpool.Pool
	blobs        *blob.Store
	deidentifier *jobs.Deidentifier
	queue        httpapi.JobQueue // set by startJobs
	maxUpload    int64
	stop         context.CancelFunc
	wg           sync.WaitGroup
}

// newListingsApp opens the blob store and builds the de-identifier, whose
// certificates key signs; the
// upload limit comes from SHUJIAO_MAX_UPLOAD (bytes, or with a KiB, MiB or
// GiB suffix; default 2GiB).
func newListingsApp(ctx context.Context, pool *pgxpool.Pool, dataDir string, key *pgp.Key, log *slog.Logger) (*listingsApp, error) {
	maxUpload, err := parseSize(os.Getenv("SHUJIAO_MAX_UPLOAD"))
	if err != nil {
		return nil, fmt.Errorf("SHUJIAO_MAX_UPLOAD: %w", err)
	}
	if err := setUploadMemory(os.Getenv("SHUJIAO_UPLOAD_MEMORY"), log); err != nil {
		return nil, err
	}
	blobs, err := blob.Open(dataDir)
	if err != nil {
		return nil, err
	}
	pseudonyms, err := platformPseudonymStore(dataDir, log)
	if err != nil {
		return nil, err
	}
	cleanBlobTemp(blobs, log) // wire_blob_gc.go
	l := &listingsApp{pool: pool, blobs: blobs, maxUpload: maxUpload}
	l.deidentifier = &jobs.Deidentifier{Blobs: blobs, Key: key, Pseudonyms: pseudonyms, Version: version,
		Progress: postgres.NewJobProgressStore(pool)}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.stop = cancel
	l.wg.Go(func() { collectBlobs(rctx, pool, blobs, log) })
	return l, nil
}

// services returns what the listing routes need.
func (l *listingsApp) services() *httpapi.ListingServices {
	return &httpapi.ListingServices{Blobs: l.blobs, Jobs: l.queue, MaxUpload: l.maxUpload}
}

// close stops the blob collector.
func (l *listingsApp) close() {
	l.stop()
	l.wg.Wait()
}

// setUploadMemory sets the memory all uploads and rescans being profiled
// may take at once (jobs.SetProfileBudget) from SHUJIAO_UPLOAD_MEMORY
// (bytes, or with a KiB, MiB or GiB suffix; default 256MiB: eight at a
// time); the others wait for a slot.
func setUploadMemory(v string, log *slog.Logger) error {
	budget := int64(jobs.DefaultProfileBudget)
	if strings.TrimSpace(v) != "" {
		var err error
		if budget, err = parseByteSize(v); err != nil {
			return fmt.Errorf("SHUJIAO_UPLOAD_MEMORY: %w", err)
		}
		if budget < jobs.ProfileMemory {
			return fmt.Errorf("SHUJIAO_UPLOAD_MEMORY: %s is less than one upload needs (%d MiB)", v, jobs.ProfileMemory>>20)
		}
	}
	jobs.SetProfileBudget(budget)
	log.Info("uploads: profiled within the memory budget", "budget_mib", budget>>20, "at_once", jobs.ProfileSlots())
	return nil
}

// parseSize reads "2147483648", "512MiB", "2GiB" ("" is the default, 2 GiB).
func parseSize(s string) (int64, error) {
	if strings.TrimSpace(s) == "" {
		return httpapi.DefaultMaxUpload, nil
	}
	return parseByteSize(s)
}

// parseByteSize reads a positive size: "2147483648", "512MiB", "2GiB".
func parseByteSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q: want a positive number of bytes, or with a KiB, MiB or GiB suffix", s)
	}
	return n * mult, nil
}
