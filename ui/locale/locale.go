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

// english is what init sets a C or POSIX locale to.
const english = "en_US.UTF-8"

// changed holds the variables init changed, with their value before.
var changed = map[string]string{}

// Getenv is os.Getenv, but a variable init read as English reads as it
// was: the command line chooses its language from the locale, and C says
// no preference, so the site's language applies.
func Getenv(name string) string {
	v := os.Getenv(name)
	if was, ok := changed[name]; ok && v == english {
		return was
	}
	return v
}

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if base == "C" || base == "POSIX" {
			changed[name] = v
			os.Setenv(name, english)
		}
		return // the first one set is the one in force
	}
}
