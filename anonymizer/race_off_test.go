//go:build !race

package anonymizer

// raceEnabled: see race_on_test.go.
const raceEnabled = false
