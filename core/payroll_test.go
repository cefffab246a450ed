package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// payrollSite is a site whose payroll rules (%[2]s, members of "site")
// and shift (%[3]s, members of the shift "s") each test gives; Ann works
// that shift. %[1]s is the time zone.
const payrollSite = `{
  "site": {"name": "Payroll HQ", "timezone": "%[1]s", "desk_zone": "office"%[2]s},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "yard", "name": "Yard"}],
  "shifts": [{"id": "s", "name": "Shift"%[3]s}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "devices": [{"id": "in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "out", "kind": "sim", "door": "main", "direction": "out"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
  "people": [{"id": "ann", "name": "Ann", "started": "2020-01-01", "access_levels": ["all"], "shift": "s",
              "cards": ["em:0100000001"]}]
}`

// Shifts, as members of the shift object.
const (
	splitShift   = `, "week": {"mon": ["08:00-12:00", "13:00-17:00"], "tue": ["08:00-12:00", "13:00-17:00"], "wed": ["08:00-12:00", "13:00-17:00"], "thu": ["08:00-12:00", "13:00-17:00"], "fri": ["08:00-12:00", "13:00-17:00"]}`
	dayShift     = `, "week": {"mon": ["08:00-18:00"], "tue": ["08:00-18:00"], "wed": ["08:00-18:00"], "thu": ["08:00-18:00"], "fri": ["08:00-18:00"]}`
	frenchShift  = `, "week": {"mon": ["08:00-12:00", "13:00-16:30"], "tue": ["08:00-12:00", "13:00-16:30"], "wed": ["08:00-12:00", "13:00-16:30"], "thu": ["08:00-12:00", "13:00-16:30"], "fri": ["08:00-12:00", "13:00-16:30"]}`
	nightShift   = `, "week": {"mon": ["22:00-06:00"], "tue": ["22:00-06:00"], "wed": ["22:00-06:00"], "thu": ["22:00-06:00"], "fri": ["22:00-06:00"], "sat": ["22:00-06:00"], "sun": ["22:00-06:00"]}`
	germanBreaks = `, "auto_breaks": [{"after": "6h", "deduct": "30m"}, {"after": "9h", "deduct": "45m"}]`
)

// payrollEngine is an engine on payrollSite, its clock in June 2027
// (every day of the tests is over) unless now is given.
func payrollEngine(t *testing.T, zone, rules, shift string) *core.Engine {
	t.Helper()
	clock := &steppedClock{now: time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)}
	e, err := core.NewEngine(storagetest.MustOpen(t), clock.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(fmt.Sprintf(payrollSite, zone, rules, shift)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, f); err != nil {
		t.Fatal(err)
	}
	return e
}

// pay is the payroll fields of a day.
type pay struct {
	status                                    core.DayStatus
	presence, paid, brk, over, night, balance int
	late, early                               int
	auto                                      bool
}

func payOf(d core.TimesheetDay) pay {
	return pay{d.Status, d.Presence, d.Paid, d.Break, d.Overtime, d.Night, d.Balance, d.Late, d.EarlyLeave, d.AutoClosed}
}

// inOut is a day's taps: in and out by turns from the first, on date.
func inOut(date string, times ...string) []tapAt {
	var out []tapAt
	for i, at := range times {
		reader := "in"
		if i%2 == 1 {
			reader = "out"
		}
		if !strings.Contains(at, " ") {
			at = date + " " + at
		}
		out = append(out, tapAt{reader, at})
	}
	return out
}

func TestPayrollDay(t *testing.T) {
	const mon = "2026-11-23" // a Monday
	tests := []struct {
		name, zone, rules, shift string
		date                     string
		taps                     []tapAt
		want                     pay
	}{
		// Without any rule the older fields keep their meaning; lunch
		// in the office is a break.
		{"split, lunch in, no rule", "", "", splitShift, mon, inOut(mon, "08:00", "17:00"),
			pay{core.DayPresent, 540, 480, 60, 60, 0, 0, 0, 0, false}},
		{"split, lunch out", "", "", splitShift, mon, inOut(mon, "08:00", "12:00", "13:00", "17:00"),
			pay{core.DayPresent, 480, 480, 0, 0, 0, 0, 0, 0, false}},
		{"paid breaks", "", "", splitShift + `, "paid_breaks": true`, mon, inOut(mon, "08:00", "17:00"),
			pay{core.DayPresent, 540, 540, 0, 60, 0, 60, 0, 0, false}},
		// Odoo: 06:00-20:00 on 08-12/13-17 is 8 h + 5 h overtime.
		{"odoo, daily_after 8h", "", `, "overtime": {"daily_after": "8h"}`, splitShift, mon, inOut(mon, "06:00", "20:00"),
			pay{core.DayPresent, 840, 780, 60, 300, 0, 300, 0, 0, false}},
		{"odoo without a policy", "", "", splitShift, mon, inOut(mon, "06:00", "20:00"),
			pay{core.DayPresent, 840, 780, 60, 360, 0, 300, 0, 0, false}},
		// German law: 30 min after 6 h, 45 min after 9 h, the largest.
		{"german, 6h", "", "", dayShift + germanBreaks, mon, inOut(mon, "08:00", "14:00"),
			pay{core.DayPresent, 360, 360, 0, 0, 0, -240, 0, 240, false}},
		{"german, 6h05", "", "", dayShift + germanBreaks, mon, inOut(mon, "08:00", "14:05"),
			pay{core.DayPresent, 365, 335, 30, 0, 0, -265, 0, 235, false}},
		{"german, 9h30", "", "", dayShift + germanBreaks, mon, inOut(mon, "08:00", "17:30"),
			pay{core.DayPresent, 570, 525, 45, 0, 0, -75, 0, 30, false}},
		{"german, 50m taken out", "", "", dayShift + germanBreaks, mon, inOut(mon, "08:00", "12:00", "12:50", "17:30"),
			pay{core.DayPresent, 520, 520, 0, 0, 0, -80, 0, 30, false}},
		{"german, 50m taken in the gap", "", "",
			`, "week": {"mon": ["08:00-12:00", "12:50-17:30"]}` + germanBreaks, mon, inOut(mon, "08:00", "17:30"),
			pay{core.DayPresent, 570, 520, 50, 50, 0, 0, 0, 0, false}},
		{"german, 20m taken out of 9h35", "", "", dayShift + germanBreaks, mon, inOut(mon, "08:00", "12:00", "12:20", "17:55"),
			pay{core.DayPresent, 575, 550, 25, 0, 0, -50, 0, 0, false}},
		// Frappe: below half_day_below a half day, below absent_below
		// an absence, even when late.
		{"half day", "", `, "half_day_below": "4h", "absent_below": "2h"`, splitShift, mon, inOut(mon, "08:00", "11:00"),
			pay{core.DayHalfDay, 180, 180, 0, 0, 0, -300, 0, 360, false}},
		{"half day, late", "", `, "half_day_below": "4h", "absent_below": "2h"`, splitShift, mon, inOut(mon, "10:00", "12:00"),
			pay{core.DayHalfDay, 120, 120, 0, 0, 0, -360, 120, 300, false}},
		{"absent below", "", `, "half_day_below": "4h", "absent_below": "2h"`, splitShift, mon, inOut(mon, "08:00", "09:30"),
			pay{core.DayAbsent, 90, 90, 0, 0, 0, -390, 0, 450, false}},
		{"at the half-day threshold", "", `, "half_day_below": "4h"`, splitShift, mon, inOut(mon, "13:00", "17:00"),
			pay{core.DayLate, 240, 240, 0, 0, 0, -240, 300, 0, false}},
		// Leaving 10 minutes early: past late_grace (5m), within 15m.
		{"early leave, late grace", "", "", splitShift, mon, inOut(mon, "08:00", "12:00", "13:00", "16:50"),
			pay{core.DayPresent, 470, 470, 0, 0, 0, -10, 0, 10, false}},
		{"early leave grace", "", `, "early_leave_grace": "15m"`, splitShift, mon, inOut(mon, "08:00", "12:00", "13:00", "16:50"),
			pay{core.DayPresent, 470, 470, 0, 0, 0, -10, 0, 0, false}},
		// A missed check-out: the cutoff (21:00), the shift's end plus
		// auto_checkout_after, or the start plus max_presence.
		{"missed check-out, cutoff", "", "", splitShift, mon, inOut(mon, "08:00"),
			pay{core.DayPresent, 780, 720, 60, 300, 0, 240, 0, 0, true}},
		{"missed check-out, auto_checkout_after", "", `, "auto_checkout_after": "30m"`, splitShift, mon, inOut(mon, "08:00"),
			pay{core.DayPresent, 570, 510, 60, 90, 0, 30, 0, 0, true}},
		{"missed check-out, max_presence", "", `, "max_presence": "6h"`, splitShift, mon, inOut(mon, "08:00"),
			pay{core.DayPresent, 360, 300, 60, 60, 0, -180, 0, 180, true}},
		{"badge-out before max_presence", "", `, "max_presence": "12h"`, splitShift, mon, inOut(mon, "08:00", "17:00"),
			pay{core.DayPresent, 540, 480, 60, 60, 0, 0, 0, 0, false}},
		// Night hours: paid presence inside 21:00-06:00.
		{"night shift, night hours", "", `, "night": "21:00-06:00"`, nightShift, mon, inOut(mon, "21:30", "2026-11-24 06:00"),
			pay{core.DayPresent, 510, 510, 0, 30, 510, 30, 0, 0, false}},
		{"day shift, early morning", "", `, "night": "21:00-06:00"`, dayShift, mon, inOut(mon, "05:00", "14:00"),
			pay{core.DayPresent, 540, 540, 0, 180, 60, -60, 0, 240, false}},
		{"day shift, no night", "", `, "night": "21:00-06:00"`, splitShift, mon, inOut(mon, "06:00", "20:00"),
			pay{core.DayPresent, 840, 780, 60, 360, 0, 300, 0, 0, false}},
		{"night hours before midnight only", "", `, "night": "20:00-23:00"`, splitShift, mon, inOut(mon, "13:00", "20:45"),
			pay{core.DayLate, 465, 465, 0, 225, 45, -15, 300, 0, false}},
		// The night the clock goes back lasts 9 h, forward 7 h: Paris
		// and New York.
		{"paris, clock back", "Europe/Paris", `, "night": "21:00-06:00"`, nightShift, "2026-10-24",
			inOut("2026-10-24", "22:00", "2026-10-25 06:00"), pay{core.DayPresent, 540, 540, 0, 0, 540, 0, 0, 0, false}},
		{"paris, clock forward", "Europe/Paris", `, "night": "21:00-06:00"`, nightShift, "2026-03-28",
			inOut("2026-03-28", "22:00", "2026-03-29 06:00"), pay{core.DayPresent, 420, 420, 0, 0, 420, 0, 0, 0, false}},
		{"new york, clock back", "America/New_York", `, "night": "21:00-06:00"`, nightShift, "2026-10-31",
			inOut("2026-10-31", "22:00", "2026-11-01 06:00"), pay{core.DayPresent, 540, 540, 0, 0, 540, 0, 0, 0, false}},
		{"new york, clock forward", "America/New_York", `, "night": "21:00-06:00", "overtime": {"daily_after": "8h"}`, nightShift, "2026-03-07",
			inOut("2026-03-07", "21:00", "2026-03-08 06:00"), pay{core.DayPresent, 480, 480, 0, 0, 480, 60, 0, 0, false}},
		{"paris, clock back, daily_after 8h", "Europe/Paris", `, "overtime": {"daily_after": "8h"}`, nightShift, "2026-10-24",
			inOut("2026-10-24", "22:00", "2026-10-25 06:00"), pay{core.DayPresent, 540, 540, 0, 60, 0, 0, 0, 0, false}},
		// Every rule together on the split shift.
		{"together", "Europe/Paris", `, "overtime": {"daily_after": "8h", "weekly_after": "35h"}, "half_day_below": "4h",
			"absent_below": "2h", "early_leave_grace": "15m", "auto_checkout_after": "1h", "max_presence": "12h", "night": "21:00-06:00"`,
			splitShift + germanBreaks, mon, inOut(mon, "05:45", "17:30"),
			pay{core.DayPresent, 705, 645, 60, 165, 15, 165, 0, 0, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zone := tt.zone
			if zone == "" {
				zone = "Europe/Paris"
			}
			e := payrollEngine(t, zone, tt.rules, tt.shift)
			tapAll(t, e, "ann", tt.taps)
			if got := payOf(dayOf(t, e, "ann", tt.date)); got != tt.want {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// weekOf returns Ann's days from to to.
func daysOf(t *testing.T, e *core.Engine, from, to string) []core.TimesheetDay {
	t.Helper()
	f, _ := core.ParseDate(from)
	l, _ := core.ParseDate(to)
	ts, err := e.Timesheet(cli, core.TimesheetQuery{From: f, To: l, Person: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	return ts.People[0].Days
}

func overtimes(days []core.TimesheetDay) string {
	var out []string
	for _, d := range days {
		out = append(out, fmt.Sprint(d.Overtime))
	}
	return strings.Join(out, " ")
}

func TestPayrollWeek(t *testing.T) {
	// Five days of 7 h 30 (lunch in the office) in the week of Monday 23
	// November, then in the week of Monday 30 November, which ends in
	// December.
	var taps []tapAt
	for _, d := range []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27",
		"2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"} {
		taps = append(taps, inOut(d, "08:00", "17:30")...) // 9 h 30: 8 h 30 paid
	}
	var french []tapAt
	for _, d := range []string{"2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"} {
		french = append(french, inOut(d, "08:00", "16:30")...) // 7 h 30 paid
	}
	tests := []struct {
		name, rules, shift string
		taps               []tapAt
		from, to           string
		want               string
	}{
		{"french 35h week", `, "overtime": {"weekly_after": "35h"}`, frenchShift, french, "2026-11-23", "2026-11-29",
			"0 0 0 0 150 0 0"},
		{"french week from Wednesday", `, "overtime": {"weekly_after": "35h"}`, frenchShift, french, "2026-11-25", "2026-11-27",
			"0 0 150"},
		{"french week, Friday alone", `, "overtime": {"weekly_after": "35h"}`, frenchShift, french, "2026-11-27", "2026-11-27",
			"150"},
		{"french week without a policy", "", frenchShift, french, "2026-11-23", "2026-11-27", "60 60 60 60 60"},
		// 8 h 30 paid a day: 30 min daily; 8 h a day left, 40 h crossed
		// on Friday.
		{"daily and weekly", `, "overtime": {"daily_after": "8h", "weekly_after": "35h"}`, splitShift, taps,
			"2026-11-23", "2026-11-27", "30 30 30 30 330"},
		{"40h week", `, "overtime": {"weekly_after": "40h"}`, splitShift, taps, "2026-11-23", "2026-11-27", "0 0 0 0 150"},
		// The week of 30 November is counted whole from December.
		{"month boundary, december", `, "overtime": {"weekly_after": "35h"}`, splitShift, taps, "2026-12-01", "2026-12-04",
			"0 0 0 450"},
		{"month boundary, november", `, "overtime": {"weekly_after": "35h"}`, splitShift, taps, "2026-11-27", "2026-11-30",
			"450 0 0 0"},
		// Weeks from Sunday: Sunday 29 to Saturday 5 December.
		{"week from sunday", `, "overtime": {"weekly_after": "35h", "week_start": "sun"}`, splitShift, taps,
			"2026-11-29", "2026-12-05", "0 0 0 0 0 450 0"},
		{"week from wednesday", `, "overtime": {"weekly_after": "35h", "week_start": "wed"}`, splitShift, taps,
			"2026-11-25", "2026-12-01", "0 0 0 0 0 0 450"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := payrollEngine(t, "Europe/Paris", tt.rules, tt.shift)
			tapAll(t, e, "ann", tt.taps)
			if got := overtimes(daysOf(t, e, tt.from, tt.to)); got != tt.want {
				t.Errorf("overtime %s, want %s", got, tt.want)
			}
		})
	}
}

// TestPayrollWrittenCloseAgrees: the automatic check-out written by
// CloseDay is at the close the timesheet computes, under each rule.
func TestPayrollWrittenCloseAgrees(t *testing.T) {
	tests := []struct {
		name, rules string
		taps        []tapAt
		want        string // the written close, local
		presence    int
	}{
		{"cutoff", "", inOut("2026-11-23", "08:00"), "2026-11-23 21:00", 780},
		{"auto_checkout_after", `, "auto_checkout_after": "30m"`, inOut("2026-11-23", "08:00"), "2026-11-23 17:30", 570},
		{"max_presence", `, "max_presence": "6h"`, inOut("2026-11-23", "08:00"), "2026-11-23 14:00", 360},
		{"came after the auto close", `, "auto_checkout_after": "30m"`, inOut("2026-11-23", "18:00"), "2026-11-23 21:00", 180},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := payrollEngine(t, "Europe/Paris", tt.rules, splitShift)
			tapAll(t, e, "ann", tt.taps)
			evs, err := e.CloseDay(cli, local(t, "2026-11-25 00:00", e.Location()))
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != 1 || !evs[0].At.Equal(local(t, tt.want, e.Location())) {
				t.Fatalf("written check-outs %v, want one at %s", evs, tt.want)
			}
			if d := dayOf(t, e, "ann", "2026-11-23"); d.Presence != tt.presence || !d.AutoClosed {
				t.Errorf("presence %d (auto %v), want %d, closed automatically", d.Presence, d.AutoClosed, tt.presence)
			}
		})
	}
}

func TestPayrollHalfDayRecords(t *testing.T) {
	e := payrollEngine(t, "Europe/Paris", `, "half_day_below": "4h"`, splitShift)
	tapAll(t, e, "ann", inOut("2026-11-23", "08:00", "11:00"))
	d, _ := core.ParseDate("2026-11-23")
	q := core.TimesheetQuery{From: d, To: d, Person: "ann"}
	recs, err := e.Attendance(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs["ann"] {
		got = append(got, fmt.Sprintf("%s %s-%s", r.State, r.From.In(e.Location()).Format("15:04"), r.Until.In(e.Location()).Format("15:04")))
	}
	if strings.Join(got, ", ") != "present 08:00-11:00, half_day 11:00-17:00" {
		t.Errorf("records %v", got)
	}
	m, err := e.Metrics(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	if m.HalfDay.Count != 1 || m.HalfDay.Unjustified.Count != 1 || m.Late.Count != 0 {
		t.Errorf("metrics %+v, want one unjustified half day", m)
	}
	if _, err := e.AddJustification(cli, core.Justification{Person: "ann", From: local(t, "2026-11-23 11:00", e.Location()),
		Until: local(t, "2026-11-23 17:00", e.Location()), State: core.JustifValid}); err != nil {
		t.Fatal(err)
	}
	if day := dayOf(t, e, "ann", "2026-11-23"); day.Status != core.DayHalfDay || !day.Justified {
		t.Errorf("day %s justified %v, want a justified half day", day.Status, day.Justified)
	}
	if m, _ := e.Metrics(cli, q); m.HalfDay.Justified.Count != 1 {
		t.Errorf("metrics %+v, want one justified half day", m.HalfDay)
	}
}

func TestPayrollUses(t *testing.T) {
	tests := []struct {
		name, rules, shift string
		taps               []tapAt
		paid, night        bool
	}{
		{"nothing", "", dayShift, inOut("2026-11-23", "08:00", "17:00"), false, false},
		{"a break taken", "", splitShift, inOut("2026-11-23", "08:00", "17:00"), true, false},
		{"a rule", `, "half_day_below": "4h"`, dayShift, nil, true, false},
		{"a shift's breaks", "", dayShift + germanBreaks, nil, true, false},
		{"night hours", `, "night": "22:00-06:00"`, dayShift, nil, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := payrollEngine(t, "Europe/Paris", tt.rules, tt.shift)
			tapAll(t, e, "ann", tt.taps)
			d, _ := core.ParseDate("2026-11-23")
			ts, err := e.Timesheet(cli, core.TimesheetQuery{From: d, To: d})
			if err != nil {
				t.Fatal(err)
			}
			if ts.Uses.Paid != tt.paid || ts.Uses.Night != tt.night || ts.Uses.Balance {
				t.Errorf("uses %+v, want paid %v, night %v", ts.Uses, tt.paid, tt.night)
			}
		})
	}
}

// TestPayrollSiteFile: the rules read, export and read back; each bad
// value is refused with its path and code, and changes nothing.
func TestPayrollSiteFile(t *testing.T) {
	const rules = `, "overtime": {"daily_after": "8h", "weekly_after": "35h", "week_start": "sun"}, "half_day_below": "4h",
		"absent_below": "2h", "early_leave_grace": "15m", "auto_checkout_after": "30m", "max_presence": "12h",
		"night": "21:00-06:00", "balance_from": "2026-01-01"`
	e := payrollEngine(t, "Europe/Paris", rules, splitShift+`, "paid_breaks": true`+germanBreaks)
	hour := core.Duration(time.Hour)
	want := core.Payroll{EarlyLeaveGrace: core.Duration(15 * time.Minute),
		Overtime:     &core.OvertimePolicy{DailyAfter: 8 * hour, WeeklyAfter: 35 * hour, WeekStart: "sun"},
		HalfDayBelow: 4 * hour, AbsentBelow: 2 * hour, AutoCheckoutAfter: hour / 2, MaxPresence: 12 * hour,
		Night: &core.NightHours{From: 21 * 60, To: 6 * 60}, BalanceFrom: core.Date{Year: 2026, Month: time.January, Day: 1}}
	samePayroll := func(got core.Payroll) bool {
		return *got.Overtime == *want.Overtime && *got.Night == *want.Night &&
			fmt.Sprint(got.EarlyLeaveGrace, got.HalfDayBelow, got.AbsentBelow, got.AutoCheckoutAfter, got.MaxPresence, got.BalanceFrom) ==
				fmt.Sprint(want.EarlyLeaveGrace, want.HalfDayBelow, want.AbsentBelow, want.AutoCheckoutAfter, want.MaxPresence, want.BalanceFrom)
	}
	if got := e.Site().Payroll; got.Overtime == nil || got.Night == nil || !samePayroll(got) {
		t.Fatalf("payroll %+v, want %+v", got, want)
	}
	var out strings.Builder
	f, err := e.Export(cli)
	if err != nil {
		t.Fatal(err)
	}
	if err := core.WriteSiteFile(&out, f); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"night": "21:00-06:00"`, `"daily_after": "8h"`, `"week_start": "sun"`, `"max_presence": "12h"`,
		`"paid_breaks": true`, `"deduct": "45m"`, `"balance_from": "2026-01-01"`} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("export lacks %s:\n%s", s, out.String())
		}
	}
	// Without rules, export writes none of them.
	plain := payrollEngine(t, "Europe/Paris", "", splitShift)
	pf, _ := plain.Export(cli)
	var pout strings.Builder
	if err := core.WriteSiteFile(&pout, pf); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"night", "overtime", "half_day_below", "max_presence", "auto_breaks", "paid_breaks", "balance_from"} {
		if strings.Contains(pout.String(), `"`+key+`"`) {
			t.Errorf("export of a site without rules writes %s", key)
		}
	}

	bad := []struct {
		name, site, shift string
		path, code        string
	}{
		{"negative daily_after", `"overtime": {"daily_after": "-1h"}`, "", "site.overtime.daily_after", "negative"},
		{"negative half_day_below", `"half_day_below": "-4h"`, "", "site.half_day_below", "negative"},
		{"night out of range", `"night": "25:00-06:00"`, "", "site.night", "bad_window"},
		{"night of no length", `"night": "06:00-06:00"`, "", "site.night", "bad_window"},
		{"night not a window", `"night": "21:00"`, "", "site.night", "bad_window"},
		{"bad week_start", `"overtime": {"weekly_after": "35h", "week_start": "monday"}`, "", "site.overtime.week_start", "bad_choice"},
		{"week_start alone", `"overtime": {"week_start": "mon"}`, "", "site.overtime.weekly_after", "required"},
		{"absent_below not below", `"half_day_below": "2h", "absent_below": "2h"`, "", "site.absent_below", "not_below"},
		{"max_presence under an hour", `"max_presence": "59m"`, "", "site.max_presence", "too_short"},
		{"unknown key", `"overtime": {"daily": "8h"}`, "", "site.overtime.daily", ""},
		{"unknown site key", `"nights": "21:00-06:00"`, "", "site.nights", ""},
		{"deduct not shorter", "", `"auto_breaks": [{"after": "30m", "deduct": "30m"}]`, "shifts[0].auto_breaks[0].deduct", "not_below"},
		{"deduct longer", "", `"auto_breaks": [{"after": "6h", "deduct": "7h"}]`, "shifts[0].auto_breaks[0].deduct", "not_below"},
		{"zero deduct", "", `"auto_breaks": [{"after": "6h", "deduct": "0s"}]`, "shifts[0].auto_breaks[0].deduct", "not_positive"},
		{"zero after", "", `"auto_breaks": [{"after": "0s", "deduct": "0s"}]`, "shifts[0].auto_breaks[0].after", "not_positive"},
		{"not increasing", "", `"auto_breaks": [{"after": "9h", "deduct": "45m"}, {"after": "6h", "deduct": "30m"}]`,
			"shifts[0].auto_breaks[1].after", "not_after"},
		{"deduct not increasing", "", `"auto_breaks": [{"after": "6h", "deduct": "45m"}, {"after": "9h", "deduct": "30m"}]`,
			"shifts[0].auto_breaks[1].deduct", "not_after"},
		{"unknown break key", "", `"auto_breaks": [{"after": "6h", "deduct": "30m", "paid": true}]`, "shifts[0].auto_breaks[0].paid", ""},
		{"paid_breaks not a bool", "", `"paid_breaks": "yes"`, "shifts[0].paid_breaks", ""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			site, shift := `{"name": "Changed"}`, ""
			if tt.site != "" {
				site = `{"name": "Changed", ` + tt.site + `}`
			}
			if tt.shift != "" {
				shift = `, "shifts": [{"id": "s", "name": "Changed", "week": {"mon": ["08:00-17:00"]}, ` + tt.shift + `}]`
			}
			text := `{"site": ` + site + shift + `}`
			f, err := core.ReadSiteFile(strings.NewReader(text))
			if err == nil {
				err = e.Import(cli, f)
			}
			var sfe *core.SiteFileError
			if !errors.As(err, &sfe) || !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("%s: error %v, want a site file error", text, err)
			}
			if !strings.Contains(err.Error(), tt.path+":") {
				t.Errorf("error %q, want the path %s", err, tt.path)
			}
			found := false
			var ps core.Problems
			if errors.As(err, &ps) {
				for _, p := range ps {
					var s *core.SiteFileError
					found = found || (errors.As(p, &s) && s.Path == tt.path && s.Code == tt.code)
				}
			} else {
				found = sfe.Path == tt.path && sfe.Code == tt.code
			}
			if !found {
				t.Errorf("error %q: want code %q at %s", err, tt.code, tt.path)
			}
			if got := e.Site(); got.Name != "Payroll HQ" || !samePayroll(got.Payroll) {
				t.Errorf("a refused file changed the site: %+v", got)
			}
			if sh := shifts(t, e); !sh.PaidBreaks || len(sh.AutoBreaks) != 2 || sh.Name != "Shift" {
				t.Errorf("a refused file changed the shift: %+v", sh)
			}
		})
	}

	// "0s", "" and an empty overtime turn the rules off.
	f, err = core.ReadSiteFile(strings.NewReader(`{"site": {"overtime": {}, "night": "", "half_day_below": "0s", "absent_below": "0s", "max_presence": "0s"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, f); err != nil {
		t.Fatal(err)
	}
	if p := e.Site().Payroll; p.Overtime != nil || p.Night != nil || p.HalfDayBelow != 0 || p.AbsentBelow != 0 || p.MaxPresence != 0 ||
		p.AutoCheckoutAfter != want.AutoCheckoutAfter {
		t.Errorf("payroll %+v, want the rules given off, the others kept", p)
	}
}

func shifts(t *testing.T, e *core.Engine) core.Shift {
	t.Helper()
	all, err := e.Shifts(cli)
	if err != nil || len(all) != 1 {
		t.Fatalf("shifts %v, %v", all, err)
	}
	return all[0]
}
