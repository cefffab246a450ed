package core

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"frontdesk/core/procs"
)

// DayStatus is the state of one person's work day in the timesheet.
type DayStatus string

// Day statuses (DESIGN §2.3).
const (
	DayPresent DayStatus = "present"
	DayLate    DayStatus = "late"
	DayAbsent  DayStatus = "absent" // scheduled, no presence at all (or paid time below absent_below)
	// DayHalfDay is a scheduled day whose paid time is below the site's
	// half_day_below.
	DayHalfDay DayStatus = "half_day"
	DayOff     DayStatus = "off"     // nothing scheduled
	DayHoliday DayStatus = "holiday" // a holiday of the site
	// DayUpcoming is a scheduled day whose shift has not begun yet (its
	// start plus the late grace is still ahead) and that has no presence:
	// not absent yet. It extends DESIGN §2.3's list, so that a timesheet
	// run mid-month does not count the rest of the month absent.
	DayUpcoming DayStatus = "upcoming"
	// DayNotEmployed is a day before the person's started date or after
	// their left date: nothing is scheduled and nothing counts, not even
	// presence (a tap before the first day is no overtime), and no
	// record is derived. It extends DESIGN §2.3's list, so that payroll
	// can tell these days from days off.
	DayNotEmployed DayStatus = "not_employed"
)

// Minutes are the timesheet's minute fields, per day and summed per person.
type Minutes struct {
	Scheduled  int `json:"scheduled_minutes"`
	Worked     int `json:"worked_minutes"`
	Presence   int `json:"presence_minutes"`
	Overtime   int `json:"overtime_minutes"`
	Late       int `json:"late_minutes"`
	EarlyLeave int `json:"early_leave_minutes"`
	// Paid is presence in work zones less unpaid breaks; Break is the
	// unpaid break (taken in the gaps between windows, or deducted by an
	// auto_breaks rule); Night is paid presence inside the site's night
	// hours; Balance is Paid less Scheduled (the time bank's day).
	Paid    int `json:"paid_minutes"`
	Break   int `json:"break_minutes"`
	Night   int `json:"night_minutes"`
	Balance int `json:"balance_minutes"`
}

// add sums o into m.
func (m *Minutes) add(o Minutes) {
	m.Scheduled += o.Scheduled
	m.Worked += o.Worked
	m.Presence += o.Presence
	m.Overtime += o.Overtime
	m.Late += o.Late
	m.EarlyLeave += o.EarlyLeave
	m.Paid += o.Paid
	m.Break += o.Break
	m.Night += o.Night
	m.Balance += o.Balance
}

// TimesheetDay is one person's work day (DESIGN §2.3, JSON as in §4).
type TimesheetDay struct {
	Date   Date      `json:"date"`
	Status DayStatus `json:"status"`
	Minutes
	// FirstIn and LastOut are site-local "15:04"; LastOut is empty while
	// the person is still in.
	FirstIn    string `json:"first_in"`
	LastOut    string `json:"last_out"`
	Justified  bool   `json:"justified"`
	AutoClosed bool   `json:"auto_closed"`
	// Bank is the person's time bank at the end of the day: the bank's
	// opening, the balances of its days and the corrections dated up to
	// this one. 0 where the site keeps no bank, and before the bank's
	// first day.
	Bank int `json:"bank_minutes"`

	// day and spans are what the fields were computed from: attendance
	// records and metrics are derived from them.
	day   WorkDay
	spans []presenceSpan
}

// PersonTimesheet is one person's days and their totals.
type PersonTimesheet struct {
	Person string `json:"person"`
	// Name and Department (its id) are for reports; §4's JSON has the id
	// only.
	Name       string         `json:"-"`
	Department string         `json:"-"`
	Days       []TimesheetDay `json:"days"`
	Totals     Minutes        `json:"totals"`
	// Bank is the person's time bank at the end of the period.
	Bank TimeBank `json:"bank"`

	// person is the person as the days were computed: their Started
	// resolved (Engine.resolveStarts).
	person Person
}

// TimeBank is a person's flexitime balance: the sum of their days'
// balance_minutes and of the corrections entered for them, from From
// (the later of their started date and the site's balance_from) on.
type TimeBank struct {
	From Date `json:"from,omitzero"`
	// Opening is the balance before the period's first day; Adjustments
	// are the corrections dated inside the period; Closing is the running
	// balance at the end of the period: Opening + the period's
	// balance_minutes + Adjustments.
	Opening     int `json:"opening_minutes"`
	Adjustments int `json:"adjustments_minutes"`
	Closing     int `json:"closing_minutes"`
}

// Timesheet is the timesheet of several people, by person id.
type Timesheet struct {
	People []PersonTimesheet `json:"people"`
	// Uses says which optional columns the site uses: screens and PDFs
	// show them only then (files always carry every column).
	Uses TimesheetUses `json:"-"`
}

// TimesheetUses names the optional timesheet columns a site uses.
type TimesheetUses struct {
	// Paid: paid and break minutes (a payroll rule is set, or a day has
	// a break).
	Paid bool `json:"paid,omitempty"`
	// Night: the site sets night hours.
	Night bool `json:"night,omitempty"`
	// Balance: the site keeps a time bank (balance_from is set, or a
	// correction was entered).
	Balance bool `json:"balance,omitempty"`
}

// TimesheetQuery selects the days From to To (both included) of one
// person, of a department's people, or of every active person; a
// department or the whole site leave out the people whose employment has
// none of these days.
type TimesheetQuery struct {
	From, To   Date
	Person     string
	Department string
	// Site is whose events make the presence, at the central site of a
	// company (docs/federation.md): "" this site's, AllSites every site's
	// (a person who works in two offices has one timesheet), or another
	// site's id.
	Site string `json:"site,omitempty"`
}

// AllSites is TimesheetQuery.Site for the events of every site.
const AllSites = "all"

// checkTimesheetSite checks a query's Site: "", AllSites or a site id.
func checkTimesheetSite(site string) error {
	if site == "" || site == AllSites {
		return nil
	}
	if err := CheckSiteID("site", site); err != nil {
		return &FieldError{Field: "site", Problem: fmt.Sprintf("bad site id %q", site), Code: "bad_site_id",
			Args: argsOf("value", site), Err: ErrInvalid}
	}
	return nil
}

// presenceSpan is a stretch of time in the work zones. Open spans are
// closed when the timesheet is computed: at the close of their work day
// when it has passed (auto), else now (open).
type presenceSpan struct {
	Span
	auto bool // closed by an automatic check-out, written or due
	open bool // still open now
}

// maxTimesheetDays bounds a query: a year and a bit.
const maxTimesheetDays = 400

// Timesheet computes the timesheet q selects, late and absent days marked
// justified when valid justifications cover their records. Needs
// attendance.view.
func (e *Engine) Timesheet(a Actor, q TimesheetQuery) (Timesheet, error) {
	if _, err := e.require(a, PermAttendanceView, "see timesheets"); err != nil {
		return Timesheet{}, err
	}
	data, err := e.attendanceFor(q)
	if err != nil {
		return Timesheet{}, err
	}
	data.justifyDays()
	if err := e.addBanks(&data.sheet, q.From, q.To); err != nil {
		return Timesheet{}, err
	}
	return data.sheet, nil
}

// timesheet computes the days of q from the taps alone.
func (e *Engine) timesheet(q TimesheetQuery) (Timesheet, error) {
	if q.To.Before(q.From) {
		return Timesheet{}, phrasef(ErrInvalid, "timesheet from %s to %s: the end is before the start", q.From, q.To)
	}
	if n := q.From.daysUntil(q.To); n > maxTimesheetDays {
		return Timesheet{}, phrasef(ErrInvalid, "timesheet of %d days: at most %d", n+1, maxTimesheetDays)
	}
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	now := e.now()
	var people []Person
	err := e.store.View(func(tx Tx) error {
		var err error
		if people, err = timesheetPeople(tx, q); err != nil {
			return err
		}
		return e.resolveStarts(tx, people)
	})
	if err != nil {
		return Timesheet{}, err
	}
	if q.Person == "" {
		people = slices.DeleteFunc(people, func(p Person) bool { return !p.Employment().meets(q.From, q.To) })
	}
	// People are independent: share them among the cores, each part in a
	// read transaction of its own.
	out := Timesheet{People: make([]PersonTimesheet, len(people)), Uses: cfg.timesheetUses()}
	work := cfg.workZones()
	// Weekly overtime needs the whole weeks the period touches: a
	// timesheet from the 3rd counts the 1st and 2nd into the 3rd's week.
	from, to := q.From, q.To
	if policy := cfg.site.Overtime; policy != nil && policy.WeeklyAfter > 0 {
		from, to = policy.weekOf(q.From), policy.weekOf(q.To).AddDays(6)
	}
	wide := q
	wide.From, wide.To = from, to
	parts := min(procs.Cores(), max(1, len(people)/64))
	errs := make([]error, parts)
	breaks := make([]bool, parts) // a part saw a day with a break
	Spread(parts, func(w int) {
		errs[w] = e.store.View(func(tx Tx) error {
			for i := w; i < len(people); i += parts {
				p := people[i]
				evs, err := personMoves(tx, p.ID, wide, loc)
				if err != nil {
					return err
				}
				days := computeDays(cfg.calendarFor(p, loc), work, evs, from, to, now)
				if policy := cfg.site.Overtime; policy != nil {
					policy.apply(days)
				}
				days = days[from.daysUntil(q.From) : from.daysUntil(q.To)+1]
				pt := PersonTimesheet{Person: p.ID, Name: p.Name, Department: p.Department, Days: days, person: p}
				for _, d := range days {
					breaks[w] = breaks[w] || d.Break > 0
					pt.Totals.add(d.Minutes)
				}
				out.People[i] = pt
			}
			return nil
		})
	})
	out.Uses.Paid = out.Uses.Paid || slices.Contains(breaks, true)
	return out, errors.Join(errs...)
}

// timesheetPeople returns the people q selects, by id.
func timesheetPeople(tx Tx, q TimesheetQuery) ([]Person, error) {
	if q.Person != "" {
		p, err := get[Person](tx, KindPerson, q.Person)
		if err != nil {
			return nil, notFound("person", q.Person)
		}
		return []Person{p}, nil
	}
	if q.Department != "" {
		if _, err := get[Department](tx, KindDepartment, q.Department); err != nil {
			return nil, notFound("department", q.Department)
		}
	}
	var out []Person
	err := tx.List(KindPerson, func(_ string, decode func(any) error) error {
		var p Person
		if err := decode(&p); err != nil {
			return err
		}
		if !p.Inactive && (q.Department == "" || p.Department == q.Department) {
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// personMoves reads a person's moves around the query: from two days
// before (a night shift, a presence begun earlier) to two days after (the
// close of the last day).
func personMoves(tx Tx, person string, q TimesheetQuery, loc *time.Location) ([]Move, error) {
	var ms []Move
	from, to := q.From.AddDays(-2).At(0, loc), q.To.AddDays(3).At(0, loc)
	add := func(m Move) error {
		ms = append(ms, m)
		return nil
	}
	switch q.Site {
	case "":
		return ms, tx.Moves(person, from, to, add)
	case AllSites:
		if err := tx.Moves(person, from, to, add); err != nil {
			return nil, err
		}
		own := len(ms)
		if err := tx.SiteMoves("", person, from, to, add); err != nil {
			return nil, err
		}
		// Each part is in time order: one merge makes the whole.
		if own > 0 && own < len(ms) {
			slices.SortStableFunc(ms, func(a, b Move) int { return a.At.Compare(b.At) })
		}
		return ms, nil
	}
	return ms, tx.SiteMoves(q.Site, person, from, to, add)
}

// workZones returns the ids of the work zones.
func (c *config) workZones() map[string]bool {
	out := map[string]bool{}
	for id, z := range c.zones {
		if z.Work {
			out[id] = true
		}
	}
	return out
}

// presence turns a person's events, in time order, into their stretches
// in the work zones. An event that moved the person (Zone set) starts or
// ends a stretch; an auto_checkout marks the stretch it ends.
func presence(cal calendar, work map[string]bool, evs []Move, now time.Time) []presenceSpan {
	var spans []presenceSpan
	var cur *presenceSpan
	for _, ev := range evs {
		if ev.Zone == "" {
			continue
		}
		// A stretch whose work day closed before this move was never
		// checked out: it ends at the close (the open-presence rule).
		if cur != nil {
			if close := cal.closeAfter(cur.From); !close.After(ev.At) {
				cur.To, cur.auto = close, true
				spans = append(spans, *cur)
				cur = nil
			}
		}
		in := work[ev.Zone]
		switch {
		case in && cur == nil:
			cur = &presenceSpan{Span: Span{From: ev.At}}
		case !in && cur != nil:
			cur.To = ev.At
			cur.auto = ev.Result == AutoCheckout
			spans = append(spans, *cur)
			cur = nil
		}
	}
	if cur != nil {
		close := cal.closeAfter(cur.From)
		if now.Before(close) {
			cur.To, cur.open = now, true
		} else {
			cur.To, cur.auto = close, true
		}
		spans = append(spans, *cur)
	}
	return spans
}

// closeAfter is the first work-day close after t: the close of t's work
// day, or of the next one for someone who came in after it (taps between
// the cutoff and midnight are normal taps).
//
// With the site's auto_checkout_after a day closes at its shift's end plus
// that (when it is after t), and with max_presence no later than t plus
// the maximum, t being the start of the stretch.
func (cal calendar) closeAfter(t time.Time) time.Time {
	w := cal.dayOf(t)
	close := cal.closeOf(w, t)
	for i := 0; i < 3 && !close.After(t); i++ {
		w = cal.day(w.Date.AddDays(1))
		close = cal.closeOf(w, t)
	}
	if most := time.Duration(cal.site.MaxPresence); most > 0 && t.Add(most).Before(close) {
		close = t.Add(most)
	}
	return close
}

// closeOf is when the work day w closes for a stretch begun at t: the
// shift's end plus the site's auto_checkout_after when set and after t,
// else w.Close (the cutoff rule).
func (cal calendar) closeOf(w WorkDay, t time.Time) time.Time {
	if after := time.Duration(cal.site.AutoCheckoutAfter); after > 0 && w.Scheduled() {
		if close := w.End().Add(after); close.After(t) {
			return close
		}
	}
	return w.Close
}

// computeDays computes the days from to to of one person.
func computeDays(cal calendar, work map[string]bool, evs []Move, from, to Date, now time.Time) []TimesheetDay {
	byDay := map[Date][]presenceSpan{}
	for _, s := range presence(cal, work, evs, now) {
		d := cal.dayOf(s.From).Date
		byDay[d] = append(byDay[d], s)
	}
	var days []TimesheetDay
	for d := from; !to.Before(d); d = d.AddDays(1) {
		days = append(days, cal.timesheetDay(cal.day(d), byDay[d], now))
	}
	return days
}

// timesheetDay computes one day's fields from its work day and the
// presence stretches that belong to it. The payroll rules (Payroll, the
// shift's breaks) add paid, break and night minutes, the balance and the
// thresholds; overtime under an overtime policy needs the whole week and
// is set afterwards (OvertimePolicy.apply).
func (cal calendar) timesheetDay(w WorkDay, spans []presenceSpan, now time.Time) TimesheetDay {
	if w.NotEmployed {
		return TimesheetDay{Date: w.Date, Status: DayNotEmployed, day: w}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].From.Before(spans[j].From) })
	td := TimesheetDay{Date: w.Date, day: w, spans: spans}
	gaps := cal.breakGaps(w)
	var presence, worked, inGaps time.Duration
	open := false
	for _, s := range spans {
		presence += s.Duration()
		for _, win := range w.Windows {
			worked += s.overlap(win)
		}
		for _, g := range gaps {
			inGaps += s.overlap(g)
		}
		td.AutoClosed = td.AutoClosed || s.auto
		open = open || s.open
	}
	td.Scheduled = minutes(w.ScheduledTime())
	td.Presence = minutes(presence)
	td.Worked = minutes(worked)
	td.Overtime = td.Presence - td.Worked
	td.Break = min(td.Presence, minutes(cal.breakOf(presence, inGaps, away(spans))))
	td.Paid = td.Presence - td.Break
	if cal.site.Night != nil {
		td.Night = min(td.Paid, minutes(cal.nightTime(spans, gaps)))
	}
	grace := time.Duration(cal.site.LateGrace)
	earlyGrace := grace
	if g := cal.site.EarlyLeaveGrace; g > 0 {
		earlyGrace = time.Duration(g)
	}
	if len(spans) > 0 {
		first, last := spans[0], spans[len(spans)-1]
		td.FirstIn = first.From.In(cal.loc).Format("15:04")
		lastOut := last.To
		for _, s := range spans {
			if s.To.After(lastOut) {
				lastOut = s.To
			}
		}
		if !last.open {
			td.LastOut = lastOut.In(cal.loc).Format("15:04")
		}
		if w.Scheduled() {
			if late := first.From.Sub(w.Start()); late > grace {
				td.Late = minutes(late)
			}
			if early := w.End().Sub(lastOut); !last.open && early > earlyGrace {
				td.EarlyLeave = minutes(early)
			}
		}
	}
	switch {
	case w.Holiday:
		td.Status = DayHoliday
	case !w.Scheduled():
		td.Status = DayOff
	case len(spans) == 0 && now.Before(w.Start().Add(grace)):
		td.Status = DayUpcoming
	case len(spans) == 0:
		td.Status = DayAbsent
	case td.Late > 0:
		td.Status = DayLate
	default:
		td.Status = DayPresent
	}
	// The thresholds judge a day once it is over: its shift has ended
	// and nobody is still in.
	if len(spans) > 0 && w.Scheduled() && !w.Holiday && !open && !now.Before(w.End()) {
		paid := time.Duration(td.Paid) * time.Minute
		switch {
		case cal.site.AbsentBelow > 0 && paid < time.Duration(cal.site.AbsentBelow):
			td.Status = DayAbsent
		case cal.site.HalfDayBelow > 0 && paid < time.Duration(cal.site.HalfDayBelow):
			td.Status = DayHalfDay
		}
	}
	if td.Status != DayUpcoming {
		td.Balance = td.Paid - td.Scheduled
	}
	return td
}

// minutes is d in whole minutes, rounded down.
func minutes(d time.Duration) int { return int(d / time.Minute) }
