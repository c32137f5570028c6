package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/postgres"
)

// Blob store housekeeping in serve: temporary files of Puts that a killed
// process never finished are removed at start once nothing has written
// them for blobTempGrace; blobs no row references (a release whose job was
// interrupted before recording it, an upload whose row never committed)
// are collected every blobCollectEvery once older than blobOrphanGrace,
// which covers a record still being committed. Both are logged.
const (
	blobTempGrace    = 10 * time.Minute
	blobOrphanGrace  = time.Hour
	blobCollectEvery = time.Hour
)

// cleanBlobTemp removes stale temporary files, at start.
func cleanBlobTemp(blobs *blob.Store, log *slog.Logger) {
	sw, err := blobs.RemoveStaleTemp(blobTempGrace, time.Now())
	if err != nil {
		log.Error("blob store: remove stale temporary files", "error", err.Error())
		return
	}
	if sw.Files > 0 {
		log.Warn("blob store: removed temporary files an interrupted write left behind", "files", sw.Files, "bytes", sw.Bytes)
	}
}

// collectBlobs collects unreferenced blobs at start and every
// blobCollectEvery until ctx ends.
func collectBlobs(ctx context.Context, pool *pgxpool.Pool, blobs *blob.Store, log *slog.Logger) {
	for {
		refs, err := postgres.BlobReferences(ctx, pool)
		if err == nil {
			var sw blob.Sweep
			sw, err = blobs.Collect(func(sum string) bool { return refs[sum] }, blobOrphanGrace, time.Now())
			if sw.Files > 0 {
				log.Warn("blob store: collected files no record references", "files", sw.Files, "bytes", sw.Bytes, "blobs", sw.Names)
			}
		}
		if err != nil && ctx.Err() == nil {
			log.Error("blob store: collect unreferenced files", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(blobCollectEvery):
		}
	}
}
