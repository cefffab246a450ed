package main

import (
	"fmt"
	"runtime/debug"
)

// version is the build's version, set by the Makefile's build:
// go build -ldflags "-X main.version=$(git describe --always --dirty)".
var version = "dev"

// buildVersion is version or, in a build without it, "dev-" and the
// commit Go recorded in the program, "-dirty" if the work tree had
// changes: "dev-1a2b3c4d5e6f-dirty". Just "dev" when Go recorded none
// (go run, go test).
func buildVersion() string {
	if version != "dev" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return version
	}
	var rev string
	var dirty bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return version
	}
	v := version + "-" + rev[:min(len(rev), 12)]
	if dirty {
		v += "-dirty"
	}
	return v
}

// showVersion is `frontdesk version` (and `frontdesk --version`): the
// build's version, with --json {"version": "..."}.
func (c *command) showVersion(args []string) error {
	fs := c.flags("version", "")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if c.json {
		return c.printJSON(struct {
			Version string `json:"version"`
		}{buildVersion()})
	}
	fmt.Fprintln(c.stdout, "frontdesk", printable(buildVersion()))
	return nil
}
