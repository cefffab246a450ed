package i18n

import "strings"

// localeVars are the environment variables naming the locale of
// messages, in the order POSIX gives them precedence.
var localeVars = []string{"LC_ALL", "LC_MESSAGES", "LANG"}

// Choose is the language of a command-line run: that of its locale (the
// first of LC_ALL, LC_MESSAGES and LANG that is set, "fr_FR.UTF-8" → "fr")
// when it is one of Languages, else site (the site file's language) when
// it is, else English. getenv reads the environment (os.Getenv).
func Choose(getenv func(string) string, site string) string {
	for _, name := range localeVars {
		v := getenv(name)
		if v == "" {
			continue
		}
		if code := Base(v); Supported(code) {
			return code
		}
		break // the first one set is the one in force
	}
	if Supported(site) {
		return site
	}
	return "en"
}

// Base is the language of a locale or language tag: "fr_FR.UTF-8",
// "fr-FR", "fr@euro" and "FR" are "fr". "C" and "POSIX" are "c" and
// "posix", no language of ours: they say no preference.
func Base(locale string) string {
	s := locale
	for _, sep := range []string{".", "@", "_", "-"} {
		s, _, _ = strings.Cut(s, sep)
	}
	return strings.ToLower(s)
}
