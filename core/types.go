package core

import (
	"fmt"
	"strings"
	"time"
)

// Site holds the settings that apply to the whole site. Its zero value is
// completed by Defaults.
type Site struct {
	Name     string `json:"name"`
	Timezone string `json:"timezone"`
	// DayCutoff is the close of a work day for shifts that end before it:
	// whoever is still in a work zone is checked out then.
	DayCutoff TimeOfDay `json:"day_cutoff"`
	DayStart  TimeOfDay `json:"day_start"`
	Noon      TimeOfDay `json:"noon"`
	DayEnd    TimeOfDay `json:"day_end"`
	LateGrace Duration  `json:"late_grace"`
	// Debounce is how long a second tap of the same card at the same reader
	// is ignored.
	Debounce Duration `json:"debounce"`
	DeskMode DeskMode `json:"desk_mode"`
	// DeskZone is where a desk check-in puts a person; OutsideZone where a
	// desk check-out puts them.
	DeskZone    string `json:"desk_zone,omitempty"`
	OutsideZone string `json:"outside_zone,omitempty"`
	// PhonePrefix is the site's country calling code, "+33", with which
	// national mobile numbers are compared; "" derives it from the time
	// zone (see CallingCode).
	PhonePrefix string `json:"phone_prefix,omitempty"`
	// Language is the language of what the site's service writes on its
	// own (the daily checkpoint, scheduled files) and of a command line
	// whose locale names none of Languages: "en", "fr" or "ru"; "" is
	// English.
	Language string `json:"language,omitempty"`
	// Federation joins the site to the other sites of its company
	// (docs/federation.md); nil when it is alone.
	Federation *FederationSettings `json:"federation,omitempty"`

	// Payroll rules (docs/payroll.md). Each is optional: its zero value
	// leaves the timesheet as it was before the rule existed.
	Payroll
}

// FederationSettings join a site to its company's hub (docs/federation.md).
type FederationSettings struct {
	// Hub is the NATS server the sites meet on: nats://HOST:PORT (the
	// connection is always TLS, with the certificate of the credentials).
	Hub string `json:"hub"`
	// SiteID is this site's id among the company's sites: an id without
	// dots.
	SiteID string `json:"site_id"`
	// Central is true at the central site, which owns the directory.
	Central bool `json:"central,omitempty"`
	// CentralSite is, at a branch, the central site's id, as the hub told
	// it: refusals of directory changes name it.
	CentralSite string `json:"central_site,omitempty"`
	// Creds is the site's credentials file (frontdesk hub add-site).
	Creds string `json:"creds"`
}

// Payroll holds the site's optional attendance rules for payroll.
type Payroll struct {
	// EarlyLeaveGrace is how early one may leave without an early leave;
	// zero is LateGrace.
	EarlyLeaveGrace Duration `json:"early_leave_grace,omitempty"`
	// Overtime, when set, makes overtime_minutes the paid time beyond a
	// day's and a week's thresholds; nil keeps presence outside the
	// shift's windows.
	Overtime *OvertimePolicy `json:"overtime,omitempty"`
	// HalfDayBelow and AbsentBelow turn a scheduled day whose paid time
	// is below them into half_day or absent.
	HalfDayBelow Duration `json:"half_day_below,omitempty"`
	AbsentBelow  Duration `json:"absent_below,omitempty"`
	// AutoCheckoutAfter, when set, closes a forgotten check-out at the
	// shift's end plus this, instead of at the day's close.
	AutoCheckoutAfter Duration `json:"auto_checkout_after,omitempty"`
	// MaxPresence, when set, closes a stretch still open that long at its
	// start plus MaxPresence.
	MaxPresence Duration `json:"max_presence,omitempty"`
	// Night, when set, is the daily window whose paid presence is
	// night_minutes.
	Night *NightHours `json:"night,omitempty"`
	// BalanceFrom is where every person's time bank starts when it is
	// later than their started date.
	BalanceFrom Date `json:"balance_from,omitzero"`
}

// OvertimePolicy is when paid time becomes overtime. A zero threshold is
// not used.
type OvertimePolicy struct {
	DailyAfter  Duration `json:"daily_after,omitempty"`
	WeeklyAfter Duration `json:"weekly_after,omitempty"`
	// WeekStart is the first day of a payroll week: "mon" (the default,
	// also for "") to "sun".
	WeekStart string `json:"week_start,omitempty"`
}

// NightHours is a daily window of local time, "21:00-06:00"; From after
// To crosses midnight.
type NightHours struct {
	From, To TimeOfDay
}

// Languages are the languages Frontdesk speaks, by code, for
// Site.Language.
var Languages = []string{"en", "fr", "ru"}

// DeskMode says what a second desk tap does.
type DeskMode string

// Desk modes.
const (
	DeskToggle      DeskMode = "toggle"       // a second tap checks out
	DeskCheckinOnly DeskMode = "checkin_only" // taps only check in
)

// Defaults fills the settings a site file may leave out.
func (s Site) Defaults() Site {
	if s.Name == "" {
		s.Name = "Frontdesk"
	}
	if s.Timezone == "" {
		s.Timezone = "UTC"
	}
	if s.DayCutoff == 0 {
		s.DayCutoff = 21 * 60
	}
	if s.DayStart == 0 {
		s.DayStart = 8 * 60
	}
	if s.Noon == 0 {
		s.Noon = 13 * 60
	}
	if s.DayEnd == 0 {
		s.DayEnd = 18 * 60
	}
	if s.LateGrace == 0 {
		s.LateGrace = Duration(5 * time.Minute)
	}
	if s.Debounce == 0 {
		s.Debounce = Duration(3 * time.Second)
	}
	if s.DeskMode == "" {
		s.DeskMode = DeskToggle
	}
	if s.OutsideZone == "" {
		s.OutsideZone = "outside"
	}
	return s
}

// Location loads the site's time zone.
func (s Site) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return nil, fmt.Errorf("%w: time zone %q: %v", ErrInvalid, s.Timezone, err)
	}
	return loc, nil
}

// Zone is an area of the site; time in Work zones counts as worked time.
type Zone struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Work bool   `json:"work,omitempty"`
	// Site is the other site of the company the zone is of, read-only
	// here (docs/federation.md); "" for this site's own.
	Site string `json:"site,omitempty"`
}

// DoorMode is how a door treats taps.
type DoorMode string

// Door modes.
const (
	DoorNormal   DoorMode = "normal"   // taps are decided by rights
	DoorUnlocked DoorMode = "unlocked" // held unlocked: every known, valid card passes
	DoorLockdown DoorMode = "lockdown" // only master persons pass
)

// Door is an access point between two zones: an "in" reader leads from From
// to To, an "out" reader back.
type Door struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
	// Owners are the persons ("bosses") who may grant access to the door.
	Owners []string `json:"owners,omitempty"`
	// Relay is DEVICE:CHANNEL.
	Relay        string   `json:"relay,omitempty"`
	Pulse        Duration `json:"pulse,omitempty"`
	AntiPassback bool     `json:"antipassback,omitempty"`
	Mode         DoorMode `json:"mode,omitempty"`
	// Site is the other site of the company the door is at, read-only
	// here: the central site's access levels name it, its own site
	// decides it (docs/federation.md); "" for this site's own.
	Site string `json:"site,omitempty"`
}

// OwnedBy reports whether person owns the door.
func (d Door) OwnedBy(person string) bool {
	for _, o := range d.Owners {
		if o == person {
			return true
		}
	}
	return false
}

// Direction is the way a reader leads through its door.
type Direction string

// Directions.
const (
	In  Direction = "in"  // from → to
	Out Direction = "out" // to → from
)

// Device is a reader or a relay plugged into the reception PC, or a
// simulated one. Readers are bound to a door and a direction, or are the
// desk reader.
type Device struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Port      string `json:"port,omitempty"`
	Baud      int    `json:"baud,omitempty"`
	VID       string `json:"vid,omitempty"`
	PID       string `json:"pid,omitempty"`
	Serial    string `json:"serial,omitempty"`
	Address   int    `json:"address,omitempty"`
	FirstCoil int    `json:"first_coil,omitempty"`
	// Bits is the Wiegand format a serial-wiegand converter reads: 26
	// (default) or 34.
	Bits      int       `json:"bits,omitempty"`
	Door      string    `json:"door,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	Desk      bool      `json:"desk,omitempty"`
	// Format is how a usb-wedge or serial-wiegand reader writes card
	// numbers (see ReadFormats); "" and "auto" read only the lines whose
	// shape tells the format.
	Format string `json:"format,omitempty"`
	// Site is the other site of the company the device is plugged in at,
	// read-only here and never run: a copy that keeps its id that site's
	// (docs/federation.md), without port or serial; "" for this site's own.
	Site string `json:"site,omitempty"`
}

// Device kinds (DESIGN §6).
var (
	ReaderKinds = []string{"serial-rdm6300", "serial-id12", "serial-wiegand", "serial-line", "usb-wedge", "sim"}
	RelayKinds  = []string{"usb-dcttech-relay", "serial-lcus-relay", "serial-modbus-relay", "sim"}
)

// IsReader reports whether the device reads cards: a reader kind bound to a
// door or the desk. A "sim" device without door or desk is a relay.
func (d Device) IsReader() bool {
	return contains(ReaderKinds, d.Kind) && (d.Door != "" || d.Desk)
}

// IsRelay reports whether the device can be a door's relay.
func (d Device) IsRelay() bool {
	return contains(RelayKinds, d.Kind) && d.Door == "" && !d.Desk
}

// HolidayRule says whether a schedule's windows apply on holidays.
type HolidayRule string

// Holiday rules.
const (
	HolidaysNormal HolidayRule = "normal" // holidays are like other days
	HolidaysClosed HolidayRule = "closed" // no window on a holiday
)

// Schedule is a set of weekly windows during which an access rule applies.
type Schedule struct {
	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Holidays HolidayRule `json:"holidays,omitempty"`
	Week     Week        `json:"week"`
}

// Holiday is a date on which holiday-closed schedules give no window and no
// work is expected.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name,omitempty"`
}

// Shift is the expected working windows of a person per weekday.
type Shift struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Week Week   `json:"week"`
	// PaidBreaks makes presence in the gaps between a day's windows paid
	// time; by default it is break_minutes, unpaid.
	PaidBreaks bool `json:"paid_breaks,omitempty"`
	// AutoBreaks are the breaks a long day owes at least (German law:
	// 30m after 6h, 45m after 9h); the largest rule that applies counts.
	AutoBreaks []AutoBreak `json:"auto_breaks,omitempty"`
}

// AutoBreak is one automatic break rule: when presence less the breaks
// taken exceeds After, the day's break is at least Deduct.
type AutoBreak struct {
	After  Duration `json:"after"`
	Deduct Duration `json:"deduct"`
}

// Rule gives access to doors during a schedule; no schedule means always.
type Rule struct {
	Doors    []string `json:"doors"`
	Schedule string   `json:"schedule,omitempty"`
}

// AccessLevel is a named set of rules.
type AccessLevel struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Rules []Rule `json:"rules"`
}

// Department groups people and gives them a default access level and shift.
type Department struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	AccessLevel string `json:"access_level,omitempty"`
	Shift       string `json:"shift,omitempty"`
}

// Person is someone who may hold cards. A person's own AccessLevels and
// Shift, when set, replace their department's.
type Person struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Phone        string   `json:"phone,omitempty"`
	Department   string   `json:"department,omitempty"`
	AccessLevels []string `json:"access_levels,omitempty"`
	Shift        string   `json:"shift,omitempty"`
	// Master persons may open every door, even in lockdown.
	Master bool `json:"master,omitempty"`
	// PhoneCheckin says whether the person may check in by mobile number;
	// nil is the default: yes, unless they hold a staff account whose
	// roles give any permission (see PhoneCheckinAllowed).
	PhoneCheckin *bool `json:"phone_checkin,omitempty"`
	// Inactive persons' cards are refused.
	Inactive bool `json:"inactive,omitempty"`
	// Started and Left bound the person's time at the site, both days
	// included, in the site's zone: no day outside them is scheduled,
	// recorded or counted absent (see Employment). The engine sets
	// Started to the day a person is created when none is given; zero
	// Left is still there. A zero Started is a person stored before
	// these dates existed (see Engine.employment for what counts then).
	Started Date `json:"started,omitzero"`
	Left    Date `json:"left,omitzero"`
}

// CardState is whether a card may be used.
type CardState string

// Card states.
const (
	CardActive  CardState = "active"
	CardLost    CardState = "lost"
	CardRevoked CardState = "revoked"
)

// Card is a credential held by a person. Code is canonical (Code.String)
// and identifies the card.
type Card struct {
	Code   string    `json:"code"`
	Person string    `json:"person"`
	State  CardState `json:"state"`
	// From and Until bound the card's validity when not zero: From ≤ t < Until.
	From  time.Time `json:"from,omitzero"`
	Until time.Time `json:"until,omitzero"`
}

// GrantKind is how long a grant lasts.
type GrantKind string

// Grant kinds.
const (
	GrantPermanent GrantKind = "permanent" // no time bounds
	GrantTemporary GrantKind = "temporary" // From ≤ t < Until
	GrantOnce      GrantKind = "once"      // Uses uses, optionally within From–Until
)

// Grant gives one person access to one door, outside their access levels.
type Grant struct {
	ID     string    `json:"id"`
	Person string    `json:"person"`
	Door   string    `json:"door"`
	Kind   GrantKind `json:"kind"`
	From   time.Time `json:"from,omitzero"`
	Until  time.Time `json:"until,omitzero"`
	// Uses is how many passages a once grant allows; Used how many were made.
	Uses int `json:"uses,omitempty"`
	Used int `json:"used,omitempty"`
	// By names who gave the grant.
	By      string    `json:"by,omitempty"`
	Created time.Time `json:"created,omitzero"`
}

// UsesLeft is how many passages a once grant still allows.
func (g Grant) UsesLeft() int { return max(g.Uses-g.Used, 0) }

// validAt reports whether the grant's time bounds contain t.
func (g Grant) validAt(t time.Time) bool {
	return (g.From.IsZero() || !t.Before(g.From)) && (g.Until.IsZero() || t.Before(g.Until))
}

// Result is the outcome of a tap (DESIGN §2.1) or another presence event.
type Result string

// Results of access decisions, in the order they are checked.
const (
	DeniedUnknownCard     Result = "denied_unknown_card"
	DeniedAmbiguousCard   Result = "denied_ambiguous_card" // the read matches cards of several people
	DeniedCardBlocked     Result = "denied_card_blocked"
	IgnoredDuplicate      Result = "ignored_duplicate"
	DeniedDoorLocked      Result = "denied_door_locked"
	DeniedAntipassback    Result = "denied_antipassback"
	Granted               Result = "granted"
	DeniedNoUsesLeft      Result = "denied_no_uses_left"
	DeniedGrantExpired    Result = "denied_grant_expired"
	DeniedOutsideSchedule Result = "denied_outside_schedule"
	DeniedNoAccess        Result = "denied_no_access"
)

// Results of desk taps and presence events.
const (
	CheckedIn        Result = "checked_in"
	CheckedOut       Result = "checked_out"
	AlreadyCheckedIn Result = "already_checked_in"
	AutoCheckout     Result = "auto_checkout"
	// CardRead is a desk tap while a screen enrols a card: read, logged,
	// and nobody checked in or out (Engine.CaptureDesk).
	CardRead Result = "card_read"
)

// Results of check-ins by mobile number that do not check in (DESIGN §2.2).
const (
	// DeniedUnknownPhone: no person, or more than one, has the number.
	DeniedUnknownPhone Result = "denied_unknown_phone"
	// DeniedPhoneCheckin: the person is inactive or may not check in by
	// phone.
	DeniedPhoneCheckin Result = "denied_phone_checkin"
)

// Opens reports whether the result unlocks a door.
func (r Result) Opens() bool { return r == Granted }

// Denied reports whether the result is a refusal.
func (r Result) Denied() bool { return strings.HasPrefix(string(r), "denied_") }

// Event is one line of the append-only log: a decision with its
// explanation. Seq, PrevHash and Hash are set by the store when the event
// is appended; nothing ever rewrites an event.
type Event struct {
	// Site is the site of a federation the event was decided at
	// (docs/federation.md); "" at a site that has joined none. It is not
	// stored with the event, nor hashed: a site's own events read with
	// its id, another site's with the id they are filed under at the
	// central site, so the stored bytes and the chain are the branch's.
	Site      string    `json:"site,omitempty"`
	Seq       uint64    `json:"seq"`
	At        time.Time `json:"at"`
	Reader    string    `json:"reader,omitempty"`
	Door      string    `json:"door,omitempty"`
	Direction Direction `json:"direction,omitempty"`
	// Card is the canonical code of the matched card, or the code read when
	// no card matched.
	Card   string `json:"card,omitempty"`
	Person string `json:"person,omitempty"`
	Result Result `json:"result"`
	// Explanation is why, in English; Why is the same as a code and its
	// values, written in the reader's language when shown. Events logged
	// before reasons existed have no Why: their Explanation is shown.
	Explanation string  `json:"explanation"`
	Why         *Reason `json:"reason,omitempty"`
	// Grant is the grant that opened the door, if one did.
	Grant string `json:"grant,omitempty"`
	// Zone is where the event put the person, if it moved them.
	Zone     string `json:"zone,omitempty"`
	PrevHash string `json:"prev_hash,omitempty"`
	Hash     string `json:"hash,omitempty"`
}

// Presence is where a person was last seen.
type Presence struct {
	Person string    `json:"person"`
	Zone   string    `json:"zone"`
	Since  time.Time `json:"since"`
	// Seq is the event that put them there.
	Seq uint64 `json:"seq"`
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
