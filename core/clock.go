package core

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Clock gives the current instant; the engine never calls time.Now itself,
// so tests of shifts, cut-offs and DST set the time they need.
type Clock func() time.Time

// TimeOfDay is minutes since local midnight, 0..1440 (1440 is "24:00",
// which may only end a window or a day).
type TimeOfDay int

// minutesPerDay is the nominal length of a day on the wall clock.
const minutesPerDay = 24 * 60

// ParseTimeOfDay reads "HH:MM" with exactly two digits each, 00:00 to 24:00.
// Errors wrap ErrInvalid.
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	t, reason := parseTimeOfDay(s)
	if reason != "" {
		return 0, textErrorf("time of day %q: %s", s, reason)
	}
	return t, nil
}

// parseTimeOfDay returns the reason s is not a time of day, or "", so that
// window errors can say which end is wrong without repeating the text.
func parseTimeOfDay(s string) (TimeOfDay, string) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, "want HH:MM"
	}
	h, m := digitsValue(s[:2]), digitsValue(s[3:])
	switch {
	case h > 24:
		return 0, "hour must be 00 to 24"
	case m > 59:
		return 0, "minute must be 00 to 59"
	case h == 24 && m != 0:
		return 0, "24:00 is the latest time"
	}
	return TimeOfDay(h*60 + m), ""
}

// String writes "HH:MM"; a value outside 0..1440 is written so that it
// cannot be mistaken for a time.
func (t TimeOfDay) String() string {
	if t < 0 || t > minutesPerDay {
		return fmt.Sprintf("TimeOfDay(%d)", int(t))
	}
	return fmt.Sprintf("%02d:%02d", int(t)/60, int(t)%60)
}

// MarshalJSON writes the time as "HH:MM".
func (t TimeOfDay) MarshalJSON() ([]byte, error) {
	if t < 0 || t > minutesPerDay {
		return nil, textErrorf("time of day %d minutes is out of range", int(t))
	}
	return json.Marshal(t.String())
}

// UnmarshalJSON reads "HH:MM".
func (t *TimeOfDay) UnmarshalJSON(b []byte) error {
	s, err := jsonString(b, "time of day")
	if err != nil || s == nil {
		return err
	}
	v, err := ParseTimeOfDay(*s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// Date is a civil date in the site's zone. The zero Date is not a valid
// date; Dates compare with == and Before.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate reads "YYYY-MM-DD", rejecting days the month does not have.
// Errors wrap ErrInvalid.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !isDigits(s[:4]) || !isDigits(s[5:7]) || !isDigits(s[8:]) {
		return Date{}, textErrorf("date %q: want YYYY-MM-DD", s)
	}
	d := Date{
		Year:  digitsValue(s[:4]),
		Month: time.Month(digitsValue(s[5:7])),
		Day:   digitsValue(s[8:]),
	}
	if d.Month < time.January || d.Month > time.December {
		return Date{}, textErrorf("date %q: month must be 01 to 12", s)
	}
	if d.Day < 1 || d.Day > daysIn(d.Year, d.Month) {
		return Date{}, textErrorf("date %q: %s %d has no day %d", s, d.Month, d.Year, d.Day)
	}
	return d, nil
}

// DateOf returns the date t falls on in loc.
func DateOf(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return Date{y, m, d}
}

// valid reports whether d names a real day.
func (d Date) valid() bool {
	return d.Month >= time.January && d.Month <= time.December && d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// String writes "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalJSON writes the date as "YYYY-MM-DD"; an invalid date (such as
// the zero Date) is an error rather than text that would not read back.
func (d Date) MarshalJSON() ([]byte, error) {
	if !d.valid() || d.Year < 0 || d.Year > 9999 {
		return nil, textErrorf("date %s is not a valid date", d)
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	s, err := jsonString(b, "date")
	if err != nil || s == nil {
		return err
	}
	v, err := ParseDate(*s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// civil returns noon UTC on d: a day's arithmetic done in UTC has no DST.
func (d Date) civil() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC)
}

// AddDays returns the date n days after d (before, when n < 0).
func (d Date) AddDays(n int) Date {
	y, m, day := d.civil().AddDate(0, 0, n).Date()
	return Date{y, m, day}
}

// daysUntil returns how many days o is after d (negative when before).
func (d Date) daysUntil(o Date) int {
	return int(o.civil().Sub(d.civil()) / (24 * time.Hour))
}

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday { return d.civil().Weekday() }

// Before reports whether d is earlier than o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o, for
// slices.SortFunc and friends.
func (d Date) Compare(o Date) int {
	if c := cmp.Compare(d.Year, o.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(d.Month, o.Month); c != 0 {
		return c
	}
	return cmp.Compare(d.Day, o.Day)
}

// At returns the instant of wall time t on d in loc, as ResolveLocal
// reads it; 24:00 is the next day's 00:00.
func (d Date) At(t TimeOfDay, loc *time.Location) time.Time {
	return ResolveLocal(d, int(t)*60, loc)
}

// End returns the end of day d in loc: the next day's local start, the
// first instant not in d. It is what a date alone means as the end of a
// period (ParseEnd).
func (d Date) End(loc *time.Location) time.Time {
	return d.AddDays(1).At(0, loc)
}

// EndDate reports whether t is the end of a day in loc, and which: the day
// whose End is t, which ParseEnd reads back from that date alone.
func EndDate(t time.Time, loc *time.Location) (Date, bool) {
	d := DateOf(t, loc).AddDays(-1)
	return d, d.End(loc).Equal(t)
}

// maxZoneOffset bounds how far, in seconds, a zone's clock may be from
// UTC: RFC 8536 keeps TZif offsets within -25:59:59 to +25:59:59. An
// instant more than this before a wall time cannot show it.
const maxZoneOffset = 26 * 60 * 60

// ResolveLocal returns the first instant at which the clock of loc shows
// second sec of day d, or a later time: sec runs from 0 to 86400, which
// is the next day's 00:00. It is the one place where Frontdesk turns a
// local wall time into an instant (windows, times typed or read from a
// file, day starts), so every path reads it the same way:
//
//   - a wall time the clock shows once is that instant;
//   - a wall time the clock shows twice, in the hour it goes back, is the
//     first of the two;
//   - a wall time the clock skips, in the hour it goes forward, is the
//     instant of the jump, when the clock first shows a later time.
//
// The reading is the same east and west of UTC (time.Date leaves it open
// and differs), it never goes back as the wall time goes forward, so a
// window keeps its order, and a window inside the skipped hour covers
// nothing, as on the clock. The result is in loc.
func ResolveLocal(d Date, sec int, loc *time.Location) time.Time {
	wall := time.Date(d.Year, d.Month, d.Day, 0, 0, sec, 0, time.UTC).Unix()
	// Far from a change of offset time.Date is right: the instant shows the
	// wall time, and no earlier offset could have shown it first.
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, sec, 0, loc)
	_, offset := t.Zone()
	if start, _ := t.ZoneBounds(); t.Unix()+int64(offset) == wall && (start.IsZero() || start.Unix() <= wall-maxZoneOffset) {
		return t
	}
	return resolveNearChange(wall, loc)
}

// resolveNearChange is ResolveLocal near a change of offset, wall being
// the wall time read as UTC, in Unix seconds. Only the instants within
// maxZoneOffset of wall can show it, and the last of them shows it or a
// later time whatever the offset; it walks the zone's periods back from
// there and keeps the earliest instant whose clock reads wall or later.
// It uses only the periods' starts: time.Time.ZoneBounds may give an end
// that is not after the instant for years its zone computes from a rule.
func resolveNearChange(wall int64, loc *time.Location) time.Time {
	first := wall - maxZoneOffset
	best := wall + maxZoneOffset
	for last := best; last >= first; {
		t := time.Unix(last, 0).In(loc)
		_, offset := t.Zone()
		start := first
		if s, _ := t.ZoneBounds(); !s.IsZero() && s.Unix() > first {
			start = s.Unix()
		}
		// In the period [start, last] the clock shows wall at wall-offset;
		// when that is before start, the clock jumped past wall at start.
		if at := max(start, wall-int64(offset)); at <= last {
			best = at
		}
		last = start - 1
	}
	return time.Unix(best, 0).In(loc)
}

// Duration is a time.Duration written as Go text ("5m", "3s", "1h30m") in
// JSON. It is never negative.
type Duration time.Duration

// ParseDuration reads Go duration text ("3s", "1h30m"); negative durations
// are invalid. Errors wrap ErrInvalid.
func ParseDuration(s string) (Duration, error) {
	v, err := time.ParseDuration(s)
	if err != nil {
		return 0, textErrorf("duration %q: want a number and a unit, such as 3s, 5m or 1h30m", s)
	}
	if v < 0 {
		return 0, textErrorf("duration %q: must not be negative", s)
	}
	return Duration(v), nil
}

// String writes the duration as time.Duration does, without the zero
// minutes and seconds it appends: "5m" rather than "5m0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-len("0s")]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-len("0m")]
	}
	return s
}

// MarshalJSON writes the duration as its String.
func (d Duration) MarshalJSON() ([]byte, error) {
	if d < 0 {
		return nil, textErrorf("duration %s: must not be negative", time.Duration(d))
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads Go duration text.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s, err := jsonString(b, "duration")
	if err != nil || s == nil {
		return err
	}
	v, err := ParseDuration(*s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Layouts of local times a person may type, tried in order.
var localLayouts = []string{
	"2006-01-02T15:04",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05",
}

// ParseTime reads an instant given by a person: RFC 3339 with an offset
// ("2026-11-24T09:00:00+01:00" or "...Z"); a local wall time in loc
// ("2026-11-24T09:00", "2026-11-24T09:00:05", "2026-11-24 09:00"); or a
// date ("2026-11-24") meaning that day's local start. The result is in
// UTC. Local times are read by ResolveLocal: a time that DST repeats is
// its first occurrence, one that DST skips the instant of the jump;
// FormatLocal writes the second occurrence with its offset. Where the
// time ends a period, ParseEnd reads it instead. Errors wrap ErrInvalid.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	return parseInstant(s, loc, false)
}

// ParseEnd reads the end of a period given by a person (--to, --until,
// a form's "To" field, a site file's until): a date alone means the end
// of that day, the next day's local start, so that a justification "to
// 2026-11-03" covers the 3rd; anything else is read as ParseTime reads it
// and taken as written. Either way the end is exclusive. Errors wrap
// ErrInvalid.
func ParseEnd(s string, loc *time.Location) (time.Time, error) {
	return parseInstant(s, loc, true)
}

// parseInstant is ParseTime, or ParseEnd when end is set.
func parseInstant(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := parseTime(s, loc, end)
	if err != nil {
		return time.Time{}, err
	}
	// Outside years 1 to 9999 an instant has no four-digit year in UTC or
	// in loc, and FormatLocal could not write it back.
	if y, ly := t.Year(), t.In(loc).Year(); y < 1 || y > 9999 || ly < 1 || ly > 9999 {
		return time.Time{}, textErrorf("time %q: year must be 0001 to 9999", s)
	}
	return t.UTC(), nil
}

func parseTime(s string, loc *time.Location, end bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	if len(s) == len("2006-01-02") && !strings.ContainsAny(s, "T ") {
		d, err := ParseDate(s)
		if err != nil {
			return time.Time{}, err
		}
		if end {
			return d.End(loc), nil
		}
		return d.At(0, loc), nil
	}
	for _, layout := range localLayouts {
		// Parsed as UTC, the fields are the wall time; ResolveLocal places
		// it in loc.
		if w, err := time.Parse(layout, s); err == nil {
			y, m, d := w.Date()
			return ResolveLocal(Date{y, m, d}, w.Hour()*3600+w.Minute()*60+w.Second(), loc), nil
		}
	}
	return time.Time{}, textErrorf("time %q: want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24", s)
}

// FormatLocal writes t in loc as briefly as ParseTime reads it back to the
// same instant: "2026-11-24T09:00", or "2026-11-24T09:00:05" with seconds,
// and RFC 3339 with the offset when the short form would read back as
// another instant (the second pass of the hour DST repeats, which
// ResolveLocal reads as the first) or t has fractions of a second. It is
// meant for the instants ParseTime accepts, years 0001 to 9999.
func FormatLocal(t time.Time, loc *time.Location) string {
	lt := t.In(loc)
	full := lt.Format(time.RFC3339Nano)
	if _, offset := lt.Zone(); offset%60 != 0 {
		// RFC 3339 offsets have no seconds: old local mean times such as
		// Paris's +00:09:21 before 1911 would read back wrong.
		full = t.UTC().Format(time.RFC3339Nano)
	}
	if lt.Nanosecond() != 0 {
		return full
	}
	layout := "2006-01-02T15:04"
	if lt.Second() != 0 {
		layout = "2006-01-02T15:04:05"
	}
	short := lt.Format(layout)
	if back, err := ParseTime(short, loc); err != nil || !back.Equal(t) {
		return full
	}
	return short
}

// jsonString decodes a JSON string; it returns nil for null, which leaves
// the value as it was, as encoding/json does for other types.
func jsonString(b []byte, what string) (*string, error) {
	if string(b) == "null" {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, textErrorf("%s: want a string, got %.40s", what, b)
	}
	return &s, nil
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}
