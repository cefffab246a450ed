package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// Formats of dates and times on paper: dates in the language's way (in
// English ISO dates, 24/11/2026 in French), the same in every table;
// times as 24-hour clock.
const timeLayout = "15:04"

// hm writes minutes as hours:minutes: "7:05", "0:00", "-0:30",
// "1234:00".
func hm(minutes int) string {
	var b [24]byte
	return string(appendHM(b[:0], minutes))
}

func appendHM(b []byte, minutes int) []byte {
	if minutes < 0 {
		b = append(b, '-')
		minutes = -minutes
	}
	b = strconv.AppendInt(b, int64(minutes/60), 10)
	b = append(b, ':')
	if m := minutes % 60; m < 10 {
		b = append(b, '0', byte('0'+m))
	} else {
		b = strconv.AppendInt(b, int64(m), 10)
	}
	return b
}

// hoursHM writes a metric's hours as hours:minutes, rounded to the minute.
func hoursHM(hours float64) string {
	return hm(int(math.Round(hours * 60)))
}

// weekdayDate writes a civil date with its weekday: "Mon 2026-11-24",
// "lun. 24/11/2026".
func (c clock) weekdayDate(d core.Date) string {
	if c.tr.Language() == "en" {
		var b [16]byte
		out := append(b[:0], d.Weekday().String()[:3]...)
		out = append(out, ' ')
		out = appendDate(out, d)
		return string(out)
	}
	return c.tr.T(d.Weekday().String()[:3]) + " " + c.civil(d)
}

// civil writes a civil date in the language's way.
func (c clock) civil(d core.Date) string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(c.dateLayout)
}

func appendDate(b []byte, d core.Date) []byte {
	b = appendPadded(b, d.Year, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	return appendPadded(b, d.Day, 2)
}

func appendPadded(b []byte, v, width int) []byte {
	var digits [20]byte
	s := strconv.AppendInt(digits[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// clock formats instants in the site's zone, in a language's way.
type clock struct {
	loc *time.Location
	tr  *i18n.Translator
	// dateLayout is the language's layout of a date.
	dateLayout string
}

// newClock is the clock of zone loc and the language of tr.
func newClock(loc *time.Location, tr *i18n.Translator) clock {
	return clock{loc: loc, tr: tr, dateLayout: tr.DateLayout()}
}

// time writes "15:04".
func (c clock) time(t time.Time) string { return t.In(c.loc).Format(timeLayout) }

// date writes "2026-11-24".
func (c clock) date(t time.Time) string { return t.In(c.loc).Format(c.dateLayout) }

// dateTime writes "2026-11-24 15:04".
func (c clock) dateTime(t time.Time) string {
	return t.In(c.loc).Format(c.dateLayout + " " + timeLayout)
}

// sameDay reports whether a and b fall on the same local day.
func (c clock) sameDay(a, b time.Time) bool {
	ya, ma, da := a.In(c.loc).Date()
	yb, mb, db := b.In(c.loc).Date()
	return ya == yb && ma == mb && da == db
}

// timeOn writes t as "15:04" when it falls on the local day of ref, else
// as "2026-11-24 15:04".
func (c clock) timeOn(t, ref time.Time) string {
	if c.sameDay(t, ref) {
		return c.time(t)
	}
	return c.dateTime(t)
}

// span writes a period: "2026-11-24 09:00–17:30" on one day, else
// "2026-11-24 09:00 – 2026-11-26 18:00". A period that ends at midnight
// ends on the day before, "24:00".
func (c clock) span(from, until time.Time) string {
	if until.IsZero() {
		return c.dateTime(from) + " –"
	}
	if c.sameDay(from, until) {
		return c.dateTime(from) + "–" + c.time(until)
	}
	end := until.In(c.loc)
	if end.Hour() == 0 && end.Minute() == 0 && c.sameDay(from, end.Add(-time.Minute)) {
		return c.dateTime(from) + "–24:00"
	}
	return c.dateTime(from) + " – " + c.dateTime(until)
}

// moment writes the start of a period as a date when it is the start of a
// local day, else as date and time: the start of a grant.
func (c clock) moment(t time.Time) string {
	if d := core.DateOf(t, c.loc); d.At(0, c.loc).Equal(t) {
		return c.civil(d)
	}
	return c.dateTime(t)
}

// end writes the end of a period as the date of the day it ends when it
// is the end of a local day, as a date alone given as an end reads
// (core.ParseEnd): a grant until 2026-12-01 00:00 is "2026-11-30". Else
// as date and time: the end of a grant, of a card's validity.
func (c clock) end(t time.Time) string {
	if d, ok := core.EndDate(t, c.loc); ok {
		return c.civil(d)
	}
	return c.dateTime(t)
}

// result says a result in words in the report's language.
func (d *doc) result(r core.Result) string { return d.T(resultWords(r)) }

// resultWords says a result in words: "denied: outside schedule",
// "granted", "checked in".
func resultWords(r core.Result) string {
	switch r {
	case core.Granted:
		return "granted"
	case core.IgnoredDuplicate:
		return "ignored: duplicate"
	case core.CheckedIn:
		return "checked in"
	case core.CheckedOut:
		return "checked out"
	case core.AlreadyCheckedIn:
		return "already checked in"
	case core.AutoCheckout:
		return "automatic check-out"
	case core.CardRead:
		return "card read for enrolment"
	case core.DeniedAntipassback:
		return "denied: anti-passback"
	}
	s := string(r)
	if rest, ok := strings.CutPrefix(s, "denied_"); ok {
		return "denied: " + strings.ReplaceAll(rest, "_", " ")
	}
	return strings.ReplaceAll(s, "_", " ")
}
