//go:build !race

package main

// raceDetector: see race_on.go.
const raceDetector = false
