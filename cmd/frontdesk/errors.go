package main

import (
	"errors"
	"strings"

	"frontdesk/core"
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
	var said saidError
	if errors.As(err, &said) && said.Error() == msg {
		return []string{said.in(tr)}
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
