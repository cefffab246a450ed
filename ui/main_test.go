package ui

import (
	"os"
	"testing"
)

// TestMain runs the screens' tests in English, whatever the machine's
// language: they assert on the English texts, and TestTranslationsLoad
// loads the translations into Fyne's one global catalogue.
func TestMain(m *testing.M) {
	os.Setenv("LANG", "en_US.UTF-8")
	os.Setenv("LC_ALL", "en_US.UTF-8")
	os.Setenv("LANGUAGE", "en")
	os.Exit(m.Run())
}
