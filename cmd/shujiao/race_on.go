//go:build race

package main

// raceDetector: the race detector's shadow memory counts in the process's
// resident set, several times the program's own (cmd_anonymize_memwatch.go).
const raceDetector = true
