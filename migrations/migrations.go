// Package migrations holds Shujiao's numbered SQL migrations, embedded into
// the binary. internal/postgres runs them with goose v3.
//
// Numbering: each area of the code owns a range of version numbers, so that
// engineers working in parallel never collide. 00001–00009 are the
// foundation (accounts); later areas start at 00010 and take the next free
// block of ten. An applied migration is never edited: add a new one.
package migrations

import "embed"

// FS holds every *.sql migration at its root, named NNNNN_description.sql
// with goose's "-- +goose Up" and "-- +goose Down" sections.
//
//go:embed *.sql
var FS embed.FS
