package core

import (
	"errors"
	"strings"
)

// Problems with input, all at once. A form, or a site file, that breaks
// several rules gets every problem back in one error (Problems), each
// naming its field, so that a screen shows each beside its field rather
// than the first under the whole form. Each problem has a stable code and
// its values besides its English sentence, so that a screen words it in
// its own language: the codes are the words of the problems' table
// below, and Args the values its sentence names.
//
//	required            the field is empty
//	bad_id              value: not 1 to 64 letters, digits, '-', '_' or '.'
//	duplicate           value: given twice (ids, dates, cards, roles...)
//	taken               value, name: the id belongs to name already
//	no_zone, no_door, no_device, no_schedule, no_shift, no_access_level,
//	no_department, no_person, no_role, no_account
//	                    value: names nothing of that kind
//	bad_text            the text is not valid UTF-8
//	line_break          char: a line break in one-line text
//	control_char        char: an invisible control character
//	direction_control   char: a control that reorders the text
//	too_long            max, length: more characters than max
//	phone_char          char: a character that is not part of a phone
//	                    number (allowed: digits, spaces, . - / ( ) and a
//	                    leading +)
//	phone_plus          a + that does not start the number
//	phone_short         digits, min: too few digits
//	bad_phone_prefix    value: not + and 1 to 3 digits
//	bad_time            value: not a date or a date and time
//	zero_default        default: 0 or 00:00, which reads back as the
//	                    default
//	not_after           value, other: an end not after its start
//	left_before_started value, other: a leaving day before the start
//	negative            a number or duration below zero
//	not_positive        a duration of zero where it makes no sense
//	not_below           value, other: not below other (a break's deduct
//	                    and its after, absent_below and half_day_below)
//	too_short           value, min: a duration shorter than min
//	same_zone           a door's two sides are the same zone
//	bad_relay           value: not DEVICE:CHANNEL
//	not_relay           value: the device is not a relay
//	bad_channel         value, max: no such relay channel ("" max: from 1)
//	relay_taken         value, door: another door uses that channel
//	bad_window          value: a time window that does not read
//	window_overlap      value, other: two windows of a day overlap
//	bad_choice          value: not one of the field's choices
//	bad_year            value, min, max: a year outside min..max
//	once_uses           a single-use grant with no use
//	not_work_zone, work_zone
//	                    value: a zone that is not, or is, a work zone
//	bad_timezone        value: not a time zone name
//	password_short      min: a password too short
//	password_blank      a password of spaces
//	door_and_desk       a reader given a door and desk: true
//	relay_door, relay_desk
//	                    kind: a relay given a door, or made the desk reader
//	desk_zone_unset     a desk reader while the site has no desk zone
//	direction_no_door   a direction without a door
//	reader_unplaced     kind: a reader with neither a door nor desk: true
//	not_of_kind         kind, setting: a setting this kind of device has not
//	bad_baud, bad_address, bad_bits, bad_usb_id
//	                    value: a serial speed, Modbus address, Wiegand
//	                    width or USB id out of its choices
//	permanent_bounds    a permanent grant given a from or an until
//	used_over_uses      value, uses: more uses spent than given
//	uses_not_once       uses or used on a grant that is not a once grant
//	not_zero            a number that must not be zero (a correction)
//	too_large           value, max: beyond max hours either way
//	bad_hub             value: not nats://HOST:PORT
//	bad_site_id         value: not an id without dots
//	other_site_door     value, site: a reader of this site given another
//	                    site's door
//	other_site_device   value, site: another site's device made the relay
//	                    of a door of this one
//
// A problem without a code is worded in English only.

// Problems is every problem one input has, in the order they were found:
// each a *FieldError or a *SiteFileError. Its text is theirs, one a line,
// so that the command line says what it always said for one problem.
// errors.Is sees each problem's sentinel through it (ErrInvalid,
// ErrNotFound, ErrConflict), errors.As the first problem.
type Problems []error

// Error returns the problems' texts, one a line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems.
func (ps Problems) Unwrap() []error { return ps }

// Err returns nil when there is no problem, else ps.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// ProblemsOf returns the problems err reports, as field errors: those of
// a Problems, else its *FieldError or *SiteFileError (whose Path is the
// Field), else none. A site file's problems keep their whole path
// ("doors[0].owners[1]"); a screen takes what names its own fields.
func ProblemsOf(err error) []*FieldError {
	var ps Problems
	if errors.As(err, &ps) {
		var out []*FieldError
		for _, p := range ps {
			out = append(out, ProblemsOf(p)...)
		}
		return out
	}
	var fe *FieldError
	var se *SiteFileError
	switch {
	case errors.As(err, &fe):
		return []*FieldError{fe}
	case errors.As(err, &se):
		return []*FieldError{{Field: se.Path, Problem: se.Problem, Code: se.Code, Args: se.Args, Err: se.Err}}
	}
	return nil
}

// problemOf builds a problem of field that wraps ErrInvalid, with its
// code and values given as name, value pairs.
func problemOf(field, code, problem string, args ...string) *FieldError {
	return &FieldError{Field: field, Problem: problem, Code: code, Args: argsOf(args...), Err: ErrInvalid}
}

// argsOf makes the values of a problem from name, value pairs.
func argsOf(kv ...string) map[string]string {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// coded is an error of the core that carries a problem's code.
type coded interface {
	problemCode() (string, map[string]string)
}

// codeOf returns the code and values err carries, if any.
func codeOf(err error) (string, map[string]string) {
	var c coded
	if errors.As(err, &c) {
		return c.problemCode()
	}
	return "", nil
}

// ProblemAt is err, a rule of the core broken (CheckName,
// NormalizePhone, CheckPasswordRules...), as the problem of field: its
// text without the leading "invalid: ", and its code if it has one. A
// screen that checks a field itself reports it as the engine would.
func ProblemAt(field string, err error) *FieldError { return fieldFrom(field, err) }

// fieldFrom is err, a rule of the core broken, as the problem of field:
// its text without the leading "invalid: ", its code if it has one.
func fieldFrom(field string, err error) *FieldError {
	code, args := codeOf(err)
	return &FieldError{Field: field, Problem: invalidText(err), Code: code, Args: args, Err: ErrInvalid}
}

// refCode is the code of a reference to a kind that names nothing.
func refCode(kind Kind) string {
	return "no_" + strings.ReplaceAll(kindNoun[kind], " ", "_")
}
