// Package assets holds the files Frontdesk ships inside its binary, such as
// the application icon, so that the app runs from a single executable.
package assets

import _ "embed"

// Icon is the 512×512 PNG application icon, also named in FyneApp.toml.
//
//go:embed icon.png
var Icon []byte

// DemoSite is the site file of the demo office that `frontdesk --demo`
// opens: zones, doors with simulated readers, schedules, shifts, holidays
// and a few dozen people with cards in every format.
//
//go:embed demo-site.json
var DemoSite []byte
