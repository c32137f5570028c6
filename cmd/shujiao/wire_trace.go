package main

import (
	"github.com/shujiao/shujiao/internal/blob"
	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/internal/trace"
)

// newTraceService builds the fingerprint service: copies recorded in db,
// releases read from blobs, the platform fingerprint key derived from the
// store key under the data directory (never stored, never given out).
func newTraceService(db postgres.DB, blobs *blob.Store) *trace.Service {
	return &trace.Service{Store: postgres.CopyStore{DB: db}, Blobs: blobs, Key: blobs.DeriveKey(trace.KeyLabel)}
}
