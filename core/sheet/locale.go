package sheet

import "frontdesk/core/i18n"

// Locale is how a file for people writes: its texts' language and the
// separator and decimal mark a spreadsheet of that locale expects.
type Locale struct {
	Language string // "en", "fr", "ru": headers, statuses, sheet names
	Comma    rune   // the CSV separator: ',' or ';'
	Decimal  byte   // the decimal mark: '.' or ','
}

// commaLanguages write numbers with a decimal comma, so their
// spreadsheets separate CSV fields with semicolons. German is no
// language of ours, but its numbers are written so.
var commaLanguages = map[string]bool{"fr": true, "ru": true, "de": true}

// ForLanguage is the locale of language code (a language of ours), as
// the window uses it.
func ForLanguage(code string) Locale {
	if !i18n.Supported(code) {
		code = "en"
	}
	return numbersOf(code, Locale{Language: code})
}

// Of is the locale of a command-line run: texts in language (the run's
// language, i18n.Choose), numbers as the first of LC_ALL, LC_MESSAGES
// and LANG that is set names them ("de_DE.UTF-8" writes 1,5 and ';'),
// or as language when none is set or it is C or POSIX (no preference).
// getenv reads the environment.
func Of(getenv func(string) string, language string) Locale {
	l := ForLanguage(language)
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := getenv(name)
		if v == "" {
			continue
		}
		if base := i18n.Base(v); base != "c" && base != "posix" {
			return numbersOf(base, l)
		}
		break
	}
	return l
}

// numbersOf sets l's separator and decimal mark to those of language.
func numbersOf(language string, l Locale) Locale {
	l.Comma, l.Decimal = ',', '.'
	if commaLanguages[language] {
		l.Comma, l.Decimal = ';', ','
	}
	return l
}
