package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/i18n"
)

// spokenError is a command's error with the language of its texts
// (command.language): the database is closed by the time the error is
// printed, so the site's language is read before.
type spokenError struct {
	err  error
	lang string
}

func (e spokenError) Error() string { return e.err.Error() }
func (e spokenError) Unwrap() error { return e.err }

// errorLines are err's lines for people, in tr's language: each problem
// of an input (core.Problems, a site file's or a form's) on a line of its
// own, its JSON path or field kept and its sentence in the language (in
// English the engine's own, which may say more than the window's), after
// the context the command gave it ("bad.json: "); any other error is its
// text, one line.
func errorLines(err error, tr *i18n.Translator) []string {
	msg := err.Error()
	if said := saidOf(err); said != nil {
		// After the context the command gave it, in English.
		if context, ok := strings.CutSuffix(msg, said.Error()); ok && !strings.Contains(msg, "\n") {
			return []string{context + said.in(tr)}
		}
	}
	problems := core.ProblemsOf(err)
	if len(problems) == 0 {
		return []string{msg}
	}
	whole := make([]string, len(problems))
	for i, p := range problems {
		whole[i] = fieldLine(p.Field, p.Problem)
	}
	context, found := strings.CutSuffix(msg, strings.Join(whole, "\n"))
	if !found {
		// The problems are not the whole message's end: say it as it is,
		// rather than lose what surrounds them.
		return strings.Split(msg, "\n")
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		sentence := p.Problem // the engine's English, as it always read
		if tr.Language() != "en" {
			sentence = tr.Problem(p)
		}
		lines[i] = context + fieldLine(p.Field, sentence)
	}
	return lines
}

// saidError is an error of the command line's own that it words in
// each language (anchorError, verifyError).
type saidError interface {
	error
	in(tr *i18n.Translator) string
}

// saidOf is the error err says that a saidError words in each
// language: one of the command line's, or one of core's or of the
// service's answers that it knows; nil when there is none.
func saidOf(err error) saidError {
	var said saidError
	if errors.As(err, &said) {
		return said
	}
	var answer *httpapi.Error
	if errors.As(err, &answer) && answer.Kind == httpapi.KindTooMany && answer.Args["wait"] != "" {
		return saying{err: answer, say: func(tr *i18n.Translator) string {
			return tr.F("login refused: too many failed logins from %s; wait %s", answer.Args["address"], answer.Args["wait"])
		}}
	}
	if errors.As(err, &answer) && answer.Kind == httpapi.KindNoSession {
		if say := sessionEnded(answer.Args); say != nil {
			return saying{err: answer, say: say}
		}
	}
	if say, said := i18n.Saying(err); said != nil {
		return saying{err: said, say: say}
	}
	return nil
}

// sessionEndings are the reasons a session ended, by the code the
// service gives (core/httpapi's errSessionEnded), in English.
var sessionEndings = map[string]string{
	"logged_out": "unknown or logged out",
	"account":    "the account is disabled or gone",
	"password":   "the password was changed",
}

// sessionEnded words the service's refusal of a call with no live
// session, by the code its answer gives; nil for a code it does not know.
func sessionEnded(args map[string]string) func(tr *i18n.Translator) string {
	if args["login"] == "required" {
		return func(tr *i18n.Translator) string {
			return tr.T("unauthorized: log in with a staff account first (frontdesk --user NAME)")
		}
	}
	if args["ended"] == "idle" {
		return func(tr *i18n.Translator) string {
			return tr.F("unauthorized: the session ended (idle for more than %s); log in again", args["idle"])
		}
	}
	why, ok := sessionEndings[args["ended"]]
	if !ok {
		return nil
	}
	return func(tr *i18n.Translator) string {
		return tr.F("unauthorized: the session ended (%s); log in again", tr.T(why))
	}
}

// fieldLine is a problem as "field: sentence", or the sentence alone
// for a problem of no field.
func fieldLine(field, sentence string) string {
	if field == "" {
		return sentence
	}
	return field + ": " + sentence
}

// errorLanguage is the language of an error's lines: the command's,
// carried by a spokenError, else the locale's.
func errorLanguage(err error, getenv func(string) string) string {
	var sp spokenError
	if errors.As(err, &sp) {
		return sp.lang
	}
	return i18n.Choose(getenv, "")
}

// usageError is bad command-line input: exit status 2. Its text is its
// format filled with its values; in another language, the format's
// translation (the files key it by the English format) filled with the
// values, each said in that language when it is a phrase or an error of
// ours.
type usageError struct{ phrase }

func (e usageError) Error() string { return e.String() }

// usagef is a usageError: format and args as fmt.Sprintf takes them.
func usagef(format string, args ...any) error {
	return usageError{phrase{format: format, args: args}}
}

// phrase is English text made of a format and its values, which says
// itself in another language: a usage error, or words given as a value
// to another phrase ("none" in "want none").
type phrase struct {
	format string
	args   []any
	// key is the translation's key when it is not the format: for
	// English words that another language says in several ways.
	key string
}

// String is the phrase in English.
func (p phrase) String() string { return fmt.Sprintf(p.format, p.args...) }

// in is the phrase in tr's language.
func (p phrase) in(tr *i18n.Translator) string {
	if tr.Language() == "en" || p.format == "" {
		return p.String()
	}
	args := make([]any, len(p.args))
	for i, a := range p.args {
		args[i] = sayValue(tr, a)
	}
	key := p.format
	if p.key != "" {
		key = p.key
	}
	return tr.F(key, args...)
}

// words is a phrase of English words alone.
func words(s string) phrase { return phrase{format: s} }

// sayValue is a value of a phrase in tr's language: a phrase or an error
// said in it, anything else as it is.
func sayValue(tr *i18n.Translator, v any) any {
	switch v := v.(type) {
	case interface{ in(*i18n.Translator) string }:
		return v.in(tr)
	case error:
		if lines := errorLines(v, tr); len(lines) == 1 && lines[0] != v.Error() {
			return lines[0]
		}
		// A rule of core broken, with its code (a state, a phone).
		if p := core.ProblemAt("", v); p.Code != "" && i18n.HasProblemSentence(p.Code) {
			return tr.Problem(p)
		}
	}
	return v
}

// badTime is err, core's for a TIME (or DATE) value s that does not
// read, worded in each language.
func badTime(s string, err error) error {
	return saying{err: err, say: func(tr *i18n.Translator) string {
		return tr.F("'%s' is not a date such as 2026-12-25, or a date and time such as 2026-12-25 08:30", s)
	}}
}

// missingDatabase is err, opening the database at path, worded in each
// language when the file does not exist (a command that only reads does
// not create it).
func missingDatabase(path string, err error) error {
	if _, serr := os.Stat(path); !errors.Is(serr, fs.ErrNotExist) {
		return err
	}
	return saying{err: err, say: func(tr *i18n.Translator) string {
		return tr.F("open database: %s does not exist", path)
	}}
}

// badDate is err, core's for a DATE value s that does not read, worded
// in each language.
func badDate(s string, err error) error {
	return saying{err: err, say: func(tr *i18n.Translator) string {
		return tr.F("'%s' is not a date such as 2026-12-25", s)
	}}
}

// flagError is an error of the flag package, worded in each language
// with the flag's name and value as given; one it does not know stays
// as the package said it.
func flagError(err error) error {
	msg := err.Error()
	for _, f := range flagErrors {
		m := f.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		return saying{err: err, say: func(tr *i18n.Translator) string {
			args := make([]any, len(m)-1)
			for i, v := range m[1:] {
				args[i] = v
			}
			if f.reason {
				// The flag's own reason, last: strconv's, or a flag of ours.
				args[len(args)-1] = tr.T(m[len(m)-1])
			}
			return tr.F(f.format, args...)
		}}
	}
	return err
}

// flagErrors are the flag package's errors (flag.FlagSet.Parse), each
// read by re into the values of format, whose translations say it;
// reason: its last value is a reason of a few words, translated too.
var flagErrors = []struct {
	re     *regexp.Regexp
	format string
	reason bool
}{
	{regexp.MustCompile(`^flag provided but not defined: (-.*)$`), "flag provided but not defined: %s", false},
	{regexp.MustCompile(`^flag needs an argument: (-.*)$`), "flag needs an argument: %s", false},
	{regexp.MustCompile(`^invalid value (".*") for flag (-[^ :]+): (.*)$`), "invalid value %s for flag %s: %s", true},
	{regexp.MustCompile(`^invalid boolean value (".*") for (-[^ :]+): (.*)$`), "invalid boolean value %s for %s: %s", true},
	{regexp.MustCompile(`^invalid boolean flag ([^ :]+): (.*)$`), "invalid boolean flag %s: %s", true},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "bad flag syntax: %s", false},
}

// saying is an error of another package, or of the command line,
// worded by say in each language (saidError); its text and what it
// wraps are err's.
type saying struct {
	err error
	say func(tr *i18n.Translator) string
}

func (e saying) Error() string { return e.err.Error() }
func (e saying) Unwrap() error { return e.err }

// in is the error in tr's language; in English, its text as it is.
func (e saying) in(tr *i18n.Translator) string {
	if tr.Language() == "en" {
		return e.err.Error()
	}
	return e.say(tr)
}

// refusedf is a refused login (core.ErrLogin) for a reason of the
// command line's: "login refused: " and format filled with args, in
// each language.
func refusedf(format string, args ...any) error {
	p := phrase{format: core.ErrLogin.Error() + ": " + format, args: args}
	return saying{err: fmt.Errorf("%w: %s", core.ErrLogin, fmt.Sprintf(format, args...)), say: p.in}
}
