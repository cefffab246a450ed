package core

import (
	"fmt"
	"strings"
)

// PhraseError is an error of the engine whose sentence the command line
// and the window say in their language: a sentinel (ErrInvalid,
// ErrConflict, ErrNotFound) and a sentence made of a format, the key of
// its translations, and its values as text. Its English text is the
// sentinel's, ": " and the sentence, as the engine always wrote it.
type PhraseError struct {
	Err    error
	Format string
	Args   []string
	// Words are the indexes in Args of values that are English words
	// ("door", "schedule"), which another language translates too.
	Words []int
}

func (e *PhraseError) Error() string { return e.Err.Error() + ": " + e.Sentence() }

// Unwrap returns the sentinel.
func (e *PhraseError) Unwrap() error { return e.Err }

// Sentence is the error's sentence, in English, without its sentinel.
func (e *PhraseError) Sentence() string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = a
	}
	return fmt.Sprintf(e.Format, args...)
}

// word is a value of a phrase that is an English word, translated with
// the phrase (PhraseError.Words).
type word string

// Word is a value of a phrase that is an English word or a few, which
// another language translates with the phrase: for the phrases of other
// packages (Phrasef).
type Word = word

// phrasef is a PhraseError of sentinel: format and args as fmt.Sprintf
// takes them. Each value is kept as text: a verb other than %s or %q
// (%d, %.1f, %v) becomes %s with its value written by it, so that the
// English text is fmt.Sprintf's and a translation takes only strings.
// The translations are keyed by PhraseFormat(format).
func phrasef(sentinel error, format string, args ...any) *PhraseError {
	return Phrasef(sentinel, format, args...)
}

// Phrasef is phrasef for other packages whose texts say themselves in
// each language as the engine's do (storage's verification).
func Phrasef(sentinel error, format string, args ...any) *PhraseError {
	e := &PhraseError{Err: sentinel, Format: PhraseFormat(format)}
	if len(args) > 0 {
		e.Args = make([]string, len(args))
	}
	verbs := phraseVerbs(format)
	for i, a := range args {
		verb := "%v"
		if i < len(verbs) {
			verb = verbs[i]
		}
		if w, ok := a.(word); ok {
			e.Words = append(e.Words, i)
			a = string(w)
		}
		if verb == "%q" {
			verb = "%s" // quoted by the format itself
		}
		e.Args[i] = fmt.Sprintf(verb, a)
	}
	return e
}

// PhraseFormat is the format a PhraseError keeps of a format given to
// phrasef: every verb but %s, %q and %% made %s.
func PhraseFormat(format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		j := verbEnd(format, i)
		switch v := format[i:j]; v {
		case "%s", "%q", "%%":
			b.WriteString(v)
		default:
			b.WriteString("%s")
		}
		i = j - 1
	}
	return b.String()
}

// phraseVerbs are format's verbs that take a value, in order.
func phraseVerbs(format string) []string {
	var out []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			continue
		}
		j := verbEnd(format, i)
		if v := format[i:j]; v != "%%" {
			out = append(out, v)
		}
		i = j - 1
	}
	return out
}

// verbEnd is the end of the verb that starts at format[i], a '%'.
func verbEnd(format string, i int) int {
	j := i + 1
	for j < len(format) && strings.IndexByte("+-# 0123456789.[]", format[j]) >= 0 {
		j++
	}
	if j < len(format) {
		j++
	}
	return j
}
