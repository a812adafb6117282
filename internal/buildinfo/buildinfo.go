// Package buildinfo says which build of splitsim is running.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Line says which splitsim this is: the tool version that results carry (result.Version),
// then what the Go toolchain recorded in the binary (runtime/debug.BuildInfo): the module version,
// and the VCS revision, its time and whether the tree had local changes, when the build recorded them
// (go build in a checkout does; go test and go run of a single file do not). bi may be nil.
func Line(tool string, bi *debug.BuildInfo) string {
	var parts []string
	if bi != nil && bi.Main.Version != "" {
		parts = append(parts, "module "+bi.Main.Version)
	} else {
		parts = append(parts, "module version unknown")
	}
	settings := map[string]string{}
	if bi != nil {
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
	}
	if rev := settings["vcs.revision"]; rev != "" {
		parts = append(parts, "commit "+rev[:min(len(rev), 12)])
		if t := settings["vcs.time"]; t != "" {
			parts = append(parts, t)
		}
		if settings["vcs.modified"] == "true" {
			parts = append(parts, "modified")
		}
	}
	return fmt.Sprintf("splitsim %s (%s)", tool, strings.Join(parts, ", "))
}
