package ui

import (
	"os"
	"testing"
)

// TestMain runs the screens' tests in English, whatever the machine's
// language: they assert on the English texts, and TestTranslationsLoad
// loads the translations into Fyne's one global catalogue.
//
// Files the screens write to the user's cache folder (reports, muster
// lists, justification files to open) go to a temporary one.
func TestMain(m *testing.M) {
	cache, err := os.MkdirTemp("", "frontdesk-ui-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", cache)
	os.Setenv("LANG", "en_US.UTF-8")
	os.Setenv("LC_ALL", "en_US.UTF-8")
	os.Setenv("LANGUAGE", "en")
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}
