// Package assets holds the files Frontdesk ships inside its binary, such as
// the application icon, so that the app runs from a single executable.
package assets

import "embed"

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

// Translations are the screens' texts in French and Russian, one JSON file
// per language (frontdesk.fr.json), keyed by the English text; English
// needs none. ui/translations_test.go checks that every text has both.
//
//go:embed translations
var Translations embed.FS

// UdevRules give the group plugdev the USB badge readers and relay boards
// Frontdesk drives through libusb; `frontdesk service install` installs
// them in /etc/udev/rules.d.
//
//go:embed udev/99-frontdesk.rules
var UdevRules []byte
