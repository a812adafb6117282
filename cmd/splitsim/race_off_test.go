//go:build !race

package main

// raceSlowdown is how much slower code runs under the race detector, for the tests' time bounds.
const raceSlowdown = 1
