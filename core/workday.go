package core

import (
	"time"
)

// Span is an interval of instants, From inclusive, To exclusive.
type Span struct {
	From, To time.Time
}

// Duration is the span's length in absolute time: a night shift across the
// October DST change lasts an hour more than its wall-clock windows say.
func (s Span) Duration() time.Duration {
	if !s.To.After(s.From) {
		return 0
	}
	return s.To.Sub(s.From)
}

// overlap returns the length of the intersection of s and o.
func (s Span) overlap(o Span) time.Duration {
	from, to := s.From, s.To
	if o.From.After(from) {
		from = o.From
	}
	if o.To.Before(to) {
		to = o.To
	}
	return Span{from, to}.Duration()
}

// WorkDay is one day of a person's expected work (DESIGN §2.3): the
// windows of their shift that start on Date, placed in absolute time in
// the site's zone, and when the day closes for the automatic check-out.
type WorkDay struct {
	Date Date
	// Windows are the shift's windows starting on Date, in order; none on
	// a holiday, a day the shift has no window, or a day the person is
	// not employed.
	Windows []Span
	Holiday bool
	// NotEmployed: the day is before the person's started date or after
	// their left date (Employment).
	NotEmployed bool
	// Close is when whoever is still in a work zone is checked out: the
	// site's day_cutoff for shifts ending before it, the shift's end plus
	// closeAfterShift for shifts ending later or crossing midnight.
	Close time.Time
}

// closeAfterShift is how long after a late or night shift's end its day
// closes.
const closeAfterShift = 3 * time.Hour

// nextDayReach is how long before a shift's start a tap on the previous
// calendar day still counts for it: an early arrival at 23:50 for a shift
// starting at 00:30.
const nextDayReach = 6 * time.Hour

// Scheduled reports whether the day has work expected.
func (w WorkDay) Scheduled() bool { return len(w.Windows) > 0 }

// Start and End are the first window's start and the last window's end;
// zero without windows.
func (w WorkDay) Start() time.Time {
	if len(w.Windows) == 0 {
		return time.Time{}
	}
	return w.Windows[0].From
}

// End is the last window's end.
func (w WorkDay) End() time.Time {
	if len(w.Windows) == 0 {
		return time.Time{}
	}
	return w.Windows[len(w.Windows)-1].To
}

// ScheduledTime is the windows' total length in absolute time.
func (w WorkDay) ScheduledTime() time.Duration {
	var d time.Duration
	for _, s := range w.Windows {
		d += s.Duration()
	}
	return d
}

// calendar is what work days are computed from: the site's settings and
// zone, its holidays, and one person's shift (nil: none).
type calendar struct {
	site     Site
	loc      *time.Location
	holidays map[Date]bool
	shift    *Shift
	// employed are the person's days at the site: no work is expected
	// on the others.
	employed Employment
	// days memoizes day: a month's timesheet asks for each day many times.
	days map[Date]WorkDay
}

// calendarFor returns the calendar of person p: their own shift, else
// their department's, within their employment (p's Started and Left; see
// Engine.resolveStarts for a person stored before they existed).
func (c *config) calendarFor(p Person, loc *time.Location) calendar {
	cal := calendar{site: c.site, loc: loc, holidays: c.holidays, days: map[Date]WorkDay{}, employed: p.Employment()}
	id := p.Shift
	if id == "" {
		id = c.departments[p.Department].Shift
	}
	if s, ok := c.shifts[id]; ok && id != "" {
		cal.shift = &s
	}
	return cal
}

// day returns the work day of date d.
func (cal calendar) day(d Date) WorkDay {
	if w, ok := cal.days[d]; ok {
		return w
	}
	w := cal.compute(d)
	if cal.days != nil {
		cal.days[d] = w
	}
	return w
}

// compute works out the work day of date d.
func (cal calendar) compute(d Date) WorkDay {
	w := WorkDay{Date: d, Holiday: cal.holidays[d], NotEmployed: !cal.employed.Contains(d)}
	if cal.shift != nil && !w.Holiday && !w.NotEmployed {
		for _, win := range cal.shift.Week[d.Weekday()] {
			from, to := win.On(d, cal.loc)
			w.Windows = append(w.Windows, Span{from, to})
		}
	}
	w.Close = d.At(cal.site.DayCutoff, cal.loc)
	if end := w.End(); !end.IsZero() && (end.After(w.Close) || DateOf(end, cal.loc) != d) {
		w.Close = end.Add(closeAfterShift)
	}
	return w
}

// dayOf returns the work day instant t belongs to: the day whose shift t
// is nearest to, among the calendar day of t, the day before (while its
// work day has not closed) and the day after (within nextDayReach of its
// start). Without a shift near, the calendar day.
func (cal calendar) dayOf(t time.Time) WorkDay {
	today := DateOf(t, cal.loc)
	best := cal.day(today)
	bestDist, found := distance(best, t), best.Scheduled()
	consider := func(w WorkDay, eligible bool) {
		if !eligible || !w.Scheduled() {
			return
		}
		if d := distance(w, t); !found || d < bestDist {
			best, bestDist, found = w, d, true
		}
	}
	// The day before goes first: on a tie the earlier day keeps the tap.
	yesterday := cal.day(today.AddDays(-1))
	if yesterday.Scheduled() && t.Before(yesterday.Close) {
		if !found || distance(yesterday, t) <= bestDist {
			best, bestDist, found = yesterday, distance(yesterday, t), true
		}
	}
	tomorrow := cal.day(today.AddDays(1))
	consider(tomorrow, tomorrow.Scheduled() && tomorrow.Start().Sub(t) <= nextDayReach)
	if !found {
		return cal.day(today)
	}
	return best
}

// distance is how far t is from the day's shift: 0 inside it.
func distance(w WorkDay, t time.Time) time.Duration {
	switch start, end := w.Start(), w.End(); {
	case start.IsZero():
		return 1<<63 - 1
	case t.Before(start):
		return start.Sub(t)
	case t.After(end):
		return t.Sub(end)
	}
	return 0
}
