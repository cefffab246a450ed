package ui

import (
	"os"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/core/i18n"
)

// prefLanguage is the preference holding the language chosen in the
// window ("en", "fr", "ru"); empty follows the system's.
const prefLanguage = "language"

// languages are the languages offered, by code, with their own names.
var languages = []struct{ code, name string }{
	{"", "System"}, {"en", "English"}, {"fr", "Français"}, {"ru", "Русский"},
}

// loadTranslations adds the app's translations and applies the language
// preference of a, if any. Fyne reads the language from the environment
// when translations are added, so a chosen language is set as LANGUAGE
// first; it takes effect for the texts built afterwards, hence at start.
func loadTranslations(a fyne.App) {
	if code := a.Preferences().String(prefLanguage); code != "" {
		os.Setenv("LANGUAGE", code)
	}
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		fyne.LogError("load translations", err)
	}
}

// plural says count of something in the window's language, with the
// plural form its grammar needs (Russian has three). key names the
// message in the translation files, an object of the forms the language
// has ("one", "few", "many", "other"), each with {{.Count}}; one and other
// are the English forms, used where no translation is.
func plural(key, one, other string, count int) string {
	english := other
	if count == 1 {
		english = one
	}
	if windowLanguage() == "en" {
		// English needs no translation file; asked for a plural it has
		// not, the translation library would log a failure each time.
		return strings.ReplaceAll(english, "{{.Count}}", strconv.Itoa(count))
	}
	return lang.XN(key, english, count, map[string]any{"Count": count})
}

// windowLanguage is the code of the window's language ("en", "fr",
// "ru"): the language preference, else the system's when it is one of
// ours, else English. Texts made outside Fyne (explanations of events,
// reports) are written in it.
func windowLanguage() string {
	if a := fyne.CurrentApp(); a != nil {
		if code := a.Preferences().String(prefLanguage); i18n.Supported(code) {
			return code
		}
	}
	if code := i18n.Base(lang.SystemLocale().LanguageString()); i18n.Supported(code) {
		return code
	}
	return "en"
}

// explain is why ev happened, in the window's language; an event logged
// before reasons existed has its English explanation.
func explain(ev core.Event) string { return i18n.New(windowLanguage()).Explain(ev) }

// actorName names who did something (core.Actor's String) in the
// window's language: "ligne de commande (root)"; an account's name stays.
func actorName(by string) string { return i18n.New(windowLanguage()).Actor(by) }

// newSelect is a Select whose empty choice asks in the window's
// language: Fyne's own says "(Select one)" in English whatever the
// language.
func newSelect(options []string, changed func(string)) *widget.Select {
	s := widget.NewSelect(options, changed)
	s.PlaceHolder = lang.L("(Select one)")
	return s
}
