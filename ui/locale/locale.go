// Package locale reads the C and POSIX locales as English before Fyne
// looks at them.
//
// Fyne's translation package reads the locale in its init and logs an error
// for "C" or "POSIX" (the locale of services, CI machines and minimal
// systems), which would print on every command-line run. Those locales mean
// "no preference", which is English. Package initialisation runs in import
// path order among ready packages, so this package, which depends on os
// only, runs before fyne.io/... as long as the binary imports it.
package locale

import (
	"os"
	"strings"
)

// original holds the locale variables as they were before init changed
// them.
var original = map[string]string{}

// Getenv is os.Getenv as it was before this package read C and POSIX as
// English: the command line chooses its language from the locale, and C
// says no preference, so the site's language applies.
func Getenv(name string) string {
	if v, ok := original[name]; ok {
		return v
	}
	return os.Getenv(name)
}

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		original[name] = v
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			os.Setenv(name, "en_US.UTF-8")
		}
		return // the first one set is the one in force
	}
}
