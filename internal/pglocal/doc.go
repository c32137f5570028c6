// Package pglocal starts a private PostgreSQL cluster from the server
// binaries installed on the machine: the embedded default database of
// `shujiao serve` when no DATABASE_URL is given, and the database of the tests.
//
// The cluster listens on a Unix socket only. PostgreSQL refuses to run as
// root, so when the process is root the server runs as the `postgres` system
// user (or `nobody`), and a data directory that user cannot reach (one under
// /root, or a mode-0700 temporary folder) is relocated to a reachable place
// whose name is derived from the requested path.
package pglocal
