//go:build race

package httpapi

// raceEnabled: the race detector instruments memory accesses and allocates
// on its own, so allocation counts are checked only without it.
const raceEnabled = true
