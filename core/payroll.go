package core

import (
	"encoding/json"
	"time"
)

// The payroll rules of the timesheet (docs/payroll.md): paid time and
// breaks, the overtime policy, night hours. Each works from the site's
// Payroll settings and the shift's breaks; without them the timesheet's
// older fields keep their meaning.

// breakGaps are the gaps between the windows of w in which presence is an
// unpaid break: none when the shift pays its breaks.
func (cal calendar) breakGaps(w WorkDay) []Span {
	if len(w.Windows) < 2 || (cal.shift != nil && cal.shift.PaidBreaks) {
		return nil
	}
	gaps := make([]Span, 0, len(w.Windows)-1)
	for i := 1; i < len(w.Windows); i++ {
		gaps = append(gaps, Span{w.Windows[i-1].To, w.Windows[i].From})
	}
	return gaps
}

// away is the time between a day's stretches, spans in order of start:
// a break taken out of the work zones.
func away(spans []presenceSpan) time.Duration {
	if len(spans) == 0 {
		return 0
	}
	var d time.Duration
	end := spans[0].To
	for _, s := range spans[1:] {
		d += Span{end, s.From}.Duration()
		if s.To.After(end) {
			end = s.To
		}
	}
	return d
}

// breakOf is a day's unpaid break: the presence inGaps between its
// windows, raised to what the shift's auto_breaks owe. A rule is owed
// when presence less the break taken in the gaps exceeds its After; the
// largest owed Deduct counts, less the breaks already taken, in the gaps
// or out of the work zones (out, which is not presence).
func (cal calendar) breakOf(presence, inGaps, out time.Duration) time.Duration {
	if cal.shift == nil || len(cal.shift.AutoBreaks) == 0 {
		return inGaps
	}
	var owed time.Duration
	for _, r := range cal.shift.AutoBreaks {
		if presence-inGaps > time.Duration(r.After) && time.Duration(r.Deduct) > owed {
			owed = time.Duration(r.Deduct)
		}
	}
	if taken := inGaps + out; taken < owed {
		return inGaps + owed - taken
	}
	return inGaps
}

// nightTime is the presence of spans inside the site's night hours, less
// the unpaid presence in the gaps between windows. The night hours are
// placed on each date a span touches (and the day before, for a night
// that began then), each by ResolveLocal, as shift windows are.
func (cal calendar) nightTime(spans []presenceSpan, gaps []Span) time.Duration {
	win := Window{Start: cal.site.Night.From, End: cal.site.Night.To}
	var d time.Duration
	for _, s := range spans {
		for day, last := DateOf(s.From, cal.loc).AddDays(-1), DateOf(s.To, cal.loc); !last.Before(day); day = day.AddDays(1) {
			from, to := win.On(day, cal.loc)
			night := Span{from, to}
			d += s.overlap(night)
			for _, g := range gaps {
				d -= s.overlap(Span{maxTime(g.From, night.From), minTime(g.To, night.To)})
			}
		}
	}
	return d
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// weekStarts are the values of OvertimePolicy.WeekStart.
var weekStarts = map[string]time.Weekday{
	"": time.Monday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday,
}

// weekOf returns the first day of the payroll week of d.
func (p *OvertimePolicy) weekOf(d Date) Date {
	back := (int(d.Weekday()) - int(weekStarts[p.WeekStart]) + 7) % 7
	return d.AddDays(-back)
}

// apply sets the overtime of days, consecutive days of one person: the
// paid time beyond DailyAfter, plus, from the day the week's paid time
// (less its daily overtime) crosses WeeklyAfter, what each day adds
// beyond it. Weekly overtime counts only whole weeks' days that are in
// days: the caller computes the days of every week the period touches.
func (p *OvertimePolicy) apply(days []TimesheetDay) {
	daily, weekly := minutes(time.Duration(p.DailyAfter)), minutes(time.Duration(p.WeeklyAfter))
	week, sum := Date{}, 0
	for i := range days {
		d := &days[i]
		d.Overtime = 0
		if p.DailyAfter > 0 && d.Paid > daily {
			d.Overtime = d.Paid - daily
		}
		if p.WeeklyAfter == 0 {
			continue
		}
		if w := p.weekOf(d.Date); w != week {
			week, sum = w, 0
		}
		before := max(0, sum-weekly)
		sum += d.Paid - d.Overtime
		d.Overtime += max(0, sum-weekly) - before
	}
}

// timesheetUses says which optional columns the site's settings call for;
// Timesheet adds Paid when a day has a break.
func (c *config) timesheetUses() TimesheetUses {
	p := c.site.Payroll
	uses := TimesheetUses{
		Paid: p.Overtime != nil || p.HalfDayBelow > 0 || p.AbsentBelow > 0 || p.EarlyLeaveGrace > 0 ||
			p.AutoCheckoutAfter > 0 || p.MaxPresence > 0 || p.Night != nil,
		Night: p.Night != nil,
	}
	for _, s := range c.shifts {
		uses.Paid = uses.Paid || s.PaidBreaks || len(s.AutoBreaks) > 0
	}
	return uses
}

// stretchClose is when the stretch in the work zones that person is in,
// in their present zone since since, closes (calendar.closeAfter of its
// start). Under max_presence the start is that of the stretch, which may
// have begun in another work zone, found as the timesheet finds it;
// otherwise since, as it always was.
func (cal calendar) stretchClose(tx Tx, work map[string]bool, person string, since time.Time) (time.Time, error) {
	if cal.site.MaxPresence == 0 {
		return cal.closeAfter(since), nil
	}
	var run []time.Time
	err := tx.Moves(person, since.Add(-2*24*time.Hour), since.Add(time.Nanosecond), func(m Move) error {
		switch {
		case m.Zone == "":
		case work[m.Zone]:
			run = append(run, m.At)
		default:
			run = run[:0]
		}
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	start := since
	if len(run) > 0 {
		start = run[0]
		for _, at := range run[1:] {
			if !cal.closeAfter(start).After(at) {
				start = at
			}
		}
	}
	return cal.closeAfter(start), nil
}

// String writes the night hours as "21:00-06:00".
func (n NightHours) String() string { return Window{Start: n.From, End: n.To}.String() }

// MarshalJSON writes the night hours as "21:00-06:00".
func (n NightHours) MarshalJSON() ([]byte, error) {
	if n.From < 0 || n.From > minutesPerDay || n.To < 0 || n.To > minutesPerDay {
		return nil, textErrorf("night hours %s are out of range", n)
	}
	return json.Marshal(n.String())
}

// UnmarshalJSON reads "HH:MM-HH:MM", as a shift's window: the two ends
// differ, and an end before the start crosses midnight.
func (n *NightHours) UnmarshalJSON(b []byte) error {
	s, err := jsonString(b, "night hours")
	if err != nil || s == nil {
		return err
	}
	if *s == "" {
		*n = NightHours{} // none: a site file turns the rule off so
		return nil
	}
	w, err := ParseWindow(*s)
	if err != nil {
		return err
	}
	*n = NightHours{From: w.Start, To: w.End}
	return nil
}
