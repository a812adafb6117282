//go:build race

package observe

// raceEnabled is set under the race detector, which makes the readers some ten times slower.
const raceEnabled = true
