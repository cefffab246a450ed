package core

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Check-in by mobile number (DESIGN §2.2, seed 000): a person who forgot
// their badge gives their number at the reception, and the engine checks
// them in at the desk zone as a desk tap would.

// PhoneKeyDigits is how many trailing digits of a number the store files
// people under (PhoneKey): enough to tell mobile numbers apart, and no
// country code or trunk prefix, so that "+33 6 12 34 56 78" and
// "06 12 34 56 78" share a key whatever the site's phone_prefix.
const PhoneKeyDigits = 9

// phoneMinDigits is the fewest digits NormalizePhone accepts.
const phoneMinDigits = 6

// callingCodes gives the country calling code of a few time zones, for
// sites that set no phone_prefix. Small on purpose: a site elsewhere sets
// phone_prefix.
var callingCodes = map[string]string{
	"Europe/Paris":        "+33",
	"Europe/Berlin":       "+49",
	"Europe/Madrid":       "+34",
	"Europe/Rome":         "+39",
	"Europe/Brussels":     "+32",
	"Europe/Zurich":       "+41",
	"Europe/London":       "+44",
	"Europe/Moscow":       "+7",
	"America/New_York":    "+1",
	"America/Chicago":     "+1",
	"America/Denver":      "+1",
	"America/Los_Angeles": "+1",
	"Asia/Tokyo":          "+81",
}

// CallingCode returns the country calling code national numbers are read
// with: PhonePrefix if set, else the code of the site's time zone, else ""
// (numbers are then compared as their digits).
func (s Site) CallingCode() string {
	if s.PhonePrefix != "" {
		return s.PhonePrefix
	}
	return callingCodes[s.Timezone]
}

// CheckPhonePrefix checks a phone_prefix setting: "" or "+" and 1 to 3
// digits.
func CheckPhonePrefix(prefix string) error {
	if prefix == "" {
		return nil
	}
	digits, ok := strings.CutPrefix(prefix, "+")
	if !ok || len(digits) < 1 || len(digits) > 3 || strings.TrimLeft(digits, "0123456789") != "" {
		return fmt.Errorf("%w: %w", ErrInvalid, codedf("bad_phone_prefix", vals("value", prefix),
			"phone prefix %q: want + and 1 to 3 digits, like +33", prefix))
	}
	return nil
}

// NormalizePhone writes a phone number in the form numbers are compared
// in: spaces, dots, dashes, slashes and parentheses are dropped; "00CC..."
// becomes "+CC..."; "+CC..." stays; a national number with one trunk "0"
// becomes prefix and the rest without the 0; any other number is its
// digits. With prefix "+33", "+33 6 12 34 56 78", "0612345678",
// "06.12.34.56.78" and "0033612345678" are all "+33612345678". prefix is
// "" (no country code handling) or a valid CheckPhonePrefix. The error
// wraps ErrInvalid: a letter or another sign, a "+" not in front, or
// fewer than 6 digits.
func NormalizePhone(s, prefix string) (string, error) {
	if err := CheckPhonePrefix(prefix); err != nil {
		return "", err
	}
	var b strings.Builder
	plus := false
	n := 0
	for _, r := range s {
		n++
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r), r == '.', r == '-', r == '/', r == '(', r == ')':
		case r == '+' && b.Len() == 0 && !plus:
			plus = true
		case r == '+':
			return "", fmt.Errorf("%w: %w", ErrInvalid, codedf("phone_plus", nil, "phone %q: a + may only start the number", s))
		default:
			return "", fmt.Errorf("%w: %w", ErrInvalid, codedf("phone_char", vals("char", string(r)),
				"phone %q: %q (character %d) is not part of a phone number: use digits, spaces, . - / ( ) and a leading +", s, r, n))
		}
	}
	d := b.String()
	switch {
	case d == "":
		return "", fmt.Errorf("%w: %w", ErrInvalid, codedf("phone_short", vals("digits", "0", "min", strconv.Itoa(phoneMinDigits)),
			"phone %q has no digits", s))
	case len(d) < phoneMinDigits:
		return "", fmt.Errorf("%w: %w", ErrInvalid, codedf("phone_short", vals("digits", strconv.Itoa(len(d)), "min", strconv.Itoa(phoneMinDigits)),
			"phone %q: %d digits, want at least %d", s, len(d), phoneMinDigits))
	}
	switch {
	case plus:
		return "+" + d, nil
	case strings.HasPrefix(d, "00"):
		return "+" + d[2:], nil
	case prefix != "" && d[0] == '0':
		return prefix + d[1:], nil
	}
	return d, nil
}

// PhoneKey is the key a phone number is filed under in the store: its last
// PhoneKeyDigits digits (all of them when it has fewer), or "" when it has
// none. It is the same for a number written nationally or
// internationally, so the store needs no phone_prefix.
func PhoneKey(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	return d[max(len(d)-PhoneKeyDigits, 0):]
}

// CheckinPhone checks in the person whose mobile number is phone, for
// people who forgot their badge (DESIGN §2.2): it puts them in the site's
// desk zone at at (zero means the engine's clock) and records the event
// like a tap, durable before it returns and sent to subscribers. It never
// opens a door, and never checks anyone out.
//
// The number is read with the site's CallingCode (NormalizePhone) and must
// be exactly one person's. The result is checked_in, or
// already_checked_in when the person is in a work zone, or a refusal:
// denied_unknown_phone when no person or several have the number,
// denied_phone_checkin when the person is inactive or may not check in by
// phone: their Person.PhoneCheckin when set, else not if they hold a staff
// account whose roles give any permission. A refusal is an event, not an
// error.
//
// Needs attendance.checkin. Errors: ErrInvalid for a malformed number or a
// site without desk_zone.
func (e *Engine) CheckinPhone(a Actor, phone string, at time.Time) (Event, error) {
	if _, err := e.require(a, PermAttendanceCheck, "check people in by phone"); err != nil {
		return Event{}, err
	}
	num, err := NormalizePhone(phone, e.Site().CallingCode())
	if err != nil {
		return Event{}, fmt.Errorf("check in by phone: %w", err)
	}
	if at.IsZero() {
		at = e.now()
	}
	at = at.UTC()
	var ev Event
	err = e.store.Batch(func(tx Tx) error {
		o, err := e.decider(tx).phone(num, at)
		if err != nil {
			return err
		}
		if err := apply(tx, &o); err != nil {
			return err
		}
		ev = o.ev
		return nil
	})
	if err != nil {
		return Event{}, fmt.Errorf("check in by phone %s: %w", num, err)
	}
	e.log.Info("phone check-in", "phone", num, "person", ev.Person, "result", ev.Result, "by", a.String())
	e.publish(ev)
	return ev, nil
}

// phone decides a check-in by the normalised number num at t. It changes
// nothing; the caller applies the outcome.
func (d *decider) phone(num string, t time.Time) (outcome, error) {
	if d.site.DeskZone == "" {
		return outcome{}, phrasef(ErrInvalid, "the site has no desk_zone, so no one can check in by phone")
	}
	o := outcome{ev: Event{At: t}}
	ids, err := d.tx.PeopleByPhone(PhoneKey(num))
	if err != nil {
		return outcome{}, err
	}
	prefix := d.site.CallingCode()
	var found []Person
	for _, id := range ids {
		p, err := get[Person](d.tx, KindPerson, id)
		if errors.Is(err, ErrNotFound) {
			continue // a dangling index entry: Verify reports it
		} else if err != nil {
			return outcome{}, err
		}
		// A stored number that does not read as one matches nothing.
		if n, err := NormalizePhone(p.Phone, prefix); err == nil && n == num {
			found = append(found, p)
		}
	}
	switch {
	case len(found) == 0:
		return o.deny(DeniedUnknownPhone, NewReason(ReasonPhoneUnknown, "phone", num)), nil
	case len(found) > 1:
		return o.deny(DeniedUnknownPhone, NewReason(ReasonPhoneShared, "phone", num, CountArg, len(found))), nil
	}
	p := found[0]
	o.ev.Person = p.ID
	if p.Inactive {
		return o.deny(DeniedPhoneCheckin, NewReason(ReasonPersonInactive, "person", p.Name)), nil
	}
	if ok, why := d.cfg.phoneCheckinAllowed(p); !ok {
		return o.deny(DeniedPhoneCheckin, why), nil
	}
	cur, err := d.tx.Presence(p.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return outcome{}, err
	}
	if err == nil {
		in, err := d.isWork(cur.Zone)
		if err != nil {
			return outcome{}, err
		}
		if in {
			o.ev.Result = AlreadyCheckedIn
			o.ev.explain(NewReason(ReasonAlreadyIn, "person", p.Name, "since", d.local(cur.Since)))
			return o, nil
		}
	}
	o.ev.Result = CheckedIn
	o.ev.explain(NewReason(ReasonPhoneIn, "person", p.Name))
	o.moveTo = d.site.DeskZone
	return o, nil
}

// phoneCheckinAllowed reports whether p may check in by mobile number,
// and if not, why (DESIGN §2.2): their phone_checkin when it is set, else
// yes unless they hold a staff account whose roles give any permission
// (seed 000 bans it for managers: their number is known). A disabled
// account counts too: its holder's number is no less known. Whether p is
// active is not considered here.
func (c *config) phoneCheckinAllowed(p Person) (bool, *Reason) {
	if p.PhoneCheckin != nil {
		if *p.PhoneCheckin {
			return true, nil
		}
		return false, NewReason(ReasonPhoneOff, "person", p.Name)
	}
	var staff []string // usernames, for a stable explanation
	for _, acc := range c.accounts {
		if acc.Person != p.ID {
			continue
		}
		for _, r := range acc.Roles {
			if len(c.roles[r].Permissions) > 0 {
				staff = append(staff, acc.Username)
				break
			}
		}
	}
	if len(staff) == 0 {
		return true, nil
	}
	slices.Sort(staff)
	return false, NewReason(ReasonPhoneOffStaff, "person", p.Name, "account", staff[0])
}
