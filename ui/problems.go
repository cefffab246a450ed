package ui

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// A form's problems, each under its field. The engine reports every
// problem of a form at once (core.Problems), each naming its field and
// the rule broken by a code with its values; problemSpots shows each
// under its field, as "Owners: nobody called 'nobody'", in the window's
// language. The form's own checks (a date that does not read) make
// problems of the same kind (fieldError), collected with the others
// rather than stopping at the first.

// problemSpots are the places of a form's problems: a red label under
// each field, found by the engine's names of the field, and one under
// the form for the problems of no field it shows.
type problemSpots struct {
	fields map[string]*problemSpot
	rest   *widget.Label
}

// problemSpot is the red label under one field, and the field's name as
// the form shows it.
type problemSpot struct {
	label string
	text  *widget.Label
	lines []string
	// cell holds the field's widget over text, when under laid it out.
	cell *fyne.Container
}

// newProblemSpots makes the spots of a form whose other problems go to
// rest (a problemLabel under the form).
func newProblemSpots(rest *widget.Label) *problemSpots {
	return &problemSpots{fields: map[string]*problemSpot{}, rest: rest}
}

// under lays w over the red label of its problems: those of the engine's
// fields named ("owners": also "owners[1]"; "rules.doors": also
// "rules[0].doors[1]"), shown as the form's label
// names the field.
func (ps *problemSpots) under(w fyne.CanvasObject, label string, fields ...string) fyne.CanvasObject {
	text := ps.spot(label, fields...)
	cell := container.NewVBox(w, text)
	ps.fields[fields[0]].cell = cell
	return cell
}

// item is a form item of w under label, with the problems of fields
// under w.
func (ps *problemSpots) item(label string, w fyne.CanvasObject, fields ...string) *widget.FormItem {
	return widget.NewFormItem(label, ps.under(w, label, fields...))
}

// spot returns the red label for the problems of fields, for a form that
// places it itself.
func (ps *problemSpots) spot(label string, fields ...string) *widget.Label {
	s := &problemSpot{label: label, text: problemLabel()}
	for _, f := range fields {
		ps.fields[f] = s
	}
	return s.text
}

// clear hides every problem.
func (ps *problemSpots) clear() {
	for _, s := range ps.fields {
		s.lines = nil
		s.text.Hide()
	}
	if ps.rest != nil {
		ps.rest.Hide()
	}
}

// show shows the problems of err, each under its field, and reports
// whether err was about the input: invalid, in conflict or naming what
// does not exist. Anything else (a refusal, a store that failed) is left
// to the caller, with every spot cleared.
func (ps *problemSpots) show(err error) bool {
	ps.clear()
	if err == nil || errors.Is(err, core.ErrForbidden) ||
		!errors.Is(err, core.ErrInvalid) && !errors.Is(err, core.ErrConflict) && !errors.Is(err, core.ErrNotFound) {
		return false
	}
	var rest []string
	problems := core.ProblemsOf(err)
	for _, p := range problems {
		field := formField(p.Field)
		s := ps.fields[field]
		if s == nil {
			s = ps.fields[indexes.ReplaceAllString(field, "")]
		}
		if s == nil {
			s = ps.fields[listField(field)]
		}
		if s != nil && s.cell != nil && !s.cell.Visible() {
			s = nil // a field the form hides now: said under the form
		}
		text := problemText(p)
		if s == nil {
			if label, ok := fieldLabel(listField(field)); ok {
				text = withLabel(label, text)
			} else if field != "" {
				text = withLabel(field, text)
			}
			rest = append(rest, text)
			continue
		}
		if s.label != "" {
			text = withLabel(s.label, text)
		}
		s.lines = append(s.lines, text)
	}
	for _, s := range ps.fields {
		if len(s.lines) > 0 {
			s.text.SetText(strings.Join(s.lines, "\n"))
			s.text.Show()
		}
	}
	if len(problems) == 0 {
		rest = append(rest, plainText(err))
	}
	if len(rest) > 0 && ps.rest != nil {
		ps.rest.SetText(strings.Join(rest, "\n"))
		ps.rest.Show()
	}
	return true
}

// withLabel puts a field's label in front of its problem, as the
// window's language does: "Owners: ...", "Propriétaires : ...".
func withLabel(label, text string) string {
	return fmt.Sprintf(lang.L("%s: %s"), label, text)
}

// shownText is what the spot of field shows, "" when hidden.
func (ps *problemSpots) shownText(field string) string {
	if s := ps.fields[field]; s != nil && s.text.Visible() {
		return s.text.Text
	}
	return ""
}

// formField is a problem's field as a form knows it: a site file's path
// loses the list and index of its object, "doors[0].owners[1]" is
// "owners[1]", "site.timezone" is "timezone".
func formField(path string) string {
	return filePathHead.ReplaceAllString(path, "")
}

// filePathHead is the list and index that begins a site file path:
// "doors[0].", "site.".
var filePathHead = regexp.MustCompile(`^[a-z_]+(\[\d+\])?\.`)

// indexes are the indexes of a path: "rules[0].doors[1]" is
// "rules.doors" without them.
var indexes = regexp.MustCompile(`\[\d+\]`)

// listField is a field without its index: "owners[1]" is "owners".
func listField(field string) string {
	name, _, _ := strings.Cut(field, "[")
	return name
}

// plainText is err's message without the sentinel's name, which means
// nothing to people ("invalid: ...").
func plainText(err error) string {
	msg := err.Error()
	for _, sentinel := range []error{core.ErrInvalid, core.ErrConflict, core.ErrNotFound} {
		msg = strings.TrimPrefix(msg, sentinel.Error()+": ")
	}
	return msg
}

// fieldError is a problem with one field of a form, found before the
// engine is asked, worded already: it joins the engine's problems
// (core.Problems) and shows under its field.
func fieldError(field, problem string) *core.FieldError {
	return &core.FieldError{Field: field, Problem: problem, Err: core.ErrInvalid}
}

// required returns a problem for each empty value of values, given as
// value, field pairs: the form's own checks, which stop the engine from
// being asked, name the empty required fields too, so that the form shows
// every problem at once.
func required(values ...string) core.Problems {
	var ps core.Problems
	for i := 0; i+1 < len(values); i += 2 {
		if strings.TrimSpace(values[i]) == "" {
			ps = append(ps, &core.FieldError{Field: values[i+1], Problem: "required", Code: "required", Err: core.ErrInvalid})
		}
	}
	return ps
}

// problemText says a problem in the window's language: the sentence of
// its code with its values, or, for a problem without a code (a form's
// own, already worded), its text.
func problemText(p *core.FieldError) string {
	say, ok := problemSentences[p.Code]
	if !ok {
		return p.Problem
	}
	return say(func(name string) string { return p.Args[name] })
}

// problemSentences word each code of core.Problems, given its values.
var problemSentences = map[string]func(arg func(string) string) string{
	"required": func(func(string) string) string { return lang.L("required") },
	"bad_id": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not an identifier: use 1 to 64 letters, digits, '-', '_' or '.'"), a("value"))
	},
	"duplicate": func(a func(string) string) string { return fmt.Sprintf(lang.L("'%s' is given twice"), a("value")) },
	"taken": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is taken already, by %s"), a("value"), a("name"))
	},
	"no_person":   func(a func(string) string) string { return fmt.Sprintf(lang.L("nobody called '%s'"), a("value")) },
	"no_zone":     func(a func(string) string) string { return fmt.Sprintf(lang.L("no zone called '%s'"), a("value")) },
	"no_door":     func(a func(string) string) string { return fmt.Sprintf(lang.L("no door called '%s'"), a("value")) },
	"no_device":   func(a func(string) string) string { return fmt.Sprintf(lang.L("no device called '%s'"), a("value")) },
	"no_schedule": func(a func(string) string) string { return fmt.Sprintf(lang.L("no schedule called '%s'"), a("value")) },
	"no_shift":    func(a func(string) string) string { return fmt.Sprintf(lang.L("no shift called '%s'"), a("value")) },
	"no_access_level": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("no access level called '%s'"), a("value"))
	},
	"no_department": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("no department called '%s'"), a("value"))
	},
	"no_role":    func(a func(string) string) string { return fmt.Sprintf(lang.L("no role called '%s'"), a("value")) },
	"no_account": func(a func(string) string) string { return fmt.Sprintf(lang.L("no account called '%s'"), a("value")) },
	"bad_text":   func(func(string) string) string { return lang.L("is not valid text") },
	"line_break": func(func(string) string) string { return lang.L("must fit on one line") },
	"control_char": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("holds an invisible control character (%s)"), a("char"))
	},
	"direction_control": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("holds an invisible character that reorders the text (%s)"), a("char"))
	},
	"too_long": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("too long: %s characters, at most %s"), a("length"), a("max"))
	},
	"phone_char": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' has no place in a phone number: use digits, spaces, . - / ( ) and a + in front"), a("char"))
	},
	"phone_plus": func(func(string) string) string { return lang.L("a + may only start the number") },
	"phone_short": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("too few digits: %s, at least %s"), a("digits"), a("min"))
	},
	"bad_phone_prefix": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not a country code: a + and 1 to 3 digits, such as +33"), a("value"))
	},
	"bad_time": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not a date such as 2026-12-25, or a date and time such as 2026-12-25 08:30"), a("value"))
	},
	"not_after": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s is not after %s"), a("value"), a("other"))
	},
	"left_before_started": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s is before the first day, %s"), a("value"), a("other"))
	},
	"negative":     func(func(string) string) string { return lang.L("must not be negative") },
	"not_positive": func(func(string) string) string { return lang.L("must be longer than 0s") },
	"not_below": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s is not below %s"), a("value"), a("other"))
	},
	"too_short": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s is shorter than %s"), a("value"), a("min"))
	},
	"same_zone": func(func(string) string) string { return lang.L("the same zone as the other side") },
	"bad_relay": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not a relay channel such as relay1:1"), a("value"))
	},
	"not_relay": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("device '%s' is not a relay"), a("value"))
	},
	"bad_channel": func(a func(string) string) string {
		if a("max") == "" {
			return fmt.Sprintf(lang.L("channel %s: channels start at 1"), a("value"))
		}
		return fmt.Sprintf(lang.L("channel %s: this relay has channels 1 to %s"), a("value"), a("max"))
	},
	"relay_taken": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s opens door '%s' already"), a("value"), a("door"))
	},
	"bad_window": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not a time window such as 09:00-17:00"), a("value"))
	},
	"window_overlap": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s overlaps %s"), a("value"), a("other"))
	},
	"bad_choice": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not one of the choices"), a("value"))
	},
	"bad_year": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s: want a year from %s to %s"), a("value"), a("min"), a("max"))
	},
	"once_uses": func(func(string) string) string { return lang.L("give at least 1 use") },
	"not_work_zone": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("zone '%s' is not a work zone"), a("value"))
	},
	"work_zone":    func(a func(string) string) string { return fmt.Sprintf(lang.L("zone '%s' is a work zone"), a("value")) },
	"bad_timezone": func(a func(string) string) string { return fmt.Sprintf(lang.L("'%s' is not a time zone"), a("value")) },
	"zero_default": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("zero reads as the default, %s: leave it empty or give another value"), a("default"))
	},
	"password_short": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("too short: at least %s characters"), a("min"))
	},
	"password_blank": func(func(string) string) string { return lang.L("must not be only spaces") },
	"door_and_desk":  func(func(string) string) string { return lang.L("a reader serves a door or the desk, not both") },
	"relay_door":     func(func(string) string) string { return lang.L("a relay has no door: a door names its relay") },
	"relay_desk":     func(func(string) string) string { return lang.L("a relay cannot be the desk reader") },
	"desk_zone_unset": func(func(string) string) string {
		return lang.L("a desk reader needs the site's desk zone: set it in the site settings first")
	},
	"direction_no_door": func(func(string) string) string { return lang.L("a direction needs a door") },
	"reader_unplaced": func(func(string) string) string {
		return lang.L("give the reader a door and a direction, or make it the desk reader")
	},
	"not_of_kind": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("this kind of device has no setting '%s'"), a("setting"))
	},
	"bad_baud": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s is not a serial speed: 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200"), a("value"))
	},
	"bad_address": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s is not a Modbus address: 1 to 247"), a("value"))
	},
	"bad_bits": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s bits: a Wiegand reader sends 26 or 34"), a("value"))
	},
	"bad_usb_id": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("'%s' is not a USB id: 4 hex digits, such as 0035"), a("value"))
	},
	"permanent_bounds": func(func(string) string) string { return lang.L("a permanent grant has no start or end") },
	"used_over_uses": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("%s used, more than the %s given"), a("value"), a("uses"))
	},
	"uses_not_once": func(func(string) string) string { return lang.L("only a grant for a number of uses counts uses") },
	"not_zero":      func(func(string) string) string { return lang.L("must not be zero") },
	"too_large": func(a func(string) string) string {
		return fmt.Sprintf(lang.L("too large: at most %s hours either way"), a("max"))
	},
}
