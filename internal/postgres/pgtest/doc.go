// Package pgtest gives tests a real PostgreSQL database each, in
// milliseconds.
//
// A package's TestMain calls Main, which starts one private cluster per test
// binary (internal/pglocal, in a temporary directory, fsync off), or uses
// the server in TEST_DATABASE_URL when it is set, and migrates a template
// database once. NewDB then clones the template (CREATE DATABASE … TEMPLATE)
// for one test and drops the clone when the test ends, so tests run in
// parallel, each in its own database. No test is ever skipped for want of a
// database: when none can be had, Main fails the run and says why.
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		t.Parallel()
//		pool := pgtest.NewDB(t)
//		…
//	}
package pgtest
