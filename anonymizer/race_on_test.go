//go:build race

package anonymizer

// raceEnabled: the race detector makes a run several times slower; the
// largest tests then run at a smaller size that still takes every path.
const raceEnabled = true
