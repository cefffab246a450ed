package core

import (
	"slices"
	"time"
)

// AttendanceEntry is an attendance record as the sheet shows it: derived
// from the person's taps, or entered by hand (Derived false, ID set), and
// whether valid justifications cover it.
type AttendanceEntry struct {
	AttendanceRecord
	Derived   bool `json:"derived"`
	Justified bool `json:"justified"`
}

// derivedRecords are the records of one scheduled work day (DESIGN §2.4):
// one absent record over the shift when nobody saw the person; else one
// present record from first in to last out and, when late, a late record
// from the shift's start to the first in. A day the thresholds judged
// (Payroll.AbsentBelow, HalfDayBelow) has, besides its present record,
// an absent record over the shift, or a half-day record over the part of
// the shift missed (after the last out when that is the longer end, else
// before the first in), instead of a late record.
func (td TimesheetDay) derivedRecords(person string) []AttendanceRecord {
	w := td.day
	if !w.Scheduled() || td.Status == DayHoliday || td.Status == DayUpcoming {
		return nil
	}
	if len(td.spans) == 0 {
		return []AttendanceRecord{{Person: person, From: w.Start(), Until: w.End(), State: AttendanceAbsent}}
	}
	first, last := td.spans[0].From, td.spans[0].To
	for _, s := range td.spans {
		if s.To.After(last) {
			last = s.To
		}
	}
	out := []AttendanceRecord{{Person: person, From: first, Until: last, State: AttendancePresent}}
	switch {
	case td.Status == DayAbsent:
		return append(out, AttendanceRecord{Person: person, From: w.Start(), Until: w.End(), State: AttendanceAbsent})
	case td.Status == DayHalfDay:
		from, until := w.Start(), w.End()
		if before, after := first.Sub(from), until.Sub(last); after > 0 && after >= before {
			from = last
		} else if before > 0 {
			until = first
		}
		return append(out, AttendanceRecord{Person: person, From: from, Until: until, State: AttendanceHalfDay})
	case td.Late > 0:
		out = append(out, AttendanceRecord{Person: person, From: w.Start(), Until: first, State: AttendanceLate})
	}
	return out
}

// dayEntries combines a day's derived records with the records entered by
// hand: a record by hand replaces the derived records of its state that it
// overlaps. manual are the person's records by hand; each is reported
// once, by the caller.
func dayEntries(derived, manual []AttendanceRecord) []AttendanceRecord {
	var out []AttendanceRecord
	for _, d := range derived {
		replaced := slices.ContainsFunc(manual, func(m AttendanceRecord) bool {
			return m.State == d.State && m.From.Before(d.Until) && d.From.Before(m.Until)
		})
		if !replaced {
			out = append(out, d)
		}
	}
	return out
}

// attendanceData is what records and metrics are computed from, for the
// people of a query.
type attendanceData struct {
	sheet   Timesheet
	manual  map[string][]AttendanceRecord
	justifs map[string][]Justification
	loc     *time.Location
}

// attendanceFor computes the timesheet of q with the records by hand and
// the justifications of the same people and period, each read once.
func (e *Engine) attendanceFor(q TimesheetQuery) (attendanceData, error) {
	data := attendanceData{manual: map[string][]AttendanceRecord{}, justifs: map[string][]Justification{}}
	if err := checkTimesheetSite(q.Site); err != nil {
		return data, err
	}
	e.mu.RLock()
	loc := e.loc
	e.mu.RUnlock()
	data.loc = loc
	from, to := q.From.AddDays(-1).At(0, loc), q.To.AddDays(2).At(0, loc)
	err := e.store.View(func(tx Tx) error {
		recs, err := storedAttendance(tx, q.Person, from, to)
		if err != nil {
			return err
		}
		for _, r := range recs {
			data.manual[r.Person] = append(data.manual[r.Person], r)
		}
		js, err := storedJustifications(tx, q.Person, from, to)
		if err != nil {
			return err
		}
		for _, j := range js {
			data.justifs[j.Person] = append(data.justifs[j.Person], j)
		}
		return nil
	})
	if err != nil {
		return data, err
	}
	data.sheet, err = e.timesheet(q)
	return data, err
}

// entries returns person's records over the sheet's days: derived and by
// hand, each with whether it is justified, by start. Records by hand
// outside the person's employment are left out: they count no more than
// the days there.
func (d attendanceData) entries(pt PersonTimesheet, from, to time.Time) []AttendanceEntry {
	from, to = pt.person.Employment().clip(from, to, d.loc)
	manual := d.manual[pt.Person]
	var out []AttendanceEntry
	for _, td := range pt.Days {
		for _, r := range dayEntries(td.derivedRecords(pt.Person), manual) {
			out = append(out, AttendanceEntry{AttendanceRecord: r, Derived: true})
		}
	}
	for _, m := range manual {
		if from.Before(to) && periodMeets(m.From, m.Until, from, to) {
			out = append(out, AttendanceEntry{AttendanceRecord: m})
		}
	}
	for i := range out {
		out[i].Justified = Justified(out[i].AttendanceRecord, d.justifs[pt.Person])
	}
	slices.SortStableFunc(out, func(a, b AttendanceEntry) int { return a.From.Compare(b.From) })
	return out
}

// justifyDays sets the timesheet days' Justified flag: a late, absent or
// half-day day is justified when all its justifiable records are.
func (d attendanceData) justifyDays() {
	for i := range d.sheet.People {
		pt := &d.sheet.People[i]
		manual := d.manual[pt.Person]
		for j := range pt.Days {
			td := &pt.Days[j]
			if td.Status != DayLate && td.Status != DayAbsent && td.Status != DayHalfDay {
				continue
			}
			recs := dayEntries(td.derivedRecords(pt.Person), manual)
			for _, m := range manual {
				if m.State.Justifiable() && td.day.Scheduled() && m.From.Before(td.day.End()) && td.day.Start().Before(m.Until) {
					recs = append(recs, m)
				}
			}
			justified, any := true, false
			for _, r := range recs {
				if r.State.Justifiable() {
					any = true
					justified = justified && Justified(r, d.justifs[pt.Person])
				}
			}
			td.Justified = any && justified
		}
	}
}

// Attendance returns the attendance records of the days from to to:
// derived from the taps and entered by hand, each saying whether it is
// justified. Needs attendance.view.
func (e *Engine) Attendance(a Actor, q TimesheetQuery) (map[string][]AttendanceEntry, error) {
	if _, err := e.require(a, PermAttendanceView, "see attendance records"); err != nil {
		return nil, err
	}
	data, err := e.attendanceFor(q)
	if err != nil {
		return nil, err
	}
	loc := e.Location()
	from, to := q.From.At(0, loc), q.To.AddDays(1).At(0, loc)
	out := map[string][]AttendanceEntry{}
	for _, pt := range data.sheet.People {
		out[pt.Person] = data.entries(pt, from, to)
	}
	return out, nil
}

// MetricValues are the figures of one state (DESIGN §2.4).
type MetricValues struct {
	Count    int     `json:"count"`
	Days     int     `json:"days"`
	HalfDays int     `json:"half_days"`
	Hours    float64 `json:"hours"`
}

// StateMetrics are one state's figures, in all and split justified /
// unjustified.
type StateMetrics struct {
	MetricValues
	Justified   MetricValues `json:"justified"`
	Unjustified MetricValues `json:"unjustified"`
}

// Metrics are the figures per state over a period.
type Metrics struct {
	Present StateMetrics `json:"present"`
	Late    StateMetrics `json:"late"`
	Absent  StateMetrics `json:"absent"`
	// HalfDay are the half-day records of the days below the site's
	// half_day_below.
	HalfDay StateMetrics `json:"half_day"`
}

// Metrics computes the figures of the records of a person, or of a
// department's people (their figures added), over the days from to to.
// Needs attendance.view.
func (e *Engine) Metrics(a Actor, q TimesheetQuery) (Metrics, error) {
	if _, err := e.require(a, PermAttendanceView, "see attendance metrics"); err != nil {
		return Metrics{}, err
	}
	data, err := e.attendanceFor(q)
	if err != nil {
		return Metrics{}, err
	}
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	from, to := q.From.At(0, loc), q.To.AddDays(1).At(0, loc)
	var m Metrics
	for _, pt := range data.sheet.People {
		m.add(cfg.calendarFor(pt.person, loc).metrics(data.entries(pt, from, to), from, to))
	}
	return m, nil
}

// metrics measures one person's records within [from, to); the entries
// are already those of their employment (attendanceData.entries).
func (cal calendar) metrics(entries []AttendanceEntry, from, to time.Time) Metrics {
	var m Metrics
	for _, en := range entries {
		v := cal.measure(en.AttendanceRecord, from, to)
		s := m.state(en.State)
		s.MetricValues.add(v)
		if en.Justified {
			s.Justified.add(v)
		} else {
			s.Unjustified.add(v)
		}
	}
	return m
}

// add sums o into m.
func (m *Metrics) add(o Metrics) {
	for _, pair := range [][2]*StateMetrics{{&m.Present, &o.Present}, {&m.Late, &o.Late}, {&m.Absent, &o.Absent}, {&m.HalfDay, &o.HalfDay}} {
		pair[0].MetricValues.add(pair[1].MetricValues)
		pair[0].Justified.add(pair[1].Justified)
		pair[0].Unjustified.add(pair[1].Unjustified)
	}
}

func (m *Metrics) state(s AttendanceState) *StateMetrics {
	switch s {
	case AttendanceLate:
		return &m.Late
	case AttendanceAbsent:
		return &m.Absent
	case AttendanceHalfDay:
		return &m.HalfDay
	}
	return &m.Present
}

func (v *MetricValues) add(o MetricValues) {
	v.Count += o.Count
	v.Days += o.Days
	v.HalfDays += o.HalfDays
	v.Hours = float64(int((v.Hours+o.Hours)*100+0.5)) / 100
}

// measure returns one record's figures within [from, to): the local days
// and half-days it touches, and its hours: its length when it lies within
// one day, else each working day it covers clipped to [day_start,
// day_end].
func (cal calendar) measure(r AttendanceRecord, from, to time.Time) MetricValues {
	span := Span{r.From, r.Until}
	if span.From.Before(from) {
		span.From = from
	}
	if span.To.After(to) {
		span.To = to
	}
	v := MetricValues{Count: 1}
	if span.Duration() == 0 {
		return v
	}
	first := DateOf(span.From, cal.loc)
	last := DateOf(span.To.Add(-time.Nanosecond), cal.loc)
	var hours time.Duration
	for d := first; !last.Before(d); d = d.AddDays(1) {
		v.Days++
		morning := Span{d.At(cal.site.DayStart, cal.loc), d.At(cal.site.Noon, cal.loc)}
		afternoon := Span{d.At(cal.site.Noon, cal.loc), d.At(cal.site.DayEnd, cal.loc)}
		if span.overlap(morning) > 0 {
			v.HalfDays++
		}
		if span.overlap(afternoon) > 0 {
			v.HalfDays++
		}
		if first != last && cal.workingDay(d) {
			hours += span.overlap(Span{morning.From, afternoon.To})
		}
	}
	if first == last {
		hours = span.Duration()
	}
	v.Hours = float64(int(hours.Hours()*100+0.5)) / 100
	return v
}

// workingDay reports whether d is a working day of the calendar's person:
// a day of their shift, or Monday to Friday without a shift; never a
// holiday or a day outside their employment.
func (cal calendar) workingDay(d Date) bool {
	if cal.holidays[d] || !cal.employed.Contains(d) {
		return false
	}
	if cal.shift != nil {
		return len(cal.shift.Week[d.Weekday()]) > 0
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}
