//go:build !race

package market

// raceEnabled: see race_on_test.go.
const raceEnabled = false
