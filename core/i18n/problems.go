package i18n

import (
	"fmt"

	"frontdesk/core"
)

// Problem says a problem of an input (core.Problems) in the translator's
// language: the sentence of its code with its values, or, for a problem
// without a code (worded already, in English), its text. The window
// shows it under the field; the command line after the field's JSON path.
func (t *Translator) Problem(p *core.FieldError) string {
	say, ok := problemSentences[p.Code]
	if !ok {
		return p.Problem
	}
	return say(t, func(name string) string { return p.Args[name] })
}

// HasProblemSentence reports whether code has a sentence.
func HasProblemSentence(code string) bool {
	_, ok := problemSentences[code]
	return ok
}

// problemSentences word each code of core.Problems (the table in
// core/problems.go), given its values.
var problemSentences = map[string]func(t *Translator, arg func(string) string) string{
	"required": func(t *Translator, _ func(string) string) string { return t.T("required") },
	"bad_id": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not an identifier: use 1 to 64 letters, digits, '-', '_' or '.'"), a("value"))
	},
	"duplicate": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is given twice"), a("value"))
	},
	"taken": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is taken already, by %s"), a("value"), a("name"))
	},
	"no_person": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("nobody called '%s'"), a("value"))
	},
	"no_zone": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no zone called '%s'"), a("value"))
	},
	"no_door": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no door called '%s'"), a("value"))
	},
	"no_device": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no device called '%s'"), a("value"))
	},
	"no_schedule": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no schedule called '%s'"), a("value"))
	},
	"no_shift": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no shift called '%s'"), a("value"))
	},
	"no_access_level": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no access level called '%s'"), a("value"))
	},
	"no_department": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no department called '%s'"), a("value"))
	},
	"no_role": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no role called '%s'"), a("value"))
	},
	"no_account": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("no account called '%s'"), a("value"))
	},
	"bad_text":   func(t *Translator, _ func(string) string) string { return t.T("is not valid text") },
	"line_break": func(t *Translator, _ func(string) string) string { return t.T("must fit on one line") },
	"control_char": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("holds an invisible control character (%s)"), a("char"))
	},
	"direction_control": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("holds an invisible character that reorders the text (%s)"), a("char"))
	},
	"too_long": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("too long: %s characters, at most %s"), a("length"), a("max"))
	},
	"phone_char": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' has no place in a phone number: use digits, spaces, . - / ( ) and a + in front"), a("char"))
	},
	"phone_plus": func(t *Translator, _ func(string) string) string { return t.T("a + may only start the number") },
	"phone_short": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("too few digits: %s, at least %s"), a("digits"), a("min"))
	},
	"bad_phone_prefix": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a country code: a + and 1 to 3 digits, such as +33"), a("value"))
	},
	"bad_time": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a date such as 2026-12-25, or a date and time such as 2026-12-25 08:30"), a("value"))
	},
	"not_after": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s is not after %s"), a("value"), a("other"))
	},
	"left_before_started": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s is before the first day, %s"), a("value"), a("other"))
	},
	"negative":     func(t *Translator, _ func(string) string) string { return t.T("must not be negative") },
	"not_positive": func(t *Translator, _ func(string) string) string { return t.T("must be longer than 0s") },
	"not_below": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s is not below %s"), a("value"), a("other"))
	},
	"too_short": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s is shorter than %s"), a("value"), a("min"))
	},
	"same_zone": func(t *Translator, _ func(string) string) string { return t.T("the same zone as the other side") },
	"bad_relay": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a relay channel such as relay1:1"), a("value"))
	},
	"not_relay": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("device '%s' is not a relay"), a("value"))
	},
	"bad_channel": func(t *Translator, a func(string) string) string {
		if a("max") == "" {
			return fmt.Sprintf(t.T("channel %s: channels start at 1"), a("value"))
		}
		return fmt.Sprintf(t.T("channel %s: this relay has channels 1 to %s"), a("value"), a("max"))
	},
	"relay_taken": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s opens door '%s' already"), a("value"), a("door"))
	},
	"bad_window": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a time window such as 09:00-17:00"), a("value"))
	},
	"window_overlap": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s overlaps %s"), a("value"), a("other"))
	},
	"bad_choice": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not one of the choices"), a("value"))
	},
	"bad_year": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s: want a year from %s to %s"), a("value"), a("min"), a("max"))
	},
	"once_uses": func(t *Translator, _ func(string) string) string { return t.T("give at least 1 use") },
	"not_work_zone": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("zone '%s' is not a work zone"), a("value"))
	},
	"work_zone": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("zone '%s' is a work zone"), a("value"))
	},
	"bad_timezone": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a time zone"), a("value"))
	},
	"zero_default": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("zero reads as the default, %s: leave it empty or give another value"), a("default"))
	},
	"password_short": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("too short: at least %s characters"), a("min"))
	},
	"password_blank": func(t *Translator, _ func(string) string) string { return t.T("must not be only spaces") },
	"door_and_desk": func(t *Translator, _ func(string) string) string {
		return t.T("a reader serves a door or the desk, not both")
	},
	"relay_door": func(t *Translator, _ func(string) string) string {
		return t.T("a relay has no door: a door names its relay")
	},
	"relay_desk": func(t *Translator, _ func(string) string) string { return t.T("a relay cannot be the desk reader") },
	"desk_zone_unset": func(t *Translator, _ func(string) string) string {
		return t.T("a desk reader needs the site's desk zone: set it in the site settings first")
	},
	"direction_no_door": func(t *Translator, _ func(string) string) string { return t.T("a direction needs a door") },
	"reader_unplaced": func(t *Translator, _ func(string) string) string {
		return t.T("give the reader a door and a direction, or make it the desk reader")
	},
	"other_site_door": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("door '%s' is site %s's: only that site's readers serve it"), a("value"), a("site"))
	},
	"other_site_device": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("device '%s' is site %s's: it switches that site's doors, not this one's"), a("value"), a("site"))
	},
	"not_of_kind": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("this kind of device has no setting '%s'"), a("setting"))
	},
	"bad_baud": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s is not a serial speed: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200"), a("value"))
	},
	"bad_address": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s is not a Modbus address: 1 to 247"), a("value"))
	},
	"bad_bits": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s bits: a Wiegand reader sends 26 or 34"), a("value"))
	},
	"bad_usb_id": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a USB id: 4 hex digits, such as 0035"), a("value"))
	},
	"permanent_bounds": func(t *Translator, _ func(string) string) string { return t.T("a permanent grant has no start or end") },
	"used_over_uses": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("%s used, more than the %s given"), a("value"), a("uses"))
	},
	"uses_not_once": func(t *Translator, _ func(string) string) string {
		return t.T("only a grant for a number of uses counts uses")
	},
	"not_zero": func(t *Translator, _ func(string) string) string { return t.T("must not be zero") },
	"bad_hub": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a hub address such as nats://hub.example.com:4222"), a("value"))
	},
	"bad_site_id": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("'%s' is not a site id: use 1 to 64 letters, digits, '-' or '_'"), a("value"))
	},
	"too_large": func(t *Translator, a func(string) string) string {
		return fmt.Sprintf(t.T("too large: at most %s hours either way"), a("max"))
	},
}

// Phrase is the sentence of e, without its sentinel, in the
// translator's language: its format's translation filled with its
// values, the words among them translated too.
func (t *Translator) Phrase(e *core.PhraseError) string {
	args := make([]any, len(e.Args))
	for i, a := range e.Args {
		args[i] = a
	}
	for _, w := range e.Words {
		if w >= 0 && w < len(args) {
			args[w] = t.T(e.Args[w])
		}
	}
	return t.F(e.Format, args...)
}
