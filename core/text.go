package core

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text rule. Every piece of text that names or describes something
// (a person's or a door's name, a phone number, a device's port, who gave
// a grant, a justification's reason, a file's name...) obeys it on every
// path that stores it: the screens, the site file, the people CSV and the
// API. Text is valid UTF-8 (refused, never repaired), holds no control
// character (escape codes, carriage returns, bells...) and no invisible
// direction override, and is not too long. Only notes - a
// justification's reason, a record's description - may hold line breaks.
//
// Text stored before the rule existed may still break it, so whatever
// prints stored text for a terminal escapes it too (see EscapeText).

// MaxNameLength is the most characters a name, or any other one-line
// text, may have.
const MaxNameLength = 200

// MaxNoteLength is the most characters a note may have: a
// justification's reason, an attendance record's description.
const MaxNoteLength = 2000

// CheckName applies the text rule to a name or any other one-line text.
// Its error wraps ErrInvalid and says the problem alone ("contains the
// control character U+001B"), for the caller to put the field's name in
// front. Empty text passes: whether a field is required is the caller's
// rule.
func CheckName(s string) error {
	return textProblem(s, MaxNameLength, false)
}

// CheckNote applies the text rule to a note, in which line breaks ("\n")
// are allowed, up to MaxNoteLength characters.
func CheckNote(s string) error {
	return textProblem(s, MaxNoteLength, true)
}

// normalizeNote writes a note's Windows and old Mac line breaks as "\n":
// text pasted from another program is not refused for its line ends.
func normalizeNote(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// textProblem says what breaks the text rule in s, or nil.
func textProblem(s string, maxLen int, lines bool) error {
	if !utf8.ValidString(s) {
		return codedf("bad_text", nil, "is not valid UTF-8 text")
	}
	n := 0
	for _, r := range s {
		n++
		char := fmt.Sprintf("U+%04X", r)
		switch {
		case r == '\n' && lines:
		case r == '\n' || r == '\r':
			return codedf("line_break", vals("char", char), "contains a line break (%s)", char)
		case unicode.IsControl(r):
			return codedf("control_char", vals("char", char), "contains the control character %s", char)
		case directionControl(r):
			return codedf("direction_control", vals("char", char), "contains the invisible direction control %s", char)
		}
	}
	if n > maxLen {
		return codedf("too_long", vals("max", strconv.Itoa(maxLen), "length", strconv.Itoa(n)),
			"is longer than %d characters (%d)", maxLen, n)
	}
	return nil
}

// directionControl reports whether r is one of the Unicode controls that
// embed, override or isolate the direction of the text after it: they
// make a line read in another order than it is stored ("Trojan Source").
// The left-to-right and right-to-left marks, which only attach to a
// letter, are allowed.
func directionControl(r rune) bool {
	return r >= '\u202A' && r <= '\u202E' || r >= '\u2066' && r <= '\u2069'
}

// EscapeText makes stored text safe to print on a terminal, whatever it
// holds: control characters - line breaks and tabs included, so text
// cannot start a line or a column of its own - and direction controls
// are written as Go escapes (\n, \x1b, \u202e), and bytes that are not
// UTF-8 as \xff. Text that obeys the text rule comes back unchanged.
func EscapeText(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || directionControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case unicode.IsControl(r) && r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unicode.IsControl(r) || directionControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
