// Command splitsim simulates, verifies and plans weighted traffic splits of Istio and Gateway API
// routes. See README.md for the commands.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
